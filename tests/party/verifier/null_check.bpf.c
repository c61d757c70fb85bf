// SPDX-License-Identifier: GPL-2.0
/* expect: check the pointer */
#include "ep_platform.h"
#include "syscalls.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int no_null_check(struct trace_event_raw_sys_enter *ctx)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&counts, &key);

	*v += 1; /* <- here */
	return 0;
}
