// SPDX-License-Identifier: GPL-2.0
/* expect: added to a pointer */
#include "ep_platform.h"
#include "syscalls.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, char[64]);
} slots SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int offset_a_pointer(struct trace_event_raw_sys_enter *ctx)
{
	u32 key = 0;
	char *v = bpf_map_lookup_elem(&slots, &key);
	long off = ctx->args[0];
	char c;

	if (!v)
		return 0;
	c = *(v + off); /* <- here */
	DEBUG_NUM("byte", c);
	return 0;
}
