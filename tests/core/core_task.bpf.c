// SPDX-License-Identifier: GPL-2.0
/*
 * One object, many kernels (make vmtest): the answer is 1 only if
 * task_struct's real_parent and tgid, and sys_exit_getppid's record, are
 * read where this kernel has them: getppid()'s result, as the record
 * holds it, is the tgid of the task's real parent.  A kernel without BTF
 * cannot say where task_struct's fields are: mini-trace refuses the
 * object in one line.
 */
#include "report.h"

SEC("tracepoint/syscalls/sys_exit_getppid")
int parent_is_ret(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	long ret = ctx->ret;

	if (is_probe())
		submit(ret > 0 && BPF_CORE_READ(task, real_parent, tgid) == ret ? 1 : 2);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
