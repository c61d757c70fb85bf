// SPDX-License-Identifier: GPL-2.0
/* bpf_printk beside the exercise's own lines (tests/e2e_party.sh). */
#include "ep_platform.h"
#include "syscalls.h"

SEC("tracepoint/syscalls/sys_enter_exit")
int on_exit(struct trace_event_raw_sys_enter *ctx)
{
	char comm[16] = {};

	bpf_get_current_comm(comm, sizeof(comm));
	if (bpf_strncmp(comm, sizeof(comm), "exit_with_code"))
		return 0;
	bpf_printk("exit code %d", (int)ctx->args[0]);
	DEBUG_NUM("code", (int)ctx->args[0]);
	return 0;
}
