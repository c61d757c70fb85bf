// SPDX-License-Identifier: GPL-2.0
/*
 * A bitfield: task_struct.sched_reset_on_fork, which core_probe sets with
 * sched_setscheduler(SCHED_RESET_ON_FORK) before it calls getppid().  The
 * local flavor puts it at another bit of another word; the load is right
 * only if its byte offset, size and both shifts are relocated.  Its
 * neighbours are whatever the scheduler left, so a wrong shift shows.
 */
#include "report.h"

struct task_struct___bits {
	long pad;
	unsigned int other : 5;
	unsigned int sched_reset_on_fork : 1;
} __attribute__((preserve_access_index));

SEC("tracepoint/syscalls/sys_enter_getppid")
int reset_on_fork(void *ctx)
{
	struct task_struct___bits *t = (void *)bpf_get_current_task();

	if (is_probe())
		submit(BPF_CORE_READ_BITFIELD_PROBED(t, sched_reset_on_fork) * 10 +
		       BPF_CORE_READ_BITFIELD_PROBED(t, sched_reset_on_fork));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
