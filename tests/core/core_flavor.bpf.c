// SPDX-License-Identifier: GPL-2.0
/*
 * A local flavor of task_struct (the "___mine" suffix is dropped when
 * matching) with its fields in another order and at other offsets than
 * the kernel's: the answer, the tgid of the parent (getppid()), is right
 * only if each access is relocated.  The anonymous union is a step the
 * kernel's layout does not have.
 */
#include "report.h"

struct task_struct___mine {
	char pad[3];
	union {
		struct task_struct___mine *real_parent;
		long other;
	};
	int tgid;
} __attribute__((preserve_access_index));

SEC("tracepoint/syscalls/sys_enter_getppid")
int flavor_tgid(void *ctx)
{
	struct task_struct___mine *task = (void *)bpf_get_current_task();
	struct task_struct___mine *parent = NULL;
	int tgid = -1;

	if (!is_probe())
		return 0;
	bpf_probe_read_kernel(&parent, sizeof(parent), &task->real_parent);
	bpf_probe_read_kernel(&tgid, sizeof(tgid), &parent->tgid);
	submit(tgid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
