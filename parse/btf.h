/* SPDX-License-Identifier: MIT */
/*
 * BTF, the type information clang writes into .BTF: just enough of it to read
 * the map definitions of a ".maps" section, and to check what .BTF.ext and
 * the symbol table point at in it.  Pure: bytes in, definitions out.
 */
#ifndef MINI_TRACE_BTF_H
#define MINI_TRACE_BTF_H

#include <stddef.h>
#include <linux/types.h>

#include "diag.h"

struct btf_map_def {
	const char *name; /* the variable's name, in the BTF string table */
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 map_flags;
	__u32 key_type;	  /* __type(key, T): T's type id, for BPF_MAP_CREATE; 0 without */
	__u32 value_type; /* __type(value, T) */
};

/*
 * Reads every variable of the DATASEC named sec (".maps") as a map
 * definition.  *defs is malloc'ed; the names point into btf.
 */
int btf_parse_maps(const void *btf, size_t size, const char *sec, struct btf_map_def **defs,
		   size_t *cnt, struct diag *d);

/*
 * .BTF opened for lookups: btf_new() checks the header and every type record
 * (sizes, kinds) and indexes them; the strings and types then point into
 * data, which must outlive it.  btf_free() takes NULL.
 */
struct btf;

int btf_new(const void *data, size_t size, struct btf **b, struct diag *d);
void btf_free(struct btf *b);
/*
 * A module's split BTF on top of base (vmlinux's), which must outlive it:
 * its types take ids from btf_type_cnt(base) + 1 on, its string offsets
 * count on from the end of base's strings, and every lookup of a smaller
 * id or offset is base's.
 */
int btf_new_split(const void *data, size_t size, const struct btf *base, struct btf **b,
		  struct diag *d);
/* The first type id of b's own: 1, or one past its base's last. */
__u32 btf_start_id(const struct btf *b);
/* The string at off, or NULL when off or its NUL is outside the table. */
const char *btf_name(const struct btf *b, __u32 off);
/* How many types there are: the last type id (a split BTF's base's count in). */
__u32 btf_type_cnt(const struct btf *b);
/* The BTF_KIND_* of type id, or -1 for void and ids past the last type. */
int btf_kind(const struct btf *b, __u32 id);
/* The type id of the DATASEC called name (".bss", ".rodata"), or 0. */
__u32 btf_datasec_id(const struct btf *b, const char *name);
/*
 * The general reader, shared by the object's BTF and the kernel's
 * (/sys/kernel/btf/vmlinux, parse/core.c).  Every pointer returned lies
 * inside the data btf_new() checked; a type's trailing entries (members,
 * enumerators, params) are inside it too, as btf_new() checked vlen.
 */
/* The number of types: ids run 1..btf_type_cnt(). */
__u32 btf_type_cnt(const struct btf *b);
/* Type id, or NULL for void (0) and ids past the last type. */
const struct btf_type *btf_type_by_id(const struct btf *b, __u32 id);
/*
 * Follows typedefs and qualifiers (const, volatile, restrict, type tags)
 * to the type they name, and its id in *res_id (may be NULL).  NULL for
 * void, a bad id, or a chain deeper than any sane one (a loop).
 */
const struct btf_type *btf_skip_mods(const struct btf *b, __u32 id, __u32 *res_id);
/* sizeof() of type id on the BPF target (8-byte pointers), or -1. */
long long btf_type_size(const struct btf *b, __u32 id);
/* The name of the DATASEC (".ksyms", ".kconfig") holding a VAR or FUNC of this name. */
const char *btf_datasec_of(const struct btf *b, const char *name);
/* The same, and the VAR's or FUNC's type id in *type. */
const char *btf_extern_of(const struct btf *b, const char *name, __u32 *type);

/*
 * Where the ELF put a data section and a variable in it: what clang leaves
 * zero in .BTF's DATASECs.  Returns 0 and fills *val, or -ENOENT.
 */
struct btf_layout {
	int (*sec_size)(void *ctx, const char *sec, __u32 *val);
	int (*var_off)(void *ctx, const char *sec, const char *var, __u32 *val);
	void *ctx;
};

/*
 * Fills in, in place, each DATASEC's size and its variables' offsets from
 * layout, and sorts the variables by offset, as BPF_BTF_LOAD demands.
 */
int btf_fixup_datasecs(void *data, size_t size, const struct btf_layout *layout, struct diag *d);

/*
 * Makes, in place, the externs' BTF (__ksym, __kconfig) one the kernel
 * loads: their DATASECs, which no ELF section lays out, become enums of
 * the same size, and extern functions and variables global ones.
 */
int btf_fix_externs(void *data, size_t size, struct diag *d);

/* Kinds a kernel may not know yet, and the version that learnt each. */
enum btf_new_kind {
	BTF_NEW_FLOAT = 1 << 0,	   /* 5.13 */
	BTF_NEW_DECL_TAG = 1 << 1, /* 5.16 */
	BTF_NEW_TYPE_TAG = 1 << 2, /* 5.17 */
	BTF_NEW_ENUM64 = 1 << 3,   /* 6.0 */
};

/*
 * Replaces, in place, each type of a kind in missing (enum btf_new_kind)
 * with one an older kernel knows, keeping every type id.  -EOPNOTSUPP if
 * a kind cannot be replaced in place (ENUM64).
 */
int btf_sanitize(void *data, size_t size, unsigned int missing, struct diag *d);

#endif
