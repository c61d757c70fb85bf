/* SPDX-License-Identifier: MIT */
/*
 * CO-RE ("compile once, run everywhere"): clang records, beside each
 * instruction that holds a field offset, a size, a type id or an enum value
 * it computed from the object's own headers, which field of which type it
 * meant (a bpf_core_relo in .BTF.ext: a root type id and an access string
 * "0:1:2").  The loader finds the same field in the running kernel's BTF
 * and rewrites the instruction, as libbpf does (tools/lib/bpf/relo_core.c).
 *
 * Pure: two BTFs and a record in, a value (or "poison") out, then a patch
 * of one instruction.  No syscall, no global state: fuzzable.
 */
#ifndef MINI_TRACE_CORE_H
#define MINI_TRACE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/bpf.h>

#include "btf.h"
#include "diag.h"

/*
 * What libbpf writes over an instruction whose relocation found nothing in
 * the kernel: a call to helper 0xbad2310, which no kernel has.  The verifier
 * rejects it only if the program can reach it ("invalid func
 * unknown#195896080"), so code behind bpf_core_field_exists() still loads.
 */
#define CORE_POISON 0xbad2310

/* The kernel types a relocation may match: those of the same essential name. */
struct core_cands {
	const char *name; /* essential name: without "___flavor" */
	size_t len;
	__u32 *ids; /* malloc'ed by core_find_cands */
	size_t cnt;
};

/* One relocation's answer. */
struct core_res {
	__u64 orig;	 /* what clang left, from the object's own types */
	__u64 val;	 /* what the target's types say */
	bool poison;	 /* nothing in the target: poison the instruction */
	bool validate;	 /* the instruction must hold orig before it is patched */
	bool fail_memsz; /* the field's size changed in a way a load cannot follow */
	__u32 orig_sz;	 /* field byte sizes, when a load's width follows them */
	__u32 new_sz;	 /* (FIELD_BYTE_OFFSET of a scalar; 0 otherwise) */
	char what[128];	 /* "task_struct.real_parent", for messages */
};

/* "field byte offset", "type exists"...; "?" for an unknown kind. */
const char *core_kind_name(__u32 kind);

/* Bytes of name that count: all before a "___" suffix (task_struct___old). */
size_t core_essential_len(const char *name);

/*
 * The essential name of the root type of r in local, or NULL (with d) when
 * r's type is bad or anonymous.
 */
const char *core_root_name(const struct btf *local, const struct bpf_core_relo *r, struct diag *d);

/*
 * One pass over target's types: fills each of set[0..n)'s ids with the types
 * whose essential name is its name; of a module's split BTF, its own types
 * only, as libbpf looks in modules for what vmlinux lacks.  -ENOMEM with d.
 */
int core_find_cands(const struct btf *target, struct core_cands *set, size_t n, struct diag *d);
void core_cands_free(struct core_cands *set, size_t n);

/*
 * Resolves r (its type and strings in local) against target, among the
 * candidate types cand (NULL for TYPE_ID_LOCAL, which needs none).
 * Returns 0 with *res, or -errno with d: a record that does not make sense
 * against the object's own BTF, or candidates that disagree.
 */
int core_resolve(const struct btf *local, const struct btf *target, const struct core_cands *cand,
		 const struct bpf_core_relo *r, struct core_res *res, struct diag *d);

/*
 * Rewrites insns[r->insn_off] (an index here, not bytes) as res says: an ALU
 * immediate, a load/store offset (and width) or an ld_imm64's value, after
 * checking it holds res->orig; or poisons it.
 */
int core_patch(struct bpf_insn *insns, size_t cnt, const struct bpf_core_relo *r,
	       const struct core_res *res, struct diag *d);

#endif
