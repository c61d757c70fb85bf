// SPDX-License-Identifier: GPL-2.0
/*
 * A signed field read at another width than the kernel's: the record's
 * "long id" (8 bytes on a 64-bit kernel) read as an int.  A load can be
 * narrowed or widened only when zero extension is right; this one is
 * poisoned, as libbpf does, and refused once the verifier reaches it.
 */
#include "report.h"

struct trace_event_raw_sys_enter___int {
	int id;
} __attribute__((preserve_access_index));

SEC("tracepoint/raw_syscalls/sys_enter")
int narrow_id(struct trace_event_raw_sys_enter___int *ctx)
{
	if (is_probe())
		submit(ctx->id);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
