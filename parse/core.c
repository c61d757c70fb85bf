// SPDX-License-Identifier: MIT
/*
 * CO-RE relocations resolved the way libbpf does (tools/lib/bpf/relo_core.c,
 * bpf_core_calc_relo_insn) and cilium/ebpf does (btf/core.go):
 *
 *  1. The access string is walked in the object's own BTF from the root type:
 *     "0:1:2" is element 0 of the root (a pointer's target), its member 1,
 *     that member's member 2.  Array steps are indices, struct steps member
 *     numbers.  Members without a name (anonymous structs and unions) are
 *     steps the kernel's layout need not share: only named members and array
 *     indices are kept, the "named" spec.
 *  2. The candidates are the kernel's types of the same kind whose name,
 *     less any "___flavor" suffix, is the root type's.  Each is walked by
 *     the named spec: members found by name, through anonymous members.
 *  3. Each candidate that matches gives a value; they must agree.  None: an
 *     "exists" relocation is 0, any other poisons its instruction.
 *
 * The object's own value is computed the same way on its own BTF: it is
 * what clang left in the instruction, which is checked before patching.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "core.h"
#include "fmt.h"

#define CORE_MAX_SPEC 64 /* steps of an access string (libbpf: BPF_CORE_SPEC_MAX_LEN) */
#define CORE_MAX_DEPTH 32
/*
 * Steps (members looked through, types compared) one relocation may take
 * over all its candidates.  A depth limit alone does not bound a walk
 * that branches: a hostile BTF's struct whose many anonymous members are
 * itself, or a prototype whose parameters are itself, takes vlen^depth
 * steps; a struct of 65535 members compared with another, 65535^2.  A
 * real kernel's task_struct takes a few thousand.  (The fuzzer, which
 * resolves hundreds of relocations an input, builds with fewer.)
 */
#ifndef CORE_MAX_STEPS
#define CORE_MAX_STEPS (1 << 20)
#endif

/* One named step: a member found by name, or an array index (name NULL). */
struct core_acc {
	__u32 type_id; /* the struct/union or array stepped into */
	__u32 idx;     /* member number or array index */
	const char *name;
};

/* A walked access string, in one BTF. */
struct core_spec {
	const struct btf *btf;
	__u32 root_id;
	struct core_acc acc[CORE_MAX_SPEC];
	int len;
	__u64 bit_off;	/* of the field, from the root pointer */
	__u32 field_id; /* the field's type */
	/* The last step, when it was a member: which, for bitfields. */
	bool last_member;
	__u32 parent_id;
	__u32 member_idx;
};

static const char *const kind_names[] = {
	[BPF_CORE_FIELD_BYTE_OFFSET] = "field byte offset",
	[BPF_CORE_FIELD_BYTE_SIZE] = "field byte size",
	[BPF_CORE_FIELD_EXISTS] = "field exists",
	[BPF_CORE_FIELD_SIGNED] = "field signed",
	[BPF_CORE_FIELD_LSHIFT_U64] = "field lshift",
	[BPF_CORE_FIELD_RSHIFT_U64] = "field rshift",
	[BPF_CORE_TYPE_ID_LOCAL] = "local type id",
	[BPF_CORE_TYPE_ID_TARGET] = "target type id",
	[BPF_CORE_TYPE_EXISTS] = "type exists",
	[BPF_CORE_TYPE_SIZE] = "type size",
	[BPF_CORE_ENUMVAL_EXISTS] = "enum value exists",
	[BPF_CORE_ENUMVAL_VALUE] = "enum value",
	[BPF_CORE_TYPE_MATCHES] = "type matches",
};

const char *core_kind_name(__u32 kind)
{
	return kind < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[kind] : "?";
}

static bool is_field_kind(__u32 k)
{
	return k <= BPF_CORE_FIELD_RSHIFT_U64;
}

static bool is_enum_kind(__u32 k)
{
	return k == BPF_CORE_ENUMVAL_EXISTS || k == BPF_CORE_ENUMVAL_VALUE;
}

static bool is_exists_kind(__u32 k)
{
	return k == BPF_CORE_FIELD_EXISTS || k == BPF_CORE_TYPE_EXISTS ||
	       k == BPF_CORE_ENUMVAL_EXISTS || k == BPF_CORE_TYPE_MATCHES;
}

size_t core_essential_len(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = n; i >= 3; i--)
		if (!memcmp(name + i - 3, "___", 3))
			n = i - 3;
	return n;
}

static int kind_of(const struct btf_type *t)
{
	return t ? (int)BTF_INFO_KIND(t->info) : BTF_KIND_UNKN;
}

static bool is_composite(const struct btf_type *t)
{
	return kind_of(t) == BTF_KIND_STRUCT || kind_of(t) == BTF_KIND_UNION;
}

static bool is_any_enum(const struct btf_type *t)
{
	return kind_of(t) == BTF_KIND_ENUM || kind_of(t) == BTF_KIND_ENUM64;
}

/* Enum and enum64 stand for each other, as the kernel's may be either. */
static bool same_kind(const struct btf_type *a, const struct btf_type *b)
{
	return kind_of(a) == kind_of(b) || (is_any_enum(a) && is_any_enum(b));
}

static __u32 member_bit_off(const struct btf_type *t, const struct btf_member *m)
{
	return BTF_INFO_KFLAG(t->info) ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
}

static __u32 member_bit_size(const struct btf_type *t, const struct btf_member *m)
{
	return BTF_INFO_KFLAG(t->info) ? BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;
}

static __u32 int_enc(const struct btf_type *t)
{
	return *(const __u32 *)(t + 1);
}

/* Names equal less their flavors; an anonymous one matches anything. */
static bool names_match(const char *a, const char *b)
{
	size_t la, lb;

	if (!a || !b || !*a || !*b)
		return true;
	la = core_essential_len(a);
	lb = core_essential_len(b);
	return la == lb && !memcmp(a, b, la);
}

static const char *name_of(const struct btf *b, const struct btf_type *t)
{
	return t ? btf_name(b, t->name_off) : NULL;
}

/* Parses "0:1:2" into raw[]; the count, or -1. */
static int parse_access(const char *s, __u32 *raw)
{
	int n = 0;

	if (!s || !*s)
		return -1;
	for (;;) {
		unsigned long v = 0;

		if (*s < '0' || *s > '9' || n == CORE_MAX_SPEC)
			return -1;
		for (; *s >= '0' && *s <= '9'; s++) {
			v = v * 10 + (unsigned long)(*s - '0');
			if (v > INT32_MAX)
				return -1;
		}
		raw[n++] = v;
		if (!*s)
			return n;
		if (*s++ != ':')
			return -1;
	}
}

static void what_append(char *what, size_t size, const char *s)
{
	size_t n = strlen(what);

	if (n < size - 1)
		fmt(what + n, size - n, "%s", s);
}

/*
 * Walks the access string in the object's BTF: the raw steps become the
 * named spec, and the field's bit offset, type and parent are found.
 */
static int local_spec(const struct btf *b, const struct bpf_core_relo *r, struct core_spec *sp,
		      char *what, size_t what_size, struct diag *d)
{
	const char *str = btf_name(b, r->access_str_off);
	const struct btf_type *t;
	__u32 raw[CORE_MAX_SPEC], id;
	long long sz;
	int n;

	memset(sp, 0, sizeof(*sp));
	sp->btf = b;
	sp->root_id = r->type_id;
	n = parse_access(str, raw);
	if (n < 0)
		return diag(d, -EINVAL, "access string '%s' is malformed", str ? str : "?");
	t = btf_type_by_id(b, r->type_id);
	if (!t)
		return diag(d, -EINVAL, "root type %u out of range", r->type_id);
	fmt(what, what_size, "%.*s", (int)core_essential_len(name_of(b, t) ?: ""),
	    name_of(b, t) ?: "");

	if (!is_field_kind(r->kind) && !is_enum_kind(r->kind)) {
		if (n != 1 || raw[0])
			return diag(d, -EINVAL, "type relocation with access string '%s'", str);
		return 0;
	}
	if (is_enum_kind(r->kind)) {
		const struct btf_type *e = btf_skip_mods(b, r->type_id, &id);
		const char *name;

		if (!is_any_enum(e) || n != 1 || raw[0] >= BTF_INFO_VLEN(e->info))
			return diag(d, -EINVAL, "enum relocation: access string '%s' out of range",
				    str);
		name = kind_of(e) == BTF_KIND_ENUM
			       ? btf_name(b, ((const struct btf_enum *)(e + 1))[raw[0]].name_off)
			       : btf_name(b, ((const struct btf_enum64 *)(e + 1))[raw[0]].name_off);
		if (!name || !*name)
			return diag(d, -EINVAL, "enum relocation: enumerator %u has no name",
				    raw[0]);
		sp->acc[0] = (struct core_acc){ id, raw[0], name };
		sp->len = 1;
		what_append(what, what_size, "::");
		what_append(what, what_size, name);
		return 0;
	}

	/* A field: raw[0] indexes the root as an array (a pointer's target). */
	btf_skip_mods(b, r->type_id, &id);
	sz = btf_type_size(b, id);
	if (sz < 0 || (sz && raw[0] > (UINT64_MAX / 8) / (__u64)sz))
		return diag(d, -EINVAL, "root type %u has no size", r->type_id);
	sp->acc[sp->len++] = (struct core_acc){ id, raw[0], NULL };
	sp->bit_off = (__u64)raw[0] * sz * 8;
	if (raw[0]) {
		char idx[16];

		fmt(idx, sizeof(idx), "[%u]", raw[0]);
		what_append(what, what_size, idx);
	}
	for (int i = 1; i < n; i++) {
		t = btf_skip_mods(b, id, &id);
		if (is_composite(t)) {
			const struct btf_member *m = (const void *)(t + 1);
			const char *name;

			if (raw[i] >= BTF_INFO_VLEN(t->info))
				return diag(d, -EINVAL,
					    "access string '%s': member %u out of range", str,
					    raw[i]);
			m += raw[i];
			name = btf_name(b, m->name_off);
			if (!name)
				return diag(d, -EINVAL, "access string '%s': bad member name", str);
			sp->bit_off += member_bit_off(t, m);
			sp->last_member = true;
			sp->parent_id = id;
			sp->member_idx = raw[i];
			if (*name) {
				sp->acc[sp->len++] = (struct core_acc){ id, raw[i], name };
				what_append(what, what_size, ".");
				what_append(what, what_size, name);
			}
			id = m->type;
		} else if (kind_of(t) == BTF_KIND_ARRAY) {
			const struct btf_array *a = (const void *)(t + 1);
			char idx[16];

			if (raw[i] >= a->nelems && a->nelems)
				return diag(d, -EINVAL, "access string '%s': index %u out of range",
					    str, raw[i]);
			sz = btf_type_size(b, a->type);
			if (sz < 0)
				return diag(d, -EINVAL, "access string '%s': bad array", str);
			sp->acc[sp->len++] = (struct core_acc){ id, raw[i], NULL };
			sp->bit_off += (__u64)raw[i] * sz * 8;
			sp->last_member = false;
			id = a->type;
			fmt(idx, sizeof(idx), "[%u]", raw[i]);
			what_append(what, what_size, idx);
		} else {
			return diag(d, -EINVAL,
				    "access string '%s': step %d is not into a struct, "
				    "union or array",
				    str, i);
		}
	}
	sp->field_id = id;
	return 0;
}

/*
 * Are two field types the same for CO-RE (relo_core.c,
 * bpf_core_fields_are_compat)?  Structs and unions by name only; ints
 * of any size; arrays by their elements.
 */
static bool fields_compat(const struct btf *lb, __u32 lid, const struct btf *tb, __u32 tid,
			  int depth)
{
	const struct btf_type *l = btf_skip_mods(lb, lid, &lid);
	const struct btf_type *t = btf_skip_mods(tb, tid, &tid);

	if (!l || !t || depth > CORE_MAX_DEPTH)
		return false;
	if (is_composite(l) && is_composite(t))
		return true;
	if (!same_kind(l, t))
		return false;
	switch (kind_of(l)) {
	case BTF_KIND_PTR:
	case BTF_KIND_FLOAT: return true;
	case BTF_KIND_FWD:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: return names_match(name_of(lb, l), name_of(tb, t));
	case BTF_KIND_INT: return !BTF_INT_OFFSET(int_enc(l)) && !BTF_INT_OFFSET(int_enc(t));
	case BTF_KIND_ARRAY:
		return fields_compat(lb, ((const struct btf_array *)(l + 1))->type, tb,
				     ((const struct btf_array *)(t + 1))->type, depth + 1);
	default: return false;
	}
}

/*
 * Member name in struct/union id, looked for through its anonymous members:
 * adds its bit offset to *bit_off, sets its parent and number.
 */
static bool find_member(const struct btf *b, __u32 id, const char *name, __u64 *bit_off,
			__u32 *parent, __u32 *idx, int depth, int *steps)
{
	const struct btf_type *t = btf_skip_mods(b, id, &id);
	const struct btf_member *m;

	if (!is_composite(t) || depth > CORE_MAX_DEPTH)
		return false;
	m = (const void *)(t + 1);
	for (__u32 i = 0; i < BTF_INFO_VLEN(t->info); i++, m++) {
		const char *mname = btf_name(b, m->name_off);
		__u64 off = *bit_off + member_bit_off(t, m);

		if (--*steps < 0)
			return false;
		if (!mname)
			continue;
		if (*mname && !strcmp(mname, name)) {
			*bit_off = off;
			*parent = id;
			*idx = i;
			return true;
		}
		if (!*mname && find_member(b, m->type, name, &off, parent, idx, depth + 1, steps)) {
			*bit_off = off;
			return true;
		}
	}
	return false;
}

/* Walks the named spec in a candidate; false when it does not fit. */
static bool match_field(const struct core_spec *l, const struct btf *tb, __u32 cand,
			struct core_spec *t, int *steps)
{
	const struct btf *lb = l->btf;
	__u32 id;
	long long sz;

	memset(t, 0, sizeof(*t));
	t->btf = tb;
	t->root_id = cand;
	btf_skip_mods(tb, cand, &id);
	sz = btf_type_size(tb, id);
	if (sz < 0)
		return false;
	t->bit_off = (__u64)l->acc[0].idx * sz * 8;
	for (int i = 1; i < l->len; i++) {
		const struct core_acc *a = &l->acc[i];

		if (a->name) {
			const struct btf_type *lp = btf_type_by_id(lb, a->type_id);
			const struct btf_member *lm = (const struct btf_member *)(lp + 1) + a->idx;
			const struct btf_type *tp;
			const struct btf_member *tm;

			if (!find_member(tb, id, a->name, &t->bit_off, &t->parent_id,
					 &t->member_idx, 0, steps))
				return false;
			tp = btf_type_by_id(tb, t->parent_id);
			tm = (const struct btf_member *)(tp + 1) + t->member_idx;
			if (!fields_compat(lb, lm->type, tb, tm->type, 0))
				return false;
			t->last_member = true;
			id = tm->type;
		} else {
			const struct btf_type *at = btf_skip_mods(tb, id, &id);
			const struct btf_array *arr;

			if (kind_of(at) != BTF_KIND_ARRAY)
				return false;
			arr = (const void *)(at + 1);
			if (a->idx >= arr->nelems && arr->nelems)
				return false;
			sz = btf_type_size(tb, arr->type);
			if (sz < 0)
				return false;
			t->bit_off += (__u64)a->idx * sz * 8;
			t->last_member = false;
			id = arr->type;
		}
	}
	t->field_id = id;
	return true;
}

/* A field's value for relocation kind, from a walked spec (bpf_core_calc_field_relo). */
static int field_value(const struct core_spec *sp, __u32 kind, __u64 *val, __u32 *size,
		       bool *validate, struct diag *d)
{
	const struct btf *b = sp->btf;
	const struct btf_type *mt = btf_skip_mods(b, sp->field_id, NULL);
	__u32 bit_sz = 0, byte_sz, byte_off;
	__u64 bit_off = sp->bit_off;
	bool bitfield;

	*size = 0;
	*validate = true;
	if (kind == BPF_CORE_FIELD_EXISTS) {
		*val = 1;
		return 0;
	}
	if (sp->last_member) {
		const struct btf_type *p = btf_type_by_id(b, sp->parent_id);

		bit_sz = member_bit_size(p, (const struct btf_member *)(p + 1) + sp->member_idx);
	}
	if (bit_off / 8 > INT32_MAX)
		return diag(d, -EINVAL, "field offset out of range");
	bitfield = bit_sz > 0;
	if (bitfield) {
		if (!mt || kind_of(mt) == BTF_KIND_UNKN || !mt->size || mt->size > 8)
			return diag(d, -EINVAL, "bitfield of a bad type");
		byte_sz = mt->size;
		byte_off = bit_off / 8 / byte_sz * byte_sz;
		while (bit_off + bit_sz - byte_off * 8 > byte_sz * 8) {
			if (byte_sz >= 8)
				return diag(d, -EINVAL, "bitfield spans more than 8 bytes");
			byte_sz *= 2;
			byte_off = bit_off / 8 / byte_sz * byte_sz;
		}
	} else {
		long long sz = btf_type_size(b, sp->field_id);

		if (sz < 0 || sz > INT32_MAX)
			return diag(d, -EINVAL, "field has no size");
		byte_sz = sz;
		byte_off = bit_off / 8;
		bit_sz = byte_sz * 8;
	}
	*validate = !bitfield;
	switch (kind) {
	case BPF_CORE_FIELD_BYTE_OFFSET:
		*val = byte_off;
		if (!bitfield)
			*size = byte_sz;
		break;
	case BPF_CORE_FIELD_BYTE_SIZE: *val = byte_sz; break;
	case BPF_CORE_FIELD_SIGNED:
		*val = (is_any_enum(mt) && BTF_INFO_KFLAG(mt->info)) ||
		       (kind_of(mt) == BTF_KIND_INT &&
			(BTF_INT_ENCODING(int_enc(mt)) & BTF_INT_SIGNED));
		*validate = true;
		break;
	case BPF_CORE_FIELD_LSHIFT_U64:
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		*val = 64 - (bit_off + bit_sz - byte_off * 8);
#else
		*val = (8 - byte_sz) * 8 + (bit_off - byte_off * 8);
#endif
		break;
	case BPF_CORE_FIELD_RSHIFT_U64:
		*val = 64 - bit_sz;
		*validate = true;
		break;
	default: return diag(d, -EINVAL, "not a field relocation");
	}
	return 0;
}

/*
 * Types compatible for TYPE_EXISTS, TYPE_SIZE and TYPE_ID_TARGET
 * (relo_core.c, __bpf_core_types_are_compat): same kind, and pointers,
 * arrays and function prototypes compatible all the way down.
 */
static bool types_compat(const struct btf *lb, __u32 lid, const struct btf *tb, __u32 tid,
			 int depth, int *steps)
{
	const struct btf_type *l = btf_skip_mods(lb, lid, &lid);
	const struct btf_type *t = btf_skip_mods(tb, tid, &tid);

	if (depth > CORE_MAX_DEPTH || --*steps < 0)
		return false;
	if (!l || !t)
		return !l && !t; /* void is void */
	if (!same_kind(l, t))
		return false;
	switch (kind_of(l)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
	case BTF_KIND_FLOAT: return true;
	case BTF_KIND_INT: return !BTF_INT_OFFSET(int_enc(l)) && !BTF_INT_OFFSET(int_enc(t));
	case BTF_KIND_PTR: return types_compat(lb, l->type, tb, t->type, depth + 1, steps);
	case BTF_KIND_ARRAY:
		return types_compat(lb, ((const struct btf_array *)(l + 1))->type, tb,
				    ((const struct btf_array *)(t + 1))->type, depth + 1, steps);
	case BTF_KIND_FUNC_PROTO: {
		const struct btf_param *lp = (const void *)(l + 1), *tp = (const void *)(t + 1);

		if (BTF_INFO_VLEN(l->info) != BTF_INFO_VLEN(t->info))
			return false;
		for (__u32 i = 0; i < BTF_INFO_VLEN(l->info); i++)
			if (!types_compat(lb, lp[i].type, tb, tp[i].type, depth + 1, steps))
				return false;
		return types_compat(lb, l->type, tb, t->type, depth + 1, steps);
	}
	default: return false;
	}
}

/*
 * TYPE_MATCHES (relo_core.c, bpf_core_types_match), stricter: every local
 * member exists in the target's struct by name, with a matching type;
 * every local enumerator exists; ints have the same size and sign.
 */
static bool types_match(const struct btf *lb, __u32 lid, const struct btf *tb, __u32 tid, int depth,
			int *steps)
{
	const struct btf_type *l = btf_skip_mods(lb, lid, &lid);
	const struct btf_type *t = btf_skip_mods(tb, tid, &tid);

	if (depth > CORE_MAX_DEPTH || --*steps < 0)
		return false;
	if (!l || !t)
		return !l && !t;
	if (!same_kind(l, t) || !names_match(name_of(lb, l), name_of(tb, t)))
		return false;
	switch (kind_of(l)) {
	case BTF_KIND_FWD:
	case BTF_KIND_FLOAT: return true;
	case BTF_KIND_INT:
		return l->size == t->size &&
		       (BTF_INT_ENCODING(int_enc(l)) & BTF_INT_SIGNED) ==
			       (BTF_INT_ENCODING(int_enc(t)) & BTF_INT_SIGNED);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (l->size != t->size)
			return false;
		for (__u32 i = 0; i < BTF_INFO_VLEN(l->info); i++) {
			const char *n =
				kind_of(l) == BTF_KIND_ENUM
					? btf_name(lb,
						   ((const struct btf_enum *)(l + 1))[i].name_off)
					: btf_name(
						  lb,
						  ((const struct btf_enum64 *)(l + 1))[i].name_off);
			bool found = false;

			for (__u32 j = 0; n && j < BTF_INFO_VLEN(t->info) && !found; j++) {
				const char *tn =
					--*steps < 0 ? NULL
					: kind_of(t) == BTF_KIND_ENUM
						? btf_name(tb, ((const struct btf_enum *)(t + 1))[j]
								       .name_off)
						: btf_name(tb,
							   ((const struct btf_enum64 *)(t + 1))[j]
								   .name_off);

				found = tn && !strcmp(n, tn);
			}
			if (!found)
				return false;
		}
		return true;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *lm = (const void *)(l + 1);

		if (BTF_INFO_VLEN(l->info) > BTF_INFO_VLEN(t->info))
			return false;
		for (__u32 i = 0; i < BTF_INFO_VLEN(l->info); i++, lm++) {
			const char *n = btf_name(lb, lm->name_off);
			const struct btf_member *tm = (const void *)(t + 1);
			bool found = false;

			for (__u32 j = 0; n && j < BTF_INFO_VLEN(t->info) && !found; j++, tm++) {
				const char *tn = --*steps < 0 ? NULL : btf_name(tb, tm->name_off);

				found = tn && !strcmp(n, tn) &&
					types_match(lb, lm->type, tb, tm->type, depth + 1, steps);
			}
			if (!found)
				return false;
		}
		return true;
	}
	case BTF_KIND_PTR: {
		/* The pointee by kind and name only: a struct refers to itself. */
		const struct btf_type *lp = btf_skip_mods(lb, l->type, NULL);
		const struct btf_type *tp = btf_skip_mods(tb, t->type, NULL);

		if (!lp || !tp)
			return !lp && !tp;
		return same_kind(lp, tp) && names_match(name_of(lb, lp), name_of(tb, tp));
	}
	case BTF_KIND_ARRAY: {
		const struct btf_array *la = (const void *)(l + 1), *ta = (const void *)(t + 1);

		return la->nelems == ta->nelems &&
		       types_match(lb, la->type, tb, ta->type, depth + 1, steps);
	}
	case BTF_KIND_FUNC_PROTO: return types_compat(lb, lid, tb, tid, depth + 1, steps);
	default: return false;
	}
}

/*
 * The value of enumerator name in enum t, or false when it has none.  As
 * enumerators share C's one namespace, a local flavor's carry flavors too:
 * PIDTYPE_SID___mine is PIDTYPE_SID (relo_core.c, bpf_core_spec_match).
 */
static bool enum_value(const struct btf *b, const struct btf_type *t, const char *name, __u64 *val)
{
	for (__u32 i = 0; i < BTF_INFO_VLEN(t->info); i++) {
		const char *n;
		__u64 v;

		if (kind_of(t) == BTF_KIND_ENUM) {
			const struct btf_enum *e = (const struct btf_enum *)(t + 1) + i;

			n = btf_name(b, e->name_off);
			v = BTF_INFO_KFLAG(t->info) ? (__u64)(__s64)e->val : (__u64)(__u32)e->val;
		} else {
			const struct btf_enum64 *e = (const struct btf_enum64 *)(t + 1) + i;

			n = btf_name(b, e->name_off);
			v = (__u64)e->val_hi32 << 32 | e->val_lo32;
		}
		if (n && core_essential_len(n) == core_essential_len(name) &&
		    !strncmp(n, name, core_essential_len(name))) {
			*val = v;
			return true;
		}
	}
	return false;
}

const char *core_root_name(const struct btf *local, const struct bpf_core_relo *r, struct diag *d)
{
	const struct btf_type *t = btf_type_by_id(local, r->type_id);
	const char *name = name_of(local, t);

	if (!t)
		return diag(d, -EINVAL, "root type %u out of range", r->type_id), NULL;
	if (!name || !*name)
		return diag(d, -EINVAL, "root type %u has no name", r->type_id), NULL;
	return name;
}

int core_find_cands(const struct btf *target, struct core_cands *set, size_t n, struct diag *d)
{
	__u32 cnt = btf_type_cnt(target);

	/* A module's split BTF: its own types; its base's are vmlinux's, searched apart. */
	for (__u32 id = btf_start_id(target); id <= cnt; id++) {
		const char *name = btf_name(target, btf_type_by_id(target, id)->name_off);
		size_t len;

		if (!name || !*name)
			continue;
		len = 0;
		for (size_t i = 0; i < n; i++) {
			struct core_cands *c = &set[i];
			__u32 *ids;

			if (name[0] != c->name[0] || strncmp(name, c->name, c->len))
				continue;
			if (!len)
				len = core_essential_len(name);
			if (len != c->len)
				continue;
			ids = realloc(c->ids, (c->cnt + 1) * sizeof(*ids));
			if (!ids)
				return diag(d, -ENOMEM, "core: out of memory");
			ids[c->cnt++] = id;
			c->ids = ids;
		}
	}
	return 0;
}

void core_cands_free(struct core_cands *set, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(set[i].ids);
		set[i].ids = NULL;
		set[i].cnt = 0;
	}
}

/* The local value and, when the candidate matches, its value. */
static int cand_value(const struct core_spec *lsp, const struct btf *tb, __u32 cand,
		      const struct bpf_core_relo *r, bool *matched, __u64 *val, __u32 *size,
		      __u32 *type_id, int *steps, struct diag *d)
{
	const struct btf *lb = lsp->btf;
	const struct btf_type *lt = btf_type_by_id(lb, r->type_id);
	const struct btf_type *ct = btf_type_by_id(tb, cand);
	bool validate;

	*matched = false;
	if (!same_kind(lt, ct))
		return 0;
	if (is_field_kind(r->kind)) {
		struct core_spec tsp;

		if (!match_field(lsp, tb, cand, &tsp, steps))
			return 0;
		*matched = true;
		*type_id = tsp.field_id;
		return field_value(&tsp, r->kind, val, size, &validate, d);
	}
	if (is_enum_kind(r->kind)) {
		const struct btf_type *e = btf_skip_mods(tb, cand, NULL);

		if (!is_any_enum(e) || !enum_value(tb, e, lsp->acc[0].name, val))
			return 0;
		*matched = true;
		if (r->kind == BPF_CORE_ENUMVAL_EXISTS)
			*val = 1;
		return 0;
	}
	if (r->kind == BPF_CORE_TYPE_MATCHES ? !types_match(lb, r->type_id, tb, cand, 0, steps)
					     : !types_compat(lb, r->type_id, tb, cand, 0, steps))
		return 0;
	*matched = true;
	switch (r->kind) {
	case BPF_CORE_TYPE_ID_TARGET: *val = cand; break;
	case BPF_CORE_TYPE_SIZE: {
		long long sz = btf_type_size(tb, cand);

		if (sz < 0)
			return diag(d, -EINVAL, "kernel type %u has no size", cand);
		*val = sz;
		break;
	}
	default: *val = 1; break;
	}
	return 0;
}

/* Loads of a pointer or an unsigned int may change width with the field (relo_core.c). */
static bool memsz_adjustable(const struct btf *lb, __u32 lid, const struct btf *tb, __u32 tid)
{
	const struct btf_type *l = btf_skip_mods(lb, lid, NULL);
	const struct btf_type *t = btf_skip_mods(tb, tid, NULL);

	if (kind_of(l) == BTF_KIND_PTR && kind_of(t) == BTF_KIND_PTR)
		return true;
	return kind_of(l) == BTF_KIND_INT && kind_of(t) == BTF_KIND_INT &&
	       !(BTF_INT_ENCODING(int_enc(l)) & BTF_INT_SIGNED) &&
	       !(BTF_INT_ENCODING(int_enc(t)) & BTF_INT_SIGNED);
}

int core_resolve(const struct btf *local, const struct btf *target, const struct core_cands *cand,
		 const struct bpf_core_relo *r, struct core_res *res, struct diag *d)
{
	struct core_spec lsp;
	__u32 lsize = 0, ltype = 0;
	bool found = false;
	int err, steps = CORE_MAX_STEPS;

	memset(res, 0, sizeof(*res));
	res->validate = true;
	if (r->kind > BPF_CORE_TYPE_MATCHES)
		return diag(d, -EINVAL, "unknown relocation kind %u", r->kind);
	err = local_spec(local, r, &lsp, res->what, sizeof(res->what), d);
	if (err)
		return err;

	/* What clang computed from the object's own types. */
	if (is_field_kind(r->kind)) {
		err = field_value(&lsp, r->kind, &res->orig, &lsize, &res->validate, d);
		if (err)
			return err;
		ltype = lsp.field_id;
	} else if (is_enum_kind(r->kind)) {
		const struct btf_type *e = btf_skip_mods(local, r->type_id, NULL);

		if (r->kind == BPF_CORE_ENUMVAL_EXISTS)
			res->orig = 1;
		else
			enum_value(local, e, lsp.acc[0].name, &res->orig);
	} else if (r->kind == BPF_CORE_TYPE_SIZE) {
		long long sz = btf_type_size(local, r->type_id);

		if (sz < 0)
			return diag(d, -EINVAL, "type %u has no size", r->type_id);
		res->orig = sz;
	} else if (r->kind == BPF_CORE_TYPE_ID_LOCAL || r->kind == BPF_CORE_TYPE_ID_TARGET) {
		res->orig = r->type_id;
	} else {
		res->orig = 1;
	}
	if (r->kind == BPF_CORE_TYPE_ID_LOCAL) {
		res->val = res->orig;
		return 0;
	}
	if (!target || !cand)
		return diag(d, -EINVAL, "no kernel types to resolve against");

	for (size_t i = 0; i < cand->cnt; i++) {
		__u64 val = 0;
		__u32 size = 0, tid = 0;
		bool matched;

		err = cand_value(&lsp, target, cand->ids[i], r, &matched, &val, &size, &tid, &steps,
				 d);
		if (err)
			return err;
		if (!matched)
			continue;
		if (found && (val != res->val || size != res->new_sz))
			return diag(d, -EINVAL, "kernel types %u and %u disagree (%llu and %llu)",
				    cand->ids[0], cand->ids[i], (unsigned long long)res->val,
				    (unsigned long long)val);
		if (!found && size && lsize && size != lsize &&
		    !memsz_adjustable(local, ltype, target, tid))
			res->fail_memsz = true;
		found = true;
		res->val = val;
		res->new_sz = size;
	}
	if (steps < 0)
		return diag(d, -ELOOP, "%s: more than %d steps through the types (a loop?)",
			    res->what, CORE_MAX_STEPS);
	res->orig_sz = res->new_sz ? lsize : 0;
	if (!found) {
		res->val = 0;
		res->poison = !is_exists_kind(r->kind);
	}
	return 0;
}

static bool is_ldimm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static int size_code(__u32 bytes)
{
	switch (bytes) {
	case 1: return BPF_B;
	case 2: return BPF_H;
	case 4: return BPF_W;
	case 8: return BPF_DW;
	default: return -1;
	}
}

int core_patch(struct bpf_insn *insns, size_t cnt, const struct bpf_core_relo *r,
	       const struct core_res *res, struct diag *d)
{
	struct bpf_insn *insn;
	__u32 i = r->insn_off;

	if (i >= cnt)
		return diag(d, -EINVAL, "instruction %u out of range", i);
	insn = &insns[i];
	if (res->poison) {
		if (is_ldimm64(insn) && i + 1 < cnt)
			insn[1] =
				(struct bpf_insn){ .code = BPF_JMP | BPF_CALL, .imm = CORE_POISON };
		*insn = (struct bpf_insn){ .code = BPF_JMP | BPF_CALL, .imm = CORE_POISON };
		return 0;
	}
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_SRC(insn->code) != BPF_K)
			return diag(d, -EINVAL, "instruction %u is an ALU op without immediate", i);
		if (res->validate && (__u32)insn->imm != (__u32)res->orig)
			return diag(d, -EINVAL,
				    "instruction %u holds %d, not the %llu clang computed", i,
				    insn->imm, (unsigned long long)res->orig);
		if (res->val > UINT32_MAX && ((__s64)res->val >= 0 || (__s64)res->val < INT32_MIN))
			return diag(d, -ERANGE, "instruction %u: %llu does not fit an immediate", i,
				    (unsigned long long)res->val);
		insn->imm = (__s32)res->val;
		return 0;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		if (res->validate && insn->off != (__s64)res->orig)
			return diag(d, -EINVAL,
				    "instruction %u has offset %d, not the %llu clang "
				    "computed",
				    i, insn->off, (unsigned long long)res->orig);
		if (res->val > SHRT_MAX)
			return diag(d, -ERANGE, "instruction %u: offset %llu is too big", i,
				    (unsigned long long)res->val);
		/*
		 * A signed field of another width: the load cannot be resized
		 * (nothing would sign-extend it), so it is poisoned, as libbpf
		 * does (relo_core.c, fail_memsz_adjust), and refused only if
		 * the verifier reaches it.
		 */
		if (res->fail_memsz && res->orig_sz != res->new_sz) {
			*insn = (struct bpf_insn){ .code = BPF_JMP | BPF_CALL, .imm = CORE_POISON };
			return 0;
		}
		if (res->orig_sz != res->new_sz) {
			int code = size_code(res->new_sz);

			if (code < 0 || BPF_MODE(insn->code) != BPF_MEM ||
			    size_code(res->orig_sz) != (int)BPF_SIZE(insn->code))
				return diag(d, -EINVAL,
					    "instruction %u: the field is %u bytes in the kernel, "
					    "%u here",
					    i, res->new_sz, res->orig_sz);
			insn->code = BPF_MODE(insn->code) | code | BPF_CLASS(insn->code);
		}
		insn->off = (__s16)res->val;
		return 0;
	case BPF_LD:
		if (!is_ldimm64(insn) || i + 1 >= cnt || insn[0].src_reg || insn[0].off ||
		    insn[1].code || insn[1].dst_reg || insn[1].src_reg || insn[1].off)
			return diag(d, -EINVAL, "instruction %u is not a plain ld_imm64", i);
		if (res->validate &&
		    ((__u64)(__u32)insn[0].imm | (__u64)(__u32)insn[1].imm << 32) != res->orig)
			return diag(d, -EINVAL,
				    "instruction %u does not hold the %llu clang computed", i,
				    (unsigned long long)res->orig);
		insn[0].imm = (__s32)(__u32)res->val;
		insn[1].imm = (__s32)(__u32)(res->val >> 32);
		return 0;
	default: return diag(d, -EINVAL, "instruction %u cannot hold a relocated value", i);
	}
}
