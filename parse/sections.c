// SPDX-License-Identifier: MIT
/*
 * The section table: libbpf's section names (tools/lib/bpf/libbpf.c,
 * section_defs[]), so bpftool loads the same objects, and what mini-trace
 * does with each.
 */
#include <string.h>

#include "sections.h"

/*
 * The order of attach.  Programs attach one by one, and attaching one can
 * take a quarter of a second (registering a tracepoint's first probe
 * patches kernel text on every CPU): an object's state must not depend on
 * which of its programs saw an event in between.  Its programs that see
 * something end (a syscall's exit, a task's, sched_process_exit in
 * do_exit()) attach first, those that see something begin (exec, a new
 * task) last: whatever a beginning records, its end is already watched,
 * and an end seen without its beginning finds no record and is not
 * reported.  Tracepoints are named "<category>/<name>", raw ones by name.
 */
static const char *const tp_ends[] = { "syscalls/sys_exit_", "raw_syscalls/sys_exit",
				       "sched/sched_process_exit", NULL };
static const char *const tp_starts[] = { "sched/sched_process_exec", "sched/sched_process_fork",
					 "task/task_newtask", NULL };
static const char *const raw_ends[] = { "sys_exit", "sched_process_exit", NULL };
static const char *const raw_starts[] = { "sched_process_exec", "sched_process_fork",
					  "task_newtask", NULL };

static const struct sec_def sec_defs[] = {
	/*
	 * "tracepoint/<category>/<name>": the event's id from tracefs, then a
	 * perf event of PERF_TYPE_TRACEPOINT with the program set on it
	 * (kernel/trace/trace_event_perf.c).
	 */
	{ .prefix = "tracepoint/",
	  .prog_type = BPF_PROG_TYPE_TRACEPOINT,
	  .attach = SPEC_ATTACH_TRACEPOINT,
	  .resolve = SEC_RESOLVE_TRACEFS_ID,
	  .link = SEC_LINK_PERF_TRACEPOINT,
	  .ends = tp_ends,
	  .starts = tp_starts },
	{ .prefix = "tp/",
	  .prog_type = BPF_PROG_TYPE_TRACEPOINT,
	  .attach = SPEC_ATTACH_TRACEPOINT,
	  .resolve = SEC_RESOLVE_TRACEFS_ID,
	  .link = SEC_LINK_PERF_TRACEPOINT,
	  .ends = tp_ends,
	  .starts = tp_starts },
	/*
	 * "raw_tp/<name>": the tracepoint's arguments as its probes get them,
	 * no record built (include/trace/bpf_probe.h); attached by bpf(2)
	 * itself, BPF_RAW_TRACEPOINT_OPEN, since 4.17.
	 */
	{ .prefix = "raw_tp/",
	  .prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	  .attach = SPEC_ATTACH_RAW_TP,
	  .resolve = SEC_RESOLVE_NAME,
	  .link = SEC_LINK_RAW_TRACEPOINT,
	  .ends = raw_ends,
	  .starts = raw_starts },
	{ .prefix = "raw_tracepoint/",
	  .prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	  .attach = SPEC_ATTACH_RAW_TP,
	  .resolve = SEC_RESOLVE_NAME,
	  .link = SEC_LINK_RAW_TRACEPOINT,
	  .ends = raw_ends,
	  .starts = raw_starts },
	/*
	 * "kprobe/<func>[+<offset>]": a breakpoint in a kernel function, the
	 * program given its registers (struct pt_regs).  kretprobe/ fires as
	 * the function returns.  "ksyscall/<name>" is libbpf's kprobe on a
	 * syscall's entry point, whose symbol is the architecture's wrapper
	 * (__x64_sys_<name>: arch/x86/include/asm/syscall_wrapper.h).  A
	 * perf event of the kprobe PMU (kernel/trace/trace_kprobe.c,
	 * create_local_trace_kprobe), or before 4.17 an event made in
	 * tracefs' kprobe_events (probe.c).
	 */
	{ .prefix = "kprobe/",
	  .prog_type = BPF_PROG_TYPE_KPROBE,
	  .attach = SPEC_ATTACH_KPROBE,
	  .resolve = SEC_RESOLVE_KERNEL_FUNC,
	  .link = SEC_LINK_PERF_PROBE },
	{ .prefix = "kretprobe/",
	  .prog_type = BPF_PROG_TYPE_KPROBE,
	  .attach = SPEC_ATTACH_KPROBE,
	  .resolve = SEC_RESOLVE_KERNEL_FUNC,
	  .link = SEC_LINK_PERF_PROBE,
	  .retprobe = true },
	{ .prefix = "ksyscall/",
	  .prog_type = BPF_PROG_TYPE_KPROBE,
	  .attach = SPEC_ATTACH_KPROBE,
	  .resolve = SEC_RESOLVE_KERNEL_FUNC,
	  .link = SEC_LINK_PERF_PROBE,
	  .syscall = true },
	{ .prefix = "kretsyscall/",
	  .prog_type = BPF_PROG_TYPE_KPROBE,
	  .attach = SPEC_ATTACH_KPROBE,
	  .resolve = SEC_RESOLVE_KERNEL_FUNC,
	  .link = SEC_LINK_PERF_PROBE,
	  .retprobe = true,
	  .syscall = true },
	/*
	 * "uprobe/<path>:<func>[+<offset>]" (libbpf also writes
	 * "uprobe//<path>:..." for an absolute path): a breakpoint in a
	 * program's or library's file, hit by every process that maps it.
	 * The kernel takes the file and an offset into it; the function's
	 * offset comes from the file's ELF (elf_target.c).  A perf event of
	 * the uprobe PMU (kernel/trace/trace_uprobe.c, create_local_trace_uprobe).
	 * Same program type as a kprobe: both get struct pt_regs.
	 */
	{ .prefix = "uprobe/",
	  .prog_type = BPF_PROG_TYPE_KPROBE,
	  .attach = SPEC_ATTACH_UPROBE,
	  .resolve = SEC_RESOLVE_ELF_FUNC,
	  .link = SEC_LINK_PERF_PROBE },
	{ .prefix = "uretprobe/",
	  .prog_type = BPF_PROG_TYPE_KPROBE,
	  .attach = SPEC_ATTACH_UPROBE,
	  .resolve = SEC_RESOLVE_ELF_FUNC,
	  .link = SEC_LINK_PERF_PROBE,
	  .retprobe = true },
	/*
	 * "fentry/<func>", "fexit/<func>": BPF_PROG_TYPE_TRACING, loaded for
	 * one kernel function named by its id in the kernel's BTF
	 * (attach_btf_id), whose typed arguments the program reads as u64s;
	 * fexit gets the return value after them.  The verifier builds a BPF
	 * trampoline the function's ftrace site then calls
	 * (kernel/bpf/trampoline.c): x86_64 since 5.5, arm64 since 6.0.
	 * "tp_btf/<name>": a raw tracepoint with typed arguments, its BTF
	 * type the typedef btf_trace_<name> (include/trace/bpf_probe.h).
	 * All three attach with BPF_RAW_TRACEPOINT_OPEN and no name: the
	 * target was fixed at load (bpf_tracing_prog_attach(), kernel/bpf/syscall.c).
	 */
	{ .prefix = "fentry/",
	  .prog_type = BPF_PROG_TYPE_TRACING,
	  .attach = SPEC_ATTACH_TRACING,
	  .resolve = SEC_RESOLVE_KERNEL_BTF,
	  .link = SEC_LINK_TRACING,
	  .expected_attach_type = BPF_TRACE_FENTRY },
	{ .prefix = "fexit/",
	  .prog_type = BPF_PROG_TYPE_TRACING,
	  .attach = SPEC_ATTACH_TRACING,
	  .resolve = SEC_RESOLVE_KERNEL_BTF,
	  .link = SEC_LINK_TRACING,
	  .expected_attach_type = BPF_TRACE_FEXIT },
	{ .prefix = "tp_btf/",
	  .prog_type = BPF_PROG_TYPE_TRACING,
	  .attach = SPEC_ATTACH_TRACING,
	  .resolve = SEC_RESOLVE_KERNEL_BTF,
	  .link = SEC_LINK_TRACING,
	  .expected_attach_type = BPF_TRACE_RAW_TP,
	  .ends = raw_ends,
	  .starts = raw_starts },
};

bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

const struct sec_def *sec_def_find(const char *sec_name)
{
	for (size_t i = 0; i < sizeof(sec_defs) / sizeof(sec_defs[0]); i++)
		if (has_prefix(sec_name, sec_defs[i].prefix))
			return &sec_defs[i];
	return NULL;
}

static bool any_prefix(const char *s, const char *const *prefixes)
{
	for (; prefixes && *prefixes; prefixes++)
		if (has_prefix(s, *prefixes))
			return true;
	return false;
}

int sec_attach_round(const char *sec_name, const char *target)
{
	const struct sec_def *def = sec_def_find(sec_name);

	if (!def || !target)
		return 1;
	return any_prefix(target, def->ends) ? 0 : any_prefix(target, def->starts) ? 2 : 1;
}
