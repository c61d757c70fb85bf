// SPDX-License-Identifier: GPL-2.0
/*
 * A typed __ksym variable: the loader gives its id in the kernel's BTF
 * (BPF_PSEUDO_BTF_ID), the verifier finds its address by name with
 * kallsyms_lookup_name() (check_pseudo_btf_id(), kernel/bpf/verifier.c).
 * A variable is in kallsyms only on a kernel built with
 * CONFIG_KALLSYMS_ALL: elsewhere the program is refused.
 *
 * bpf_prog_active is a per-CPU int (kernel/bpf/syscall.c) that
 * trace_call_bpf() (kernel/trace/bpf_trace.c, 5.10 to 7.2) increments
 * around every run of a tracepoint or kprobe program, and refuses to run
 * one unless it became 1: read through bpf_this_cpu_ptr() here, it is 1.
 * The answer, 1, is right only if the verifier was given the variable's
 * own id; a missed address never loads.
 */
#include "report.h"

extern const int bpf_prog_active __ksym;

SEC("tracepoint/syscalls/sys_enter_getppid")
int ksym_var(void *ctx)
{
	const int *active;

	if (!is_probe())
		return 0;
	active = bpf_this_cpu_ptr(&bpf_prog_active);
	submit(*active);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
