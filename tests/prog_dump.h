/* SPDX-License-Identifier: MIT */
/*
 * What the kernel holds of a loaded program, printed so that two loads of one
 * object can be compared with diff: the translated instructions
 * (BPF_OBJ_GET_INFO_BY_FD's xlated_prog_insns: after the verifier's rewrites,
 * before the JIT) and the func_info and line_info it kept, their insn_off
 * moved with those rewrites (kernel/bpf/syscall.c, bpf_prog_get_info_by_fd).
 *
 * Shared by tests/libbpf_twin.c (a libbpf load) and test_load --dump (a
 * mini-trace load), so it uses neither library: raw bpf(2) only.
 *
 * Normalised: what differs between two loads of the same object.  A map is
 * named by its order of first use and its shape (type, sizes, flags, BTF
 * type ids), not by id or address; func and line info by the BTF names and
 * source text they point at, not string offsets.  libbpf makes data-section
 * maps BPF_F_MMAPABLE (for skeletons to mmap them), mini-trace reads them
 * with lookups: that flag is left out; it changes nothing in the program.
 */
#ifndef MINI_TRACE_PROG_DUMP_H
#define MINI_TRACE_PROG_DUMP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <sys/syscall.h>

static int pd_bpf(int cmd, union bpf_attr *attr)
{
	long r = syscall(__NR_bpf, cmd, attr, sizeof(*attr));

	return r < 0 ? -errno : (int)r;
}

static int pd_info(int fd, void *info, __u32 len)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = len;
	a.info.info = (__u64)(unsigned long)info;
	return pd_bpf(BPF_OBJ_GET_INFO_BY_FD, &a);
}

static int pd_fd_by_id(int cmd, __u32 id)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_id = id; /* prog_id, map_id and btf_id share the slot */
	return pd_bpf(cmd, &a);
}

/* A program's BTF, fetched back from the kernel by id: its strings and FUNC names. */
struct pd_btf {
	unsigned char *data;
	const char *strs;
	__u32 str_len;
	const struct btf_type **types;
	__u32 nr_types;
};

static long pd_type_extra(const struct btf_type *t)
{
	__u32 vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT: return 4;
	case BTF_KIND_ARRAY: return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM: return vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64: return vlen * 12;
	case BTF_KIND_FUNC_PROTO: return vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR: return sizeof(struct btf_var);
	case BTF_KIND_DATASEC: return vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG: return 4;
	default: return 0;
	}
}

static int pd_btf_get(struct pd_btf *b, __u32 id)
{
	struct bpf_btf_info info;
	const struct btf_header *h;
	int fd = pd_fd_by_id(BPF_BTF_GET_FD_BY_ID, id), err;
	__u32 off;

	memset(b, 0, sizeof(*b));
	if (fd < 0)
		return fd;
	memset(&info, 0, sizeof(info));
	err = pd_info(fd, &info, sizeof(info));
	if (!err) {
		__u32 size = info.btf_size;

		b->data = calloc(1, size + 1);
		memset(&info, 0, sizeof(info));
		info.btf = (__u64)(unsigned long)b->data;
		info.btf_size = size;
		err = b->data ? pd_info(fd, &info, sizeof(info)) : -ENOMEM;
	}
	close(fd);
	if (err)
		return err;
	h = (const void *)b->data;
	b->strs = (const char *)b->data + h->hdr_len + h->str_off;
	b->str_len = h->str_len;
	b->types = calloc(h->type_len / sizeof(struct btf_type) + 2, sizeof(*b->types));
	if (!b->types)
		return -ENOMEM;
	for (off = 0; off + sizeof(struct btf_type) <= h->type_len;) {
		const struct btf_type *t = (const void *)(b->data + h->hdr_len + h->type_off + off);

		b->types[++b->nr_types] = t;
		off += sizeof(*t) + pd_type_extra(t);
	}
	return 0;
}

static const char *pd_str(const struct pd_btf *b, __u32 off)
{
	return b->strs && off < b->str_len ? b->strs + off : "?";
}

static const char *pd_type_name(const struct pd_btf *b, __u32 id)
{
	return id && id <= b->nr_types ? pd_str(b, b->types[id]->name_off) : "?";
}

static void pd_btf_free(struct pd_btf *b)
{
	free(b->data);
	free(b->types);
}

/* Map ids in the order the program first names them: the normalised name is the index. */
struct pd_maps {
	__u32 ids[64];
	int cnt;
};

static void pd_print_map(FILE *out, struct pd_maps *m, __u32 id)
{
	struct bpf_map_info info;
	int fd, i;

	for (i = 0; i < m->cnt && m->ids[i] != id; i++)
		;
	if (i == m->cnt && m->cnt < 64)
		m->ids[m->cnt++] = id;
	memset(&info, 0, sizeof(info));
	fd = pd_fd_by_id(BPF_MAP_GET_FD_BY_ID, id);
	if (fd < 0 || pd_info(fd, &info, sizeof(info))) {
		fprintf(out, "map#%d(?)", i);
	} else {
		fprintf(out, "map#%d(type %u key %u value %u max %u flags %#x btf key %u value %u)",
			i, info.type, info.key_size, info.value_size, info.max_entries,
			info.map_flags & ~BPF_F_MMAPABLE, info.btf_key_type_id,
			info.btf_value_type_id);
	}
	if (fd >= 0)
		close(fd);
}

/* Prints one program; 0, or -errno if the kernel would not say. */
static int pd_dump_prog(FILE *out, const char *name, int prog_fd)
{
	struct bpf_prog_info info;
	struct bpf_insn *insns = NULL;
	struct bpf_func_info *funcs = NULL;
	struct bpf_line_info *lines = NULL;
	struct pd_maps maps = { .cnt = 0 };
	struct pd_btf btf = { 0 };
	__u32 n_insns, n_funcs, n_lines;
	int err;

	memset(&info, 0, sizeof(info));
	err = pd_info(prog_fd, &info, sizeof(info));
	if (err)
		return err;
	n_insns = info.xlated_prog_len / sizeof(*insns);
	n_funcs = info.nr_func_info;
	n_lines = info.nr_line_info;
	insns = calloc(n_insns + 1, sizeof(*insns));
	funcs = calloc(n_funcs + 1, sizeof(*funcs));
	lines = calloc(n_lines + 1, sizeof(*lines));
	if (!insns || !funcs || !lines) {
		err = -ENOMEM;
		goto out;
	}
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = n_insns * sizeof(*insns);
	info.xlated_prog_insns = (__u64)(unsigned long)insns;
	info.nr_func_info = n_funcs;
	info.func_info_rec_size = sizeof(*funcs);
	info.func_info = (__u64)(unsigned long)funcs;
	info.nr_line_info = n_lines;
	info.line_info_rec_size = sizeof(*lines);
	info.line_info = (__u64)(unsigned long)lines;
	err = pd_info(prog_fd, &info, sizeof(info));
	if (err)
		goto out;
	if (info.btf_id && pd_btf_get(&btf, info.btf_id))
		fprintf(out, "  (its BTF %u could not be read)\n", info.btf_id);

	fprintf(out, "prog %s: type %u, %u insns, btf %s, %u func_info, %u line_info\n", name,
		info.type, n_insns, info.btf_id ? "yes" : "no", n_funcs, n_lines);
	for (__u32 i = 0; i < n_insns; i++) {
		const struct bpf_insn *x = &insns[i];

		fprintf(out, "  %4u: %02x %u %u %6d ", i, x->code, x->dst_reg, x->src_reg, x->off);
		if (x->code == (BPF_LD | BPF_IMM | BPF_DW) && i + 1 < n_insns &&
		    (x->src_reg == BPF_PSEUDO_MAP_FD || x->src_reg == BPF_PSEUDO_MAP_VALUE)) {
			pd_print_map(out, &maps, (__u32)x->imm);
			fprintf(out, " + %d\n", insns[i + 1].imm);
			i++;
			continue;
		}
		fprintf(out, "%d\n", x->imm);
	}
	for (__u32 i = 0; i < n_funcs; i++)
		fprintf(out, "  func %u: insn %u, type %u '%s'\n", i, funcs[i].insn_off,
			funcs[i].type_id, pd_type_name(&btf, funcs[i].type_id));
	for (__u32 i = 0; i < n_lines; i++)
		fprintf(out, "  line %u: insn %u, %s:%u:%u: %s\n", i, lines[i].insn_off,
			pd_str(&btf, lines[i].file_name_off),
			BPF_LINE_INFO_LINE_NUM(lines[i].line_col),
			BPF_LINE_INFO_LINE_COL(lines[i].line_col), pd_str(&btf, lines[i].line_off));
out:
	pd_btf_free(&btf);
	free(insns);
	free(funcs);
	free(lines);
	return err;
}

struct pd_prog {
	const char *name;
	int fd;
};

static int pd_by_name(const void *a, const void *b)
{
	return strcmp(((const struct pd_prog *)a)->name, ((const struct pd_prog *)b)->name);
}

/* Every program, by name (the two loaders need not keep the same order). */
static int pd_dump_progs(FILE *out, struct pd_prog *progs, size_t cnt)
{
	int err = 0;

	qsort(progs, cnt, sizeof(*progs), pd_by_name);
	for (size_t i = 0; i < cnt && !err; i++)
		err = pd_dump_prog(out, progs[i].name, progs[i].fd);
	return err;
}

#endif
