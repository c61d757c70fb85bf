// SPDX-License-Identifier: MIT
/*
 * BTF (Documentation/bpf/btf.rst) is a header, an array of variable-length
 * type records and a string table.  Type ids count from 1 in record order;
 * id 0 is void.  Each record is a struct btf_type whose "info" word holds the
 * kind and a count (vlen) of the fixed-size entries that follow it.
 *
 * A BTF-defined map is a variable in the ".maps" DATASEC whose type is an
 * anonymous struct.  Its fields carry numbers in their types, not in data:
 *
 *	__uint(max_entries, 1024)	int (*max_entries)[1024]	PTR -> ARRAY, nelems = 1024
 *	__type(key, u64)		u64 *key			PTR -> u64, size = 8
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "btf.h"

#define BTF_INFO_ENC(kind, kflag, vlen) ((__u32)(kflag) << 31 | (__u32)(kind) << 24 | (vlen))

/* Deep enough for any sane typedef chain, shallow enough to stop a loop. */
#define BTF_MAX_DEPTH 32

/*
 * The index keeps where every BTF_INDEX_STEP-th type starts: the kernel's
 * BTF has well over 100,000 types, and an offset for each would be half a
 * MiB of a CO-RE run's peak memory.  A type between two is found by
 * stepping over the records before it, each of a size its kind and vlen
 * give (all checked by btf_open()).
 */
#define BTF_INDEX_STEP 8

struct btf {
	/*
	 * offs[k]: where type k * BTF_INDEX_STEP + 1 starts, in bytes from
	 * types; types are 1..nr_types.  last_id and last_off: the type found
	 * last, where the next lookup may start (a walk over every id steps
	 * once per type).
	 */
	const unsigned char *types;
	__u32 *offs;
	__u32 nr_types;
	__u32 last_id, last_off;
	const char *strs;
	__u32 str_len;
	/*
	 * Split BTF (a module's, /sys/kernel/btf/<module>) continues its
	 * base's (vmlinux's): its first type is id start_id, one past the
	 * base's last, and its string offsets count on from the end of the
	 * base's string section (kernel/bpf/btf.c, btf_parse_module;
	 * libbpf's btf__parse_split).  Without a base: 1 and 0.
	 */
	const struct btf *base;
	__u32 start_id;
	__u32 start_str;
};

static const char *btf_str(const struct btf *b, __u32 off)
{
	if (off < b->start_str)
		return btf_str(b->base, off);
	off -= b->start_str;
	/* btf_open() checked that the table ends in a NUL: one follows off. */
	if (off >= b->str_len)
		return NULL;
	return b->strs + off;
}

/* Bytes of the entries that follow a type record; -1 for an unknown kind. */
static long btf_type_extra(const struct btf_type *t)
{
	__u32 vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT: return sizeof(__u32);
	case BTF_KIND_ARRAY: return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM: return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64: return (long)vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO: return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR: return sizeof(struct btf_var);
	case BTF_KIND_DATASEC: return (long)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG: return sizeof(struct btf_decl_tag);
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG: return 0;
	default: return -1;
	}
}

/*
 * The same for a type btf_open() accepted, without a branch on its kind: the
 * bytes that follow are fixed, or vlen entries of a size.  btf_type() steps
 * over up to BTF_INDEX_STEP - 1 records with it on each lookup.
 */
static __u32 btf_type_extra_known(const struct btf_type *t)
{
	static const unsigned char fixed[32] = {
		[BTF_KIND_INT] = sizeof(__u32),
		[BTF_KIND_ARRAY] = sizeof(struct btf_array),
		[BTF_KIND_VAR] = sizeof(struct btf_var),
		[BTF_KIND_DECL_TAG] = sizeof(struct btf_decl_tag),
	};
	static const unsigned char each[32] = {
		[BTF_KIND_STRUCT] = sizeof(struct btf_member),
		[BTF_KIND_UNION] = sizeof(struct btf_member),
		[BTF_KIND_ENUM] = sizeof(struct btf_enum),
		[BTF_KIND_ENUM64] = sizeof(struct btf_enum64),
		[BTF_KIND_FUNC_PROTO] = sizeof(struct btf_param),
		[BTF_KIND_DATASEC] = sizeof(struct btf_var_secinfo),
	};
	__u32 kind = BTF_INFO_KIND(t->info) & 31;

	return fixed[kind] + BTF_INFO_VLEN(t->info) * each[kind];
}

static int btf_open(struct btf *b, const void *data, size_t size, struct diag *d)
{
	const struct btf_header *h = data;
	const unsigned char *types;
	__u32 off, id;

	memset(b, 0, sizeof(*b));
	b->start_id = 1;
	if ((unsigned long)data % 4)
		return diag(d, -EINVAL, "btf: section is not 4-byte aligned");
	if (size < sizeof(*h))
		return diag(d, -EINVAL, "btf: truncated header");
	if (h->magic != BTF_MAGIC)
		return diag(d, -EINVAL, "btf: bad magic 0x%x", h->magic);
	if (h->version != BTF_VERSION)
		return diag(d, -EINVAL, "btf: unsupported version %u", h->version);
	if (h->hdr_len < sizeof(*h) || h->hdr_len > size || h->hdr_len % 4)
		return diag(d, -EINVAL, "btf: bad header length %u", h->hdr_len);
	size -= h->hdr_len;
	if (h->type_off > size || h->type_len > size - h->type_off || h->type_off % 4 ||
	    h->type_len % 4)
		return diag(d, -EINVAL, "btf: type section out of range");
	if (h->str_off > size || h->str_len > size - h->str_off)
		return diag(d, -EINVAL, "btf: string section out of range");
	types = (const unsigned char *)data + h->hdr_len + h->type_off;
	b->types = types;
	b->strs = (const char *)data + h->hdr_len + h->str_off;
	b->str_len = h->str_len;
	if (b->str_len && b->strs[b->str_len - 1] != '\0')
		return diag(d, -EINVAL, "btf: string section is not NUL-terminated");

	/*
	 * One pass, into an index sized for the most records type_len could
	 * hold (12 bytes each): of a large one, only the pages written are
	 * ever backed by memory.
	 */
	b->offs = malloc((h->type_len / sizeof(struct btf_type) / BTF_INDEX_STEP + 1) *
			 sizeof(*b->offs));
	if (!b->offs)
		return diag(d, -ENOMEM, "btf: out of memory");
	b->offs[0] = 0;
	for (off = 0, id = 1; off < h->type_len; id++) {
		const struct btf_type *t = (const void *)(types + off);
		long extra;

		if (h->type_len - off < sizeof(*t))
			return diag(d, -EINVAL, "btf: type %u truncated", id);
		extra = btf_type_extra(t);
		if (extra < 0)
			return diag(d, -EINVAL, "btf: type %u has unknown kind %u", id,
				    BTF_INFO_KIND(t->info));
		if ((size_t)extra > h->type_len - off - sizeof(*t))
			return diag(d, -EINVAL, "btf: type %u truncated", id);
		if ((id - 1) % BTF_INDEX_STEP == 0)
			b->offs[(id - 1) / BTF_INDEX_STEP] = off;
		off += sizeof(*t) + extra;
	}
	b->nr_types = id - 1;
	return 0;
}

static const struct btf_type *btf_type(const struct btf *b, __u32 id)
{
	struct btf *walk = (struct btf *)b; /* the cursor only: the types stay as they are */
	__u32 from, off;

	if (id < b->start_id)
		return b->base ? btf_type(b->base, id) : NULL;
	id -= b->start_id - 1;
	if (!id || id > b->nr_types)
		return NULL;
	if (b->last_id && id >= b->last_id && id - b->last_id < BTF_INDEX_STEP) {
		from = b->last_id;
		off = b->last_off;
	} else {
		from = (id - 1) / BTF_INDEX_STEP * BTF_INDEX_STEP + 1;
		off = b->offs[(id - 1) / BTF_INDEX_STEP];
	}
	for (; from < id; from++)
		off += sizeof(struct btf_type) +
		       btf_type_extra_known((const struct btf_type *)(b->types + off));
	walk->last_id = id;
	walk->last_off = off;
	return (const void *)(b->types + off);
}

static bool btf_is_modifier(const struct btf_type *t)
{
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG: return true;
	default: return false;
	}
}

/* Follows typedefs and qualifiers to the type they name. */
static const struct btf_type *btf_skip_modifiers(const struct btf *b, __u32 id)
{
	const struct btf_type *t = btf_type(b, id);

	for (int depth = 0; t && btf_is_modifier(t); depth++) {
		if (depth == BTF_MAX_DEPTH)
			return NULL;
		t = btf_type(b, t->type);
	}
	return t;
}

/* sizeof() of a type, as the BPF target (64-bit pointers) lays it out. */
static long long btf_sizeof(const struct btf *b, __u32 id, int depth)
{
	const struct btf_type *t = btf_type(b, id);
	const struct btf_array *a;
	long long elem;

	if (!t || depth > BTF_MAX_DEPTH)
		return -1;
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
	case BTF_KIND_DATASEC: return t->size;
	case BTF_KIND_PTR: return 8;
	case BTF_KIND_ARRAY:
		a = (const void *)(t + 1);
		elem = btf_sizeof(b, a->type, depth + 1);
		if (elem < 0 || (elem && a->nelems > UINT32_MAX / elem))
			return -1;
		return elem * a->nelems;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_VAR: return btf_sizeof(b, t->type, depth + 1);
	default: return -1; /* void, functions, forward declarations */
	}
}

/* __uint(name, N): a pointer to an array of N elements. */
static int btf_uint_field(const struct btf *b, const struct btf_member *m, __u32 *val)
{
	const struct btf_type *t = btf_skip_modifiers(b, m->type);

	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_PTR)
		return -EINVAL;
	t = btf_skip_modifiers(b, t->type);
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_ARRAY)
		return -EINVAL;
	*val = ((const struct btf_array *)(t + 1))->nelems;
	return 0;
}

/* __type(name, T): a pointer to T; the value is sizeof(T), and T's id is kept. */
static int btf_type_field(const struct btf *b, const struct btf_member *m, __u32 *size, __u32 *id)
{
	const struct btf_type *t = btf_skip_modifiers(b, m->type);
	long long sz;

	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_PTR)
		return -EINVAL;
	sz = btf_sizeof(b, t->type, 0);
	if (sz <= 0 || sz > UINT32_MAX)
		return -EINVAL;
	*size = sz;
	*id = t->type;
	return 0;
}

/* A size given both as __type(key, T) and __uint(key_size, N) must agree. */
static int btf_set_size(__u32 *dst, __u32 val)
{
	if (*dst && *dst != val)
		return -EINVAL;
	*dst = val;
	return 0;
}

static int btf_map_def(const struct btf *b, const struct btf_var_secinfo *vi,
		       struct btf_map_def *def, struct diag *d)
{
	const struct btf_type *var = btf_type(b, vi->type), *st;
	const struct btf_member *m;
	__u32 val;

	if (!var || BTF_INFO_KIND(var->info) != BTF_KIND_VAR)
		return diag(d, -EINVAL, "btf: .maps entry %u is not a variable", vi->type);
	def->name = btf_str(b, var->name_off);
	if (!def->name || !*def->name)
		return diag(d, -EINVAL, "btf: .maps variable %u has no name", vi->type);
	st = btf_skip_modifiers(b, var->type);
	if (!st || BTF_INFO_KIND(st->info) != BTF_KIND_STRUCT)
		return diag(d, -EINVAL, "btf: map '%s': definition is not a struct", def->name);

	m = (const void *)(st + 1);
	for (__u32 i = 0; i < BTF_INFO_VLEN(st->info); i++, m++) {
		const char *field = btf_str(b, m->name_off);
		int err;

		if (!field)
			return diag(d, -EINVAL, "btf: map '%s': field %u has a bad name", def->name,
				    i);
		if (!strcmp(field, "type"))
			err = btf_uint_field(b, m, &def->type);
		else if (!strcmp(field, "max_entries"))
			err = btf_uint_field(b, m, &def->max_entries);
		else if (!strcmp(field, "map_flags"))
			err = btf_uint_field(b, m, &def->map_flags);
		else if (!strcmp(field, "key_size"))
			err = btf_uint_field(b, m, &val) ?: btf_set_size(&def->key_size, val);
		else if (!strcmp(field, "value_size"))
			err = btf_uint_field(b, m, &val) ?: btf_set_size(&def->value_size, val);
		else if (!strcmp(field, "key"))
			err = btf_type_field(b, m, &val, &def->key_type)
				      ?: btf_set_size(&def->key_size, val);
		else if (!strcmp(field, "value"))
			err = btf_type_field(b, m, &val, &def->value_type)
				      ?: btf_set_size(&def->value_size, val);
		else
			return diag(d, -EOPNOTSUPP, "btf: map '%s': unsupported field '%s'",
				    def->name, field);
		if (err)
			return diag(d, -EINVAL, "btf: map '%s': bad field '%s'", def->name, field);
	}
	if (!def->type)
		return diag(d, -EINVAL, "btf: map '%s': no type", def->name);
	return 0;
}

int btf_parse_maps(const void *data, size_t size, const char *sec, struct btf_map_def **defs,
		   size_t *cnt, struct diag *d)
{
	const struct btf_var_secinfo *vi;
	const struct btf_type *ds = NULL;
	struct btf b;
	int err;

	*defs = NULL;
	*cnt = 0;
	err = btf_open(&b, data, size, d);
	if (err)
		goto out;
	for (__u32 id = 1; id <= b.nr_types && !ds; id++) {
		const struct btf_type *t = btf_type(&b, id);
		const char *name = btf_str(&b, t->name_off);

		if (BTF_INFO_KIND(t->info) == BTF_KIND_DATASEC && name && !strcmp(name, sec))
			ds = t;
	}
	if (!ds) {
		err = diag(d, -EINVAL, "btf: no DATASEC '%s'", sec);
		goto out;
	}
	*defs = calloc(BTF_INFO_VLEN(ds->info) ?: 1, sizeof(**defs));
	if (!*defs) {
		err = diag(d, -ENOMEM, "btf: out of memory");
		goto out;
	}
	vi = (const void *)(ds + 1);
	for (__u32 i = 0; i < BTF_INFO_VLEN(ds->info); i++) {
		err = btf_map_def(&b, &vi[i], &(*defs)[i], d);
		if (err)
			goto out;
	}
	*cnt = BTF_INFO_VLEN(ds->info);
out:
	if (err) {
		free(*defs);
		*defs = NULL;
	}
	free(b.offs);
	return err;
}

int btf_new(const void *data, size_t size, struct btf **out, struct diag *d)
{
	struct btf *b = calloc(1, sizeof(*b));
	int err;

	*out = NULL;
	if (!b)
		return diag(d, -ENOMEM, "btf: out of memory");
	err = btf_open(b, data, size, d);
	if (err) {
		btf_free(b);
		return err;
	}
	*out = b;
	return 0;
}

int btf_new_split(const void *data, size_t size, const struct btf *base, struct btf **out,
		  struct diag *d)
{
	struct btf *b;
	__u32 base_cnt = btf_type_cnt(base);
	int err = btf_new(data, size, &b, d);

	*out = NULL;
	if (err)
		return err;
	if (b->nr_types > UINT32_MAX - base_cnt ||
	    (__u64)base->start_str + base->str_len + b->str_len > UINT32_MAX) {
		btf_free(b);
		return diag(d, -E2BIG, "btf: split BTF: more types or strings than ids");
	}
	b->base = base;
	b->start_id = base_cnt + 1;
	b->start_str = base->start_str + base->str_len;
	*out = b;
	return 0;
}

__u32 btf_start_id(const struct btf *b)
{
	return b->start_id;
}

void btf_free(struct btf *b)
{
	if (b)
		free(b->offs);
	free(b);
}

const char *btf_name(const struct btf *b, __u32 off)
{
	return btf_str(b, off);
}

int btf_kind(const struct btf *b, __u32 id)
{
	const struct btf_type *t = btf_type(b, id);

	return t ? (int)BTF_INFO_KIND(t->info) : -1;
}

__u32 btf_datasec_id(const struct btf *b, const char *name)
{
	for (__u32 id = 1; id <= b->nr_types; id++) {
		const struct btf_type *t = btf_type(b, id);
		const char *n = btf_str(b, t->name_off);

		if (BTF_INFO_KIND(t->info) == BTF_KIND_DATASEC && n && !strcmp(n, name))
			return id;
	}
	return 0;
}

const char *btf_datasec_of(const struct btf *b, const char *name)
{
	return btf_extern_of(b, name, NULL);
}

const char *btf_extern_of(const struct btf *b, const char *name, __u32 *type)
{
	for (__u32 id = 1; id <= b->nr_types; id++) {
		const struct btf_type *ds = btf_type(b, id);
		const struct btf_var_secinfo *vi = (const void *)(ds + 1);

		if (BTF_INFO_KIND(ds->info) != BTF_KIND_DATASEC)
			continue;
		for (__u32 i = 0; i < BTF_INFO_VLEN(ds->info); i++) {
			const struct btf_type *v = btf_type(b, vi[i].type);
			const char *vname = v ? btf_str(b, v->name_off) : NULL;

			if (vname && !strcmp(vname, name)) {
				if (type)
					*type = vi[i].type;
				return btf_str(b, ds->name_off);
			}
		}
	}
	return NULL;
}

static int var_by_offset(const void *a, const void *b)
{
	const struct btf_var_secinfo *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/*
 * clang writes each DATASEC with size 0 and every variable at offset 0: the
 * ELF symbol table, not BTF, says where a variable is, and only the linker
 * knows a section's final size.  The kernel checks both (kernel/bpf/btf.c,
 * btf_datasec_check_meta: a non-zero size, each variable inside it, in
 * increasing order), so a loader fills them in before BPF_BTF_LOAD as
 * libbpf does (tools/lib/bpf/libbpf.c, btf_fixup_datasec).
 */
int btf_fixup_datasecs(void *data, size_t size, const struct btf_layout *layout, struct diag *d)
{
	struct btf b;
	int err;

	err = btf_open(&b, data, size, d);
	for (__u32 id = 1; !err && id <= b.nr_types; id++) {
		struct btf_type *ds = (struct btf_type *)btf_type(&b, id);
		struct btf_var_secinfo *vi = (struct btf_var_secinfo *)(ds + 1);
		const char *sec = btf_str(&b, ds->name_off);
		__u32 vlen = BTF_INFO_VLEN(ds->info);

		if (BTF_INFO_KIND(ds->info) != BTF_KIND_DATASEC)
			continue;
		if (sec && !strcmp(sec, ".kconfig"))
			continue; /* no section: laid out by btf_fix_externs */
		if (!sec || layout->sec_size(layout->ctx, sec, &ds->size)) {
			err = diag(d, -EINVAL, "btf: DATASEC '%s' names no section of the object",
				   sec ? sec : "?");
			break;
		}
		for (__u32 i = 0; i < vlen; i++) {
			const struct btf_type *v = btf_type(&b, vi[i].type);
			const char *name = v ? btf_str(&b, v->name_off) : NULL;

			if (!v || BTF_INFO_KIND(v->info) != BTF_KIND_VAR || !name ||
			    layout->var_off(layout->ctx, sec, name, &vi[i].offset)) {
				err = diag(d, -EINVAL,
					   "btf: DATASEC '%s': variable %u has no symbol", sec,
					   vi[i].type);
				break;
			}
			if (vi[i].offset > ds->size || vi[i].size > ds->size - vi[i].offset) {
				err = diag(d, -EINVAL, "btf: DATASEC '%s': '%s' lies outside it",
					   sec, name);
				break;
			}
		}
		if (!err)
			qsort(vi, vlen, sizeof(*vi), var_by_offset);
	}
	free(b.offs);
	return err;
}

/*
 * A kernel rejects a whole BTF blob over one kind it does not know
 * (kernel/bpf/btf.c, btf_check_meta: "Invalid kind").  As libbpf does
 * (tools/lib/bpf/libbpf.c, bpf_object__sanitize_btf), each such type becomes
 * one of the same record size the kernel knows, so no type id moves:
 *	FLOAT		a STRUCT of its size with no members
 *	DECL_TAG	an INT of one byte (the tag's 4 bytes become its encoding)
 *	TYPE_TAG	a CONST of the type it tagged
 */
int btf_sanitize(void *data, size_t size, unsigned int missing, struct diag *d)
{
	struct btf b;
	int err;

	err = btf_open(&b, data, size, d);
	for (__u32 id = 1; !err && id <= b.nr_types; id++) {
		struct btf_type *t = (struct btf_type *)btf_type(&b, id);

		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_FLOAT:
			if (missing & BTF_NEW_FLOAT)
				t->info = BTF_INFO_ENC(BTF_KIND_STRUCT, 0, 0);
			break;
		case BTF_KIND_DECL_TAG:
			if (missing & BTF_NEW_DECL_TAG) {
				__u32 enc = 8; /* BTF_INT_ENC(0, 0, 8): 8 bits, unsigned */

				t->info = BTF_INFO_ENC(BTF_KIND_INT, 0, 0);
				t->size = 1;
				memcpy(t + 1, &enc, sizeof(enc));
			}
			break;
		case BTF_KIND_TYPE_TAG:
			if (missing & BTF_NEW_TYPE_TAG) {
				t->info = BTF_INFO_ENC(BTF_KIND_CONST, 0, 0);
				t->name_off = 0;
			}
			break;
		case BTF_KIND_ENUM64:
			if (missing & BTF_NEW_ENUM64)
				err = diag(d, -EOPNOTSUPP,
					   "btf: type %u is an ENUM64, which this "
					   "kernel does not know",
					   id);
			break;
		}
	}
	free(b.offs);
	return err;
}

__u32 btf_type_cnt(const struct btf *b)
{
	return b->start_id - 1 + b->nr_types;
}

const struct btf_type *btf_type_by_id(const struct btf *b, __u32 id)
{
	return btf_type(b, id);
}

const struct btf_type *btf_skip_mods(const struct btf *b, __u32 id, __u32 *res_id)
{
	const struct btf_type *t = btf_type(b, id);

	for (int depth = 0; t && btf_is_modifier(t); depth++) {
		if (depth == BTF_MAX_DEPTH)
			return NULL;
		id = t->type;
		t = btf_type(b, id);
	}
	if (res_id)
		*res_id = id;
	return t;
}

long long btf_type_size(const struct btf *b, __u32 id)
{
	return btf_sizeof(b, id, 0);
}

/*
 * The ".kconfig" DATASEC laid out as the map mini-trace fills
 * (load/core_load.c) and as libbpf lays it out (libbpf.c,
 * bpf_object__collect_externs): largest first (an integer is aligned to its
 * size), then by name, each at its alignment; clang leaves offsets 0.  Its
 * entries are put in that order, which the kernel wants increasing
 * (kernel/bpf/btf.c, btf_datasec_check_meta), and it stays a DATASEC, the
 * type of the ".kconfig" map's value, as libbpf passes it.
 */
struct kcfg_entry {
	struct btf_var_secinfo vi;
	const char *name;
};

static int kcfg_entry_cmp(const void *a, const void *b)
{
	const struct kcfg_entry *x = a, *y = b;

	if (x->vi.size != y->vi.size)
		return x->vi.size > y->vi.size ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int kconfig_layout(const struct btf *b, struct btf_type *t, struct diag *d)
{
	struct btf_var_secinfo *vi = (struct btf_var_secinfo *)(t + 1);
	__u32 vlen = BTF_INFO_VLEN(t->info), at = 0;
	struct kcfg_entry *e = calloc(vlen ?: 1, sizeof(*e));

	if (!e)
		return diag(d, -ENOMEM, "btf: out of memory");
	for (__u32 i = 0; i < vlen; i++) {
		const struct btf_type *v = btf_type(b, vi[i].type);
		long long size = v ? btf_sizeof(b, vi[i].type, 0) : -1;

		e[i].vi = vi[i];
		e[i].name = v ? btf_str(b, v->name_off) : NULL;
		if (!e[i].name || !*e[i].name) {
			free(e);
			return diag(d, -EINVAL, "btf: .kconfig: entry %u has no name", i);
		}
		/* Only integers are filled in (core_load.c): others refused there. */
		e[i].vi.size = size > 0 && size <= 8 ? size : 8;
	}
	qsort(e, vlen, sizeof(*e), kcfg_entry_cmp);
	for (__u32 i = 0; i < vlen; i++) {
		at = (at + e[i].vi.size - 1) / e[i].vi.size * e[i].vi.size;
		e[i].vi.offset = at;
		at += e[i].vi.size;
		vi[i] = e[i].vi;
	}
	t->size = at;
	free(e);
	return 0;
}

/*
 * The kernel loads no extern: a FUNC of linkage BTF_FUNC_EXTERN, a VAR of
 * BTF_VAR_GLOBAL_EXTERN (kernel/bpf/btf.c, btf_func_check_meta and
 * btf_var_check_meta), nor a DATASEC no section lays out.  libbpf rewrites
 * them (tools/lib/bpf/libbpf.c, bpf_object__collect_externs); here, in
 * place and keeping every type id, the ".ksyms" DATASEC becomes an
 * anonymous ENUM64 whose entries (12 bytes, like a var_secinfo) are named
 * after the externs, ".kconfig" is laid out (kconfig_layout), and the
 * externs become global.
 */
int btf_fix_externs(void *data, size_t size, struct diag *d)
{
	struct btf b;
	int err;

	err = btf_open(&b, data, size, d);
	for (__u32 id = 1; !err && id <= b.nr_types; id++) {
		struct btf_type *t = (struct btf_type *)btf_type(&b, id);
		const char *name = btf_str(&b, t->name_off);

		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_FUNC: {
			/*
			 * A global function's parameters must be named
			 * (btf_func_check: "Invalid arg#N"); clang names an
			 * extern's only if its declaration does.  libbpf
			 * lends them a name; here, the function's own.
			 */
			struct btf_type *proto = (struct btf_type *)btf_type(&b, t->type);
			struct btf_param *arg;

			if (BTF_INFO_VLEN(t->info) != BTF_FUNC_EXTERN)
				break;
			t->info = BTF_INFO_ENC(BTF_KIND_FUNC, 0, BTF_FUNC_GLOBAL);
			if (!proto || BTF_INFO_KIND(proto->info) != BTF_KIND_FUNC_PROTO)
				break;
			arg = (struct btf_param *)(proto + 1);
			for (__u32 i = 0; i < BTF_INFO_VLEN(proto->info); i++)
				if (arg[i].type && !arg[i].name_off)
					arg[i].name_off = t->name_off;
			break;
		}
		case BTF_KIND_VAR: {
			struct btf_var *v = (struct btf_var *)(t + 1);

			if (v->linkage == BTF_VAR_GLOBAL_EXTERN)
				v->linkage = BTF_VAR_GLOBAL_ALLOCATED;
			break;
		}
		case BTF_KIND_DATASEC: {
			struct btf_var_secinfo *vi = (struct btf_var_secinfo *)(t + 1);
			__u32 vlen = BTF_INFO_VLEN(t->info);

			if (name && !strcmp(name, ".kconfig")) {
				err = kconfig_layout(&b, t, d);
				break;
			}
			if (!name || strcmp(name, ".ksyms"))
				break;
			for (__u32 i = 0; i < vlen; i++) {
				const struct btf_type *v = btf_type(&b, vi[i].type);
				struct btf_enum64 e = { .name_off = v ? v->name_off : 0 };

				if (!v || !btf_str(&b, v->name_off) || !*btf_str(&b, v->name_off)) {
					err = diag(d, -EINVAL, "btf: %s: entry %u has no name",
						   name, i);
					break;
				}
				memcpy(&vi[i], &e, sizeof(e));
			}
			t->name_off = 0;
			t->info = BTF_INFO_ENC(BTF_KIND_ENUM64, 0, vlen);
			t->size = 8;
			break;
		}
		}
	}
	free(b.offs);
	return err;
}
