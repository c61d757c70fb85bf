// SPDX-License-Identifier: GPL-2.0
/* expect: loop */
#include "ep_platform.h"
#include "syscalls.h"

SEC("tracepoint/syscalls/sys_enter_getppid")
int endless(struct trace_event_raw_sys_enter *ctx)
{
	u64 n = ctx->args[0];
	volatile u64 sum = 0;

	while (n != 1) { /* <- here */
		if (n & 1)
			n = 3 * n + 1;
		else
			n /= 2;
		sum++;
	}
	return sum;
}
