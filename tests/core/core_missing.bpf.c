// SPDX-License-Identifier: GPL-2.0
/* A read of a field the kernel does not have, unguarded: refused. */
#include "report.h"

struct task_struct___old {
	int no_such_field;
} __attribute__((preserve_access_index));

SEC("tracepoint/syscalls/sys_enter_getppid")
int unguarded(void *ctx)
{
	struct task_struct___old *t = (void *)bpf_get_current_task();
	int v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &t->no_such_field);
	submit(v);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
