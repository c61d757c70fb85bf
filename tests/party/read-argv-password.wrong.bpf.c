// SPDX-License-Identifier: GPL-2.0
/* WRONG on purpose (tests/e2e_party.sh): the user, not the password */
/* read-argv-password, solved: walk argv, submit what follows --password. */
#include "ep_platform.h"
#include "syscalls.h"

SEC("tp/syscalls/sys_enter_execve")
int trace_execve(struct trace_event_raw_sys_enter *ctx)
{
	const char *const *argv = (const char *const *)ctx->args[1];
	bool next_is_it = false;

	for (int i = 0; i < 10; i++) {
		const char *p = NULL;
		char arg[32] = {};

		if (bpf_probe_read_user(&p, sizeof(p), &argv[i]) || !p)
			break;
		bpf_probe_read_user_str(arg, sizeof(arg), p);
		if (next_is_it) {
			SUBMIT_STR(arg);
			break;
		}
		/* 11 bytes: "--password" and its NUL, so only the whole word. */
		next_is_it = bpf_strncmp(arg, 7, "--user") == 0;
	}
	return 0;
}
