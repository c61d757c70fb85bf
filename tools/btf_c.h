/* SPDX-License-Identifier: MIT */
/*
 * BTF -> C declarations, as `bpftool btf dump file F format c` writes them:
 * every named type of a BTF (a vmlinux.h), or a few types cut down to the
 * fields a program reads.  Pure: a checked struct btf in, text out.
 */
#ifndef MINI_TRACE_BTF_C_H
#define MINI_TRACE_BTF_C_H

#include <stddef.h>

#include "btf.h"
#include "diag.h"

/*
 * One type to write: "task_struct" (all of it, and what it needs), or
 * "task_struct" with fields {"pid", "comm"}: only those members, found in
 * nested anonymous structs and unions too, written flat in offset order.
 * A function of the kernel ("bpf_strstr") is written as a kfunc's extern
 * declaration, __ksym __weak.
 */
struct btf_c_root {
	const char *name;
	const char *const *fields;
	size_t nr_fields; /* 0: every member */
};

/*
 * Writes the declarations of roots (every named type when nr_roots is
 * 0, with a vmlinux.h's include guard) into *text, malloc'ed and
 * NUL-terminated, each type after the ones it needs.
 */
int btf_c_dump(const struct btf *b, const struct btf_c_root *roots, size_t nr_roots, char **text,
	       size_t *len, struct diag *d);

/*
 * Parses one root from "name" or "name.field,field": the strings point
 * into s, which this cuts up in place; fields is malloc'ed.
 */
int btf_c_parse_root(char *s, struct btf_c_root *root, struct diag *d);

#endif
