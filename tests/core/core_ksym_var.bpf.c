// SPDX-License-Identifier: GPL-2.0
/*
 * A typed __ksym variable: the loader gives its id in the kernel's BTF
 * (BPF_PSEUDO_BTF_ID), the verifier finds its address by name with
 * kallsyms_lookup_name() (check_pseudo_btf_id(), kernel/bpf/verifier.c).
 * A variable is in kallsyms only on a kernel built with
 * CONFIG_KALLSYMS_ALL, and in BTF only if pahole encoded it (per-CPU
 * variables, 5.10's pahole not always): elsewhere the program is refused.
 *
 * runqueues is the per-CPU struct rq of the scheduler
 * (kernel/sched/core.c): this CPU's, through bpf_this_cpu_ptr(), has
 * cpu, the CPU's number, and curr, the task running there, the one that
 * called getppid(2):
 *
 *	10 (rq->cpu is this CPU) + 1 (rq->curr's pid is this thread's) = 11
 *
 * (bpf_prog_active, 1 around a kprobe program, reads 0 in a tracepoint
 * program on 7.2.)
 */
#include "report.h"

extern const struct rq runqueues __ksym;

SEC("tracepoint/syscalls/sys_enter_getppid")
int ksym_var(void *ctx)
{
	const struct rq *rq;
	long v = 0;

	if (!is_probe())
		return 0;
	rq = bpf_this_cpu_ptr(&runqueues);
	if (rq->cpu == (int)bpf_get_smp_processor_id())
		v += 10;
	if (rq->curr->pid == (__u32)bpf_get_current_pid_tgid())
		v += 1;
	submit(v);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
