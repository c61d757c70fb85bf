/* SPDX-License-Identifier: MIT */
/*
 * Which program sections mini-trace knows, and for each, everything that
 * follows from the name: the program type to load it as, how its target is
 * found in the running kernel, how it is attached, and in which order.
 * elf.c reads the first columns (parsing stays pure); only the attach step
 * in loader.c acts on the rest.  A new kind of program is one more row.
 */
#ifndef MINI_TRACE_SECTIONS_H
#define MINI_TRACE_SECTIONS_H

#include <stdbool.h>
#include <linux/bpf.h>

#include "spec.h"

/* How a target named in a section becomes something the kernel knows. */
enum sec_resolve {
	SEC_RESOLVE_TRACEFS_ID,	 /* the event's id in tracefs' events/<cat>/<name>/id */
	SEC_RESOLVE_NAME,	 /* the name as it is: the kernel looks it up at attach */
	SEC_RESOLVE_KERNEL_FUNC, /* a kernel function, probed by the kprobe PMU or tracefs */
	SEC_RESOLVE_ELF_FUNC,	/* a function's file offset, from the target's ELF (elf_target.c) */
	SEC_RESOLVE_KERNEL_BTF, /* a FUNC (or tp_btf's btf_trace_<name>) in the kernel's BTF */
};

/* How a loaded program is attached to it. */
enum sec_link {
	SEC_LINK_PERF_TRACEPOINT, /* perf_event_open(PERF_TYPE_TRACEPOINT) + SET_BPF */
	SEC_LINK_RAW_TRACEPOINT,  /* BPF_RAW_TRACEPOINT_OPEN */
	SEC_LINK_PERF_PROBE,	  /* perf_event_open(kprobe or uprobe PMU) + SET_BPF (probe.c) */
	SEC_LINK_TRACING,	  /* BPF_RAW_TRACEPOINT_OPEN without a name: the load's target */
};

struct sec_def {
	const char *prefix; /* the section name up to the target */
	enum bpf_prog_type prog_type;
	enum spec_attach attach;
	enum sec_resolve resolve;
	enum sec_link link;
	/* Targets starting with one of these attach first, or last (NULL-ended lists). */
	const char *const *ends, *const *starts;
	bool retprobe; /* kretprobe/, uretprobe/: on return, not on entry */
	bool syscall;  /* ksyscall/: the target is a syscall, probed at its arch wrapper */
	/* BPF_PROG_TYPE_TRACING: BPF_TRACE_FENTRY, _FEXIT or _RAW_TP (0 otherwise) */
	enum bpf_attach_type expected_attach_type;
};

/* The row whose prefix starts sec_name, or NULL. */
const struct sec_def *sec_def_find(const char *sec_name);

/* The round a program attaches in: 0 ends, 1 the others, 2 starts (sections.c). */
#define SEC_ATTACH_ROUNDS 3
int sec_attach_round(const char *sec_name, const char *target);

bool has_prefix(const char *s, const char *prefix);

#endif
