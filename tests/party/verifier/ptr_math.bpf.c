// SPDX-License-Identifier: GPL-2.0
/* expect: fixed offsets */
#include "ep_platform.h"
#include "syscalls.h"

SEC("tracepoint/syscalls/sys_enter_getppid")
int pick_an_argument(struct trace_event_raw_sys_enter *ctx)
{
	u64 i = ctx->args[0] & 3;
	u64 arg = *(u64 *)((char *)ctx + 16 + 8 * i); /* <- here */

	DEBUG_NUM("argument", arg);
	return 0;
}
