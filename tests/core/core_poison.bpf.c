// SPDX-License-Identifier: GPL-2.0
/*
 * A field the kernel does not have.  Behind bpf_core_field_exists() the
 * read is poisoned but unreachable, and the program loads (answer 7);
 * core_missing.bpf.c reads it unguarded, and is refused with the name of
 * the relocation and its source line.
 */
#include "report.h"

struct task_struct___old {
	int no_such_field;
	int tgid;
} __attribute__((preserve_access_index));

SEC("tracepoint/syscalls/sys_enter_getppid")
int guarded(void *ctx)
{
	struct task_struct___old *t = (void *)bpf_get_current_task();
	int v = 7;

	if (!is_probe())
		return 0;
	if (bpf_core_field_exists(t->no_such_field))
		bpf_probe_read_kernel(&v, sizeof(v), &t->no_such_field);
	submit(v);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
