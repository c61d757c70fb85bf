/* SPDX-License-Identifier: MIT */
/*
 * .BTF.ext, what clang writes beside .BTF for each code section: which BTF
 * FUNC each function is (func_info), which source line each stretch of
 * instructions came from (line_info), and which instructions hold a field
 * offset, size or type id compiled for one kernel that a CO-RE loader must
 * rewrite for the running one (core_relo).  Pure: bytes in, records out.
 *
 * Records are copied into the kernel's own structs (include/uapi/linux/bpf.h),
 * with insn_off still as clang wrote it: bytes into the named section.
 */
#ifndef MINI_TRACE_BTF_EXT_H
#define MINI_TRACE_BTF_EXT_H

#include <stddef.h>
#include <linux/bpf.h>

#include "btf.h"
#include "diag.h"

/* Every record .BTF.ext holds for one ELF section, in the order it holds them. */
struct btf_ext_sec {
	const char *name; /* the section's name, in .BTF's strings */
	struct bpf_func_info *funcs;
	size_t func_cnt;
	struct bpf_line_info *lines;
	size_t line_cnt;
	struct bpf_core_relo *relos;
	size_t relo_cnt;
};

struct btf_ext {
	struct btf_ext_sec *secs;
	size_t sec_cnt;
};

/*
 * Reads .BTF.ext (data, size) whose strings and type ids refer to btf.
 * Every length, offset, record size and count is checked against what holds
 * it, every string offset against .BTF's string table, every func_info type
 * against .BTF's FUNCs.  Whether an insn_off lies inside its section is for
 * the caller, who knows the sections.
 */
int btf_ext_parse(struct btf_ext *x, const void *data, size_t size, const struct btf *btf,
		  struct diag *d);
/* The records for section name, or NULL when there are none. */
const struct btf_ext_sec *btf_ext_find(const struct btf_ext *x, const char *name);
void btf_ext_free(struct btf_ext *x);

#endif
