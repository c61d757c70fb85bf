// SPDX-License-Identifier: GPL-2.0
/*
 * A CO-RE read through two pointers, as in every libbpf tool: the task's
 * parent's tgid, which core_probe prints as getppid().  Each of the three
 * field offsets (real_parent, tgid) is the kernel's only if relocated.
 */
#include "report.h"

SEC("tracepoint/syscalls/sys_enter_getppid")
int parent_tgid(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();

	if (is_probe())
		submit(BPF_CORE_READ(task, real_parent, tgid));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
