// SPDX-License-Identifier: GPL-2.0
/* expect: cannot bound */
#include "ep_platform.h"
#include "syscalls.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, char[16]);
} names SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int unbounded_index(struct trace_event_raw_sys_enter *ctx)
{
	u32 key = 0, i = ctx->args[0];
	char *name = bpf_map_lookup_elem(&names, &key);

	if (!name)
		return 0;
	name[i] = 'x'; /* <- here */
	return 0;
}
