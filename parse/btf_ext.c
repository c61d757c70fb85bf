// SPDX-License-Identifier: MIT
/*
 * .BTF.ext as clang writes it and libbpf reads it (tools/lib/bpf/
 * libbpf_internal.h: struct btf_ext_header, struct btf_ext_info_sec;
 * tools/lib/bpf/btf.c: btf_ext_parse_hdr, btf_ext_setup_info):
 *
 *	header		u16 magic 0xeb9f, u8 version 1, u8 flags 0, u32 hdr_len,
 *			then (off, len) of func_info and of line_info, and, when
 *			hdr_len reaches that far, of core_relo; each offset
 *			counted from the end of the header
 *	subsection	u32 record_size, then blocks up to len:
 *	block		u32 sec_name_off (into .BTF's strings), u32 num_info,
 *			num_info records of record_size bytes
 *
 * A record begins with the kernel's struct (bpf_func_info, bpf_line_info,
 * bpf_core_relo in include/uapi/linux/bpf.h); a newer compiler may append
 * fields, so a record size larger than the struct is read as the struct
 * followed by bytes this reader does not know, as libbpf and the kernel do
 * (kernel/bpf/verifier.c, check_btf_func: bpf_check_uarg_tail_zero).  A
 * smaller one, or one that is not a multiple of 4, is refused.  insn_off is
 * a byte offset into the block's section; the kernel wants an instruction
 * index into the loaded program, which the linker computes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "btf_ext.h"

#define BTF_EXT_MAGIC 0xeb9f
#define BTF_EXT_VERSION 1

/* The header's fixed part: magic..line_info_len; core_relo_{off,len} follow. */
#define BTF_EXT_HDR_MIN 24
#define BTF_EXT_HDR_CORE 32

enum ext_kind { EXT_FUNC, EXT_LINE, EXT_CORE };

static const struct {
	const char *what;
	__u32 min_rec; /* the kernel struct: the smallest record */
} ext_kinds[] = {
	[EXT_FUNC] = { "func_info", sizeof(struct bpf_func_info) },
	[EXT_LINE] = { "line_info", sizeof(struct bpf_line_info) },
	[EXT_CORE] = { "core_relo", sizeof(struct bpf_core_relo) },
};

static __u32 u32_at(const unsigned char *p)
{
	__u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static struct btf_ext_sec *find_or_add(struct btf_ext *x, const char *name, struct diag *d)
{
	struct btf_ext_sec *grown;

	for (size_t i = 0; i < x->sec_cnt; i++)
		if (!strcmp(x->secs[i].name, name))
			return &x->secs[i];
	grown = realloc(x->secs, (x->sec_cnt + 1) * sizeof(*x->secs));
	if (!grown) {
		diag(d, -ENOMEM, "btf: out of memory");
		return NULL;
	}
	x->secs = grown;
	memset(&x->secs[x->sec_cnt], 0, sizeof(*x->secs));
	x->secs[x->sec_cnt].name = name;
	return &x->secs[x->sec_cnt++];
}

/* Appends n zeroed elements of elem bytes to *arr, which holds *cnt. */
static void *append(void *arr, size_t *cnt, size_t n, size_t elem)
{
	unsigned char *p = realloc(arr, (*cnt + n) * elem);

	if (!p)
		return NULL;
	memset(p + *cnt * elem, 0, n * elem);
	*cnt += n;
	return p;
}

/* One record: checked against .BTF, copied into sec's array of its kind. */
static int read_record(enum ext_kind k, const unsigned char *rec, struct btf_ext_sec *sec, size_t i,
		       const struct btf *btf, struct diag *d)
{
	const char *what = ext_kinds[k].what;
	__u32 insn_off = u32_at(rec);

	if (insn_off % sizeof(struct bpf_insn))
		return diag(d, -EINVAL,
			    "btf: .BTF.ext %s of '%s': insn_off %u is not on an instruction", what,
			    sec->name, insn_off);
	switch (k) {
	case EXT_FUNC: {
		struct bpf_func_info *f = &sec->funcs[i];

		memcpy(f, rec, sizeof(*f));
		if (btf_kind(btf, f->type_id) != BTF_KIND_FUNC)
			return diag(d, -EINVAL,
				    "btf: .BTF.ext func_info of '%s': type %u is not a FUNC",
				    sec->name, f->type_id);
		return 0;
	}
	case EXT_LINE: {
		struct bpf_line_info *l = &sec->lines[i];

		memcpy(l, rec, sizeof(*l));
		if (!btf_name(btf, l->file_name_off) || !btf_name(btf, l->line_off))
			return diag(d, -EINVAL,
				    "btf: .BTF.ext line_info of '%s': string out of range",
				    sec->name);
		return 0;
	}
	case EXT_CORE: {
		struct bpf_core_relo *r = &sec->relos[i];
		const char *access;

		memcpy(r, rec, sizeof(*r));
		access = btf_name(btf, r->access_str_off);
		if (btf_kind(btf, r->type_id) < 0)
			return diag(d, -EINVAL,
				    "btf: .BTF.ext core_relo of '%s': type %u out of range",
				    sec->name, r->type_id);
		if (!access || !*access)
			return diag(d, -EINVAL,
				    "btf: .BTF.ext core_relo of '%s': bad access string",
				    sec->name);
		return 0;
	}
	}
	return 0;
}

/* A subsection: its record size, then blocks of records until len is used up. */
static int read_subsection(struct btf_ext *x, enum ext_kind k, const unsigned char *p, __u32 len,
			   const struct btf *btf, struct diag *d)
{
	const char *what = ext_kinds[k].what;
	__u32 rec_size, left;

	if (len < sizeof(__u32))
		return diag(d, -EINVAL, "btf: .BTF.ext %s: no record size", what);
	rec_size = u32_at(p);
	if (rec_size < ext_kinds[k].min_rec || rec_size % 4)
		return diag(d, -EINVAL,
			    "btf: .BTF.ext %s: record size %u, want a multiple of 4 from %u", what,
			    rec_size, ext_kinds[k].min_rec);
	p += sizeof(__u32);
	left = len - sizeof(__u32);
	if (!left)
		return diag(d, -EINVAL, "btf: .BTF.ext %s: no records", what);

	while (left) {
		__u32 name_off, num;
		const char *name;
		struct btf_ext_sec *sec;
		size_t first;
		void *grown;

		if (left < 2 * sizeof(__u32))
			return diag(d, -EINVAL, "btf: .BTF.ext %s: truncated block header", what);
		name_off = u32_at(p);
		num = u32_at(p + 4);
		p += 2 * sizeof(__u32);
		left -= 2 * sizeof(__u32);
		name = btf_name(btf, name_off);
		if (!name || !*name)
			return diag(d, -EINVAL,
				    "btf: .BTF.ext %s: section name offset %u out of range", what,
				    name_off);
		if (num == 0 || (__u64)num * rec_size > left)
			return diag(d, -EINVAL,
				    "btf: .BTF.ext %s of '%s': %u records of %u bytes "
				    "do not fit in %u",
				    what, name, num, rec_size, left);
		sec = find_or_add(x, name, d);
		if (!sec)
			return -ENOMEM;
		switch (k) {
		case EXT_FUNC:
			first = sec->func_cnt;
			grown = append(sec->funcs, &sec->func_cnt, num, sizeof(*sec->funcs));
			if (grown)
				sec->funcs = grown;
			break;
		case EXT_LINE:
			first = sec->line_cnt;
			grown = append(sec->lines, &sec->line_cnt, num, sizeof(*sec->lines));
			if (grown)
				sec->lines = grown;
			break;
		default:
			first = sec->relo_cnt;
			grown = append(sec->relos, &sec->relo_cnt, num, sizeof(*sec->relos));
			if (grown)
				sec->relos = grown;
			break;
		}
		if (!grown)
			return diag(d, -ENOMEM, "btf: out of memory");
		for (__u32 i = 0; i < num; i++, p += rec_size) {
			int err = read_record(k, p, sec, first + i, btf, d);

			if (err)
				return err;
		}
		left -= num * rec_size;
	}
	return 0;
}

int btf_ext_parse(struct btf_ext *x, const void *data, size_t size, const struct btf *btf,
		  struct diag *d)
{
	const unsigned char *p = data;
	__u32 hdr_len, body, off[3], len[3];
	__u16 magic;
	int err = 0;

	memset(x, 0, sizeof(*x));
	if (size < 8)
		return diag(d, -EINVAL, "btf: .BTF.ext: truncated header");
	memcpy(&magic, p, sizeof(magic));
	if (magic == __builtin_bswap16(BTF_EXT_MAGIC))
		return diag(d, -EINVAL, "btf: .BTF.ext: byte order differs from this machine's");
	if (magic != BTF_EXT_MAGIC)
		return diag(d, -EINVAL, "btf: .BTF.ext: bad magic 0x%x", magic);
	if (p[2] != BTF_EXT_VERSION)
		return diag(d, -EINVAL, "btf: .BTF.ext: unsupported version %u", p[2]);
	if (p[3])
		return diag(d, -EINVAL, "btf: .BTF.ext: unsupported flags 0x%x", p[3]);
	hdr_len = u32_at(p + 4);
	if (hdr_len < BTF_EXT_HDR_MIN || hdr_len > size || hdr_len % 4)
		return diag(d, -EINVAL, "btf: .BTF.ext: bad header length %u", hdr_len);
	body = size - hdr_len;
	for (int k = EXT_FUNC; k <= EXT_CORE; k++) {
		off[k] = len[k] = 0;
		if (k == EXT_CORE && hdr_len < BTF_EXT_HDR_CORE)
			break; /* written before CO-RE existed */
		off[k] = u32_at(p + 8 + 8 * k);
		len[k] = u32_at(p + 12 + 8 * k);
		if (len[k] && (off[k] % 4 || off[k] > body || len[k] > body - off[k]))
			return diag(d, -EINVAL, "btf: .BTF.ext %s: %u bytes at %u out of range",
				    ext_kinds[k].what, len[k], off[k]);
	}
	for (int k = EXT_FUNC; k <= EXT_CORE && !err; k++)
		if (len[k])
			err = read_subsection(x, k, p + hdr_len + off[k], len[k], btf, d);
	if (err)
		btf_ext_free(x);
	return err;
}

const struct btf_ext_sec *btf_ext_find(const struct btf_ext *x, const char *name)
{
	for (size_t i = 0; i < x->sec_cnt; i++)
		if (!strcmp(x->secs[i].name, name))
			return &x->secs[i];
	return NULL;
}

void btf_ext_free(struct btf_ext *x)
{
	for (size_t i = 0; i < x->sec_cnt; i++) {
		free(x->secs[i].funcs);
		free(x->secs[i].lines);
		free(x->secs[i].relos);
	}
	free(x->secs);
	memset(x, 0, sizeof(*x));
}
