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
	SEC_RESOLVE_TRACEFS_ID, /* the event's id in tracefs' events/<cat>/<name>/id */
};

/* How a loaded program is attached to it. */
enum sec_link {
	SEC_LINK_PERF_TRACEPOINT, /* perf_event_open(PERF_TYPE_TRACEPOINT) + SET_BPF */
};

struct sec_def {
	const char *prefix; /* the section name up to the target */
	enum bpf_prog_type prog_type;
	enum spec_attach attach;
	enum sec_resolve resolve;
	enum sec_link link;
	/* Targets starting with this are attached before all others; or NULL. */
	const char *attach_first;
};

/* The row whose prefix starts sec_name, or NULL. */
const struct sec_def *sec_def_find(const char *sec_name);

/* 0 for a program to attach in the first round, 1 for the second. */
int sec_attach_round(const char *sec_name, const char *target);

bool has_prefix(const char *s, const char *prefix);

#endif
