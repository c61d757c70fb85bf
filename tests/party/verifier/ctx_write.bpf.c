// SPDX-License-Identifier: GPL-2.0
/* expect: context (ctx) */
#include "ep_platform.h"
#include "syscalls.h"

SEC("tracepoint/syscalls/sys_enter_getppid")
int write_ctx(struct trace_event_raw_sys_enter *ctx)
{
	ctx->args[0] = 0; /* <- here */
	return 0;
}
