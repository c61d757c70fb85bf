// SPDX-License-Identifier: GPL-2.0
/* expect: cannot bound */
#include "ep_platform.h"
#include "syscalls.h"

SEC("tracepoint/syscalls/sys_enter_write")
int unbounded_size(struct trace_event_raw_sys_enter *ctx)
{
	char buf[64];
	u64 len = ctx->args[2];

	bpf_probe_read_user(buf, len, (const void *)ctx->args[1]); /* <- here */
	DEBUG_STR("buf", buf);
	return 0;
}
