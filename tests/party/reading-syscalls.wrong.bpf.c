// SPDX-License-Identifier: GPL-2.0
/* WRONG on purpose (tests/e2e_party.sh): a standard program */
/* reading-syscalls, solved: execve's filename, from user memory. */
#include "ep_platform.h"
#include "syscalls.h"

SEC("tp/syscalls/sys_enter_execve")
int trace_execve(struct trace_event_raw_sys_enter *ctx)
{
	const char *ptr = (const char *)ctx->args[0];
	char filename[64] = {};

	bpf_probe_read_user_str(filename, sizeof(filename), ptr);
	DEBUG_STR("filename", filename);
	if (bpf_strncmp(filename, 19, "/tmp/ep-party/sudo") == 0)
		SUBMIT_STR(filename);
	return 0;
}
