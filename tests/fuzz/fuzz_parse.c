// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the parse step: spec_parse() in elf.c, btf.c and
 * btf_ext.c, and swap.c for an object of the other byte order (the corpus
 * has both orders).
 *
 * The parse path is pure, bytes in and a spec out, with no syscall and no
 * kernel, so it can run millions of times a minute under ASan and UBSan.
 * Every offset, size and index in an object is supposed to be checked
 * against what contains it; the fuzzer hands it arbitrary bytes to find the
 * ones that are not.
 *
 * Beyond "no crash, no leak, no undefined behaviour", a spec that parses
 * must be one the load step (object.c) can use without further checks: every
 * relocation on an ld_imm64 inside its program and naming a map of the right
 * kind, every pseudo call landing inside the linked program, every variable
 * inside its map's value, every string inside the object, no two .maps maps
 * at one offset, every .BTF.ext record inside its program.  A spec that
 * breaks one of those aborts the run, which libFuzzer reports as a crash.
 *
 * The same bytes are also read as a uprobe's target (elf_target.c): a
 * function's file offset found must lie inside the file, and a failure
 * must say why.
 *
 * CO-RE resolution (parse/core.c) is pure too: each relocation of a spec
 * that parses is resolved with the object's own BTF standing in for the
 * kernel's, and patched into a copy of its program.  The input itself is
 * also the kernel's types, hostile ones: read as a kernel BTF (--btf), as a
 * module's split BTF on top of another, and as two tracefs format files
 * (load/tp_format.c) made into BTF; against each, a fixed set of
 * relocations of every kind (core_local below) is resolved and patched.
 *
 * The input is copied into a buffer of its exact size from malloc: the
 * parser insists on 8-byte alignment, and ASan then sees a read one byte
 * past the end of the object.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "btf.h"
#include "core.h"
#include "elf_target.h"
#include "ep_labels.h"
#include "spec.h"
#include "tp_format.h"

/* Larger variables are not patched: memset of gigabytes is not a parser bug. */
#define FUZZ_MAX_SET (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned char sink;

struct obj {
	const unsigned char *p;
	size_t size;
};

__attribute__((noreturn, format(printf, 1, 2))) static void broken(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_parse: spec invariant broken: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/*
 * A string of the spec must lie, NUL included, inside the object; elf.c's
 * sym_name() gives a symbol whose name is out of range the constant "?".
 */
static void check_str(const struct obj *o, const char *s, const char *what)
{
	uintptr_t p = (uintptr_t)s, start = (uintptr_t)o->p;

	if (!s)
		broken("%s is NULL", what);
	if (p >= start && p - start < o->size) {
		if (!memchr(s, '\0', o->size - (p - start)))
			broken("%s runs off the end of the object", what);
	} else if (strcmp(s, "?")) {
		broken("%s does not lie inside the object", what);
	}
}

static void check_maps(const struct obj *o, const struct spec *s)
{
	for (size_t i = 0; i < s->map_cnt; i++) {
		const struct spec_map *m = &s->maps[i];

		check_str(o, m->name, "map name");
		if (m->kind == SPEC_MAP_DATA &&
		    (!m->data || !m->value_size || m->max_entries != 1 || m->key_size != 4))
			broken("data map '%s' is malformed", m->name);
		if (m->kind == SPEC_MAP_BTF && m->data)
			broken("BTF map '%s' has data", m->name);
		/* What the load step does: read every byte of the value. */
		for (__u32 j = 0; m->data && m->value_size <= FUZZ_MAX_SET && j < m->value_size;
		     j++)
			sink += m->data[j];
		if (spec_find_map(s, m->name) == NULL)
			broken("spec_find_map cannot find map '%s'", m->name);
		/* A relocation finds a .maps map by its offset: one map each. */
		for (size_t j = 0; m->kind == SPEC_MAP_BTF && j < i; j++)
			if (s->maps[j].kind == SPEC_MAP_BTF && s->maps[j].sec_off == m->sec_off)
				broken("maps '%s' and '%s' share offset %llu in .maps",
				       s->maps[j].name, m->name, (unsigned long long)m->sec_off);
	}
}

static void check_vars(const struct obj *o, const struct spec *s)
{
	for (size_t i = 0; i < s->var_cnt; i++) {
		const struct spec_var *v = &s->vars[i];

		check_str(o, v->name, "variable name");
		if (v->map >= s->map_cnt || s->maps[v->map].kind != SPEC_MAP_DATA)
			broken("variable '%s': map %u is not a data map", v->name, v->map);
		if ((__u64)v->off + v->size > s->maps[v->map].value_size)
			broken("variable '%s' lies outside its map", v->name);
	}
}

/* A call of an extern (a kfunc): the load step makes it BPF_PSEUDO_KFUNC_CALL. */
static int is_extern(const struct spec_prog *p, size_t insn)
{
	for (size_t k = 0; k < p->extern_cnt; k++)
		if (p->externs[k].insn == insn)
			return 1;
	return 0;
}

static void check_progs(const struct obj *o, const struct spec *s)
{
	for (size_t i = 0; i < s->prog_cnt; i++) {
		const struct spec_prog *p = &s->progs[i];

		check_str(o, p->name, "program name");
		check_str(o, p->sec_name, "program section name");
		if ((p->attach == SPEC_ATTACH_NONE) != !p->target)
			broken("prog '%s': attach kind and target disagree", p->name);
		if (p->target)
			check_str(o, p->target, "program target");
		if (!p->insns || !p->main_cnt || p->main_cnt > p->insn_cnt)
			broken("prog '%s': %zu insns, %zu in main", p->name, p->insn_cnt,
			       p->main_cnt);

		for (size_t j = 0; j < p->insn_cnt; j++) {
			const struct bpf_insn *insn = &p->insns[j];
			long long target = (long long)j + insn->imm + 1;

			if (insn->code == (BPF_JMP | BPF_CALL) &&
			    insn->src_reg == BPF_PSEUDO_CALL && !is_extern(p, j) &&
			    (target < 0 || target >= (long long)p->insn_cnt))
				broken("prog '%s': call at %zu lands outside the program", p->name,
				       j);
		}
		/* .BTF.ext records, moved with their code: inside the program. */
		for (size_t j = 0; j < p->func_info_cnt; j++)
			if (p->func_info[j].insn_off >= p->insn_cnt)
				broken("prog '%s': func_info %zu outside the program", p->name, j);
		for (size_t j = 0; j < p->line_info_cnt; j++)
			if (p->line_info[j].insn_off >= p->insn_cnt)
				broken("prog '%s': line_info %zu outside the program", p->name, j);
		for (size_t j = 0; j < p->extern_cnt; j++)
			if (p->externs[j].insn >= p->insn_cnt)
				broken("prog '%s': extern %zu outside the program", p->name, j);
		for (size_t j = 0; j < p->core_relo_cnt; j++)
			if (p->core_relos[j].insn_off >= p->insn_cnt)
				broken("prog '%s': core_relo %zu outside the program", p->name, j);
		for (size_t j = 0; j < p->reloc_cnt; j++) {
			const struct spec_reloc *r = &p->relocs[j];

			if ((size_t)r->insn + 1 >= p->insn_cnt ||
			    p->insns[r->insn].code != (BPF_LD | BPF_IMM | BPF_DW))
				broken("prog '%s': relocation %zu is not on an ld_imm64", p->name,
				       j);
			if (r->map >= s->map_cnt)
				broken("prog '%s': relocation %zu names map %u", p->name, j,
				       r->map);
			if (r->kind == SPEC_RELOC_MAP_FD && s->maps[r->map].kind != SPEC_MAP_BTF)
				broken("prog '%s': map fd relocation on a data map", p->name);
			if (r->kind == SPEC_RELOC_MAP_VALUE &&
			    (s->maps[r->map].kind != SPEC_MAP_DATA ||
			     r->off >= s->maps[r->map].value_size))
				broken("prog '%s': value relocation outside its map", p->name);
		}
	}
}

/* Every relocation resolved against the object's own BTF, and patched. */
static void core_self(const struct spec *s)
{
	struct btf *b = NULL;
	struct diag d;

	if (!s->btf || btf_new(s->btf, s->btf_size, &b, &d))
		return;
	for (size_t i = 0; i < s->prog_cnt; i++) {
		const struct spec_prog *p = &s->progs[i];
		struct bpf_insn *insns;

		if (!p->core_relo_cnt)
			continue;
		insns = malloc(p->insn_cnt * sizeof(*insns));
		if (!insns)
			break;
		memcpy(insns, p->insns, p->insn_cnt * sizeof(*insns));
		for (size_t j = 0; j < p->core_relo_cnt; j++) {
			const struct bpf_core_relo *r = &p->core_relos[j];
			const char *name = core_root_name(b, r, &d);
			struct core_cands c = { .name = name ?: "" };
			struct core_res res;

			c.len = name ? core_essential_len(name) : 0;
			if (c.len && core_find_cands(b, &c, 1, &d) == 0 &&
			    !core_resolve(b, b, &c, r, &res, &d))
				core_patch(insns, p->insn_cnt, r, &res, &d);
			core_cands_free(&c, 1);
		}
		free(insns);
	}
	btf_free(b);
}

/*
 * The object side of the relocations resolved against hostile kernel types:
 * a small BTF of what CO-RE programs read, built once.
 *
 *	struct task_struct { int pid; struct task_struct *real_parent;
 *		char comm[16]; unsigned int flags:3; union { int tgid; }; };
 *	enum pid_type { PIDTYPE_PID, PIDTYPE_SID = 3 };
 *	struct trace_entry { unsigned short type; };
 *	struct trace_event_raw_sys_exit { struct trace_entry ent; long id; long ret; };
 *	struct trace_event_raw_fuzz___mine { struct trace_entry ent; long ret;
 *		char comm[16]; int pid; };
 */
#define LB_WORDS 256
#define LB_STRS 512
#define LB_RELOS 256

static struct {
	bool built;
	__u32 w[LB_WORDS];
	size_t nw;
	char s[LB_STRS];
	size_t ns;
	__u32 nr;
	void *blob;
	size_t size;
	struct btf *btf;
	struct bpf_core_relo r[LB_RELOS];
	size_t nrelo;
} lb;

static __u32 lb_str(const char *x)
{
	size_t off = lb.ns, n = strlen(x) + 1;

	if (!*x && off)
		return 0;
	memcpy(lb.s + off, x, n);
	lb.ns += n;
	return off;
}

static void lb_word(__u32 v)
{
	lb.w[lb.nw++] = v;
}

static __u32 lb_type(const char *name, __u32 kind, __u32 kflag, __u32 vlen, __u32 size)
{
	lb_word(name ? lb_str(name) : 0);
	lb_word(kflag << 31 | kind << 24 | vlen);
	lb_word(size);
	return ++lb.nr;
}

static void lb_member(const char *name, __u32 type, __u32 off)
{
	lb_word(name ? lb_str(name) : 0);
	lb_word(type);
	lb_word(off);
}

static void lb_relo(__u32 type, const char *access)
{
	__u32 off = lb_str(access);

	for (__u32 kind = 0; kind <= BPF_CORE_TYPE_MATCHES + 1 && lb.nrelo < LB_RELOS; kind++)
		lb.r[lb.nrelo++] = (struct bpf_core_relo){ .insn_off = (__u32)lb.nrelo,
							   .type_id = type,
							   .access_str_off = off,
							   .kind = kind };
}

static const struct btf *core_local(void)
{
	struct btf_header h = { .magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(h) };
	__u32 t_int, t_task, t_ptr, t_char, t_comm, t_uint, t_union, t_enum, t_ushort, t_entry;
	__u32 t_long, t_exit, t_fuzz;
	struct diag d;

	if (lb.built)
		return lb.btf;
	lb.built = true;
	lb_str("");
	t_int = lb_type("int", BTF_KIND_INT, 0, 0, 4);
	lb_word(BTF_INT_SIGNED << 24 | 32);
	t_char = lb_type("char", BTF_KIND_INT, 0, 0, 1);
	lb_word(8);
	t_uint = lb_type("unsigned int", BTF_KIND_INT, 0, 0, 4);
	lb_word(32);
	t_ushort = lb_type("unsigned short", BTF_KIND_INT, 0, 0, 2);
	lb_word(16);
	t_long = lb_type("long", BTF_KIND_INT, 0, 0, 8);
	lb_word(BTF_INT_SIGNED << 24 | 64);
	t_comm = lb_type(NULL, BTF_KIND_ARRAY, 0, 0, 0);
	lb_word(t_char);
	lb_word(t_int);
	lb_word(16);
	t_union = lb_type(NULL, BTF_KIND_UNION, 0, 1, 4);
	lb_member("tgid", t_int, 0);
	t_task = lb_type("task_struct", BTF_KIND_STRUCT, 1, 5, 48);
	t_ptr = t_task + 1;
	lb_member("pid", t_int, 0);
	lb_member("real_parent", t_ptr, 64);
	lb_member("comm", t_comm, 128);
	lb_member("flags", t_uint, 3u << 24 | 256);
	lb_member(NULL, t_union, 288);
	lb_type(NULL, BTF_KIND_PTR, 0, 0, t_task);
	t_enum = lb_type("pid_type", BTF_KIND_ENUM, 0, 2, 4);
	lb_word(lb_str("PIDTYPE_PID"));
	lb_word(0);
	lb_word(lb_str("PIDTYPE_SID"));
	lb_word(3);
	t_entry = lb_type("trace_entry", BTF_KIND_STRUCT, 0, 1, 2);
	lb_member("type", t_ushort, 0);
	t_exit = lb_type("trace_event_raw_sys_exit", BTF_KIND_STRUCT, 0, 3, 24);
	lb_member("ent", t_entry, 0);
	lb_member("id", t_long, 64);
	lb_member("ret", t_long, 128);
	t_fuzz = lb_type("trace_event_raw_fuzz___mine", BTF_KIND_STRUCT, 0, 4, 40);
	lb_member("ent", t_entry, 0);
	lb_member("ret", t_long, 64);
	lb_member("comm", t_comm, 128);
	lb_member("pid", t_int, 256);

	/* Each access string, with every kind: most combinations are refused. */
	for (int i = 0; i < 2; i++) {
		__u32 root = i ? t_fuzz : t_task;

		lb_relo(root, "0");
		lb_relo(root, "0:0");
		lb_relo(root, "0:1");
		lb_relo(root, "0:2:3");
		lb_relo(root, "0:3");
		lb_relo(root, "0:4:0");
		lb_relo(root, "1:0");
	}
	lb_relo(t_ptr, "0");
	lb_relo(t_enum, "0");
	lb_relo(t_enum, "1");
	lb_relo(t_exit, "0:2");
	lb_relo(t_exit, "0:0:0");
	lb_relo(t_int, "0");
	lb_relo(t_comm, "0");

	h.type_len = lb.nw * sizeof(__u32);
	h.str_off = h.type_len;
	h.str_len = lb.ns;
	lb.size = sizeof(h) + h.type_len + h.str_len;
	lb.blob = malloc(lb.size);
	if (!lb.blob)
		abort();
	memcpy(lb.blob, &h, sizeof(h));
	memcpy((char *)lb.blob + sizeof(h), lb.w, h.type_len);
	memcpy((char *)lb.blob + sizeof(h) + h.type_len, lb.s, h.str_len);
	if (btf_new(lb.blob, lb.size, &lb.btf, &d))
		broken("the fuzzer's own local BTF: %s", d.msg);
	return lb.btf;
}

/* Every relocation of core_local() against target, then patched. */
static void core_against(const struct btf *target)
{
	static const char *const names[] = {
		"task_struct",		"pid_type", "trace_event_raw_sys_exit",
		"trace_event_raw_fuzz", "int",	    "char"
	};
	enum { N = sizeof(names) / sizeof(names[0]) };
	const struct btf *local = core_local();
	struct core_cands c[N];
	struct bpf_insn insns[LB_RELOS + 1];
	struct diag d;

	for (size_t i = 0; i < N; i++)
		c[i] = (struct core_cands){ .name = names[i], .len = strlen(names[i]) };
	if (core_find_cands(target, c, N, &d))
		goto out;
	for (size_t i = 0; i < lb.nrelo; i++) {
		const struct bpf_core_relo *r = &lb.r[i];
		const char *name = core_root_name(local, r, &d);
		const struct core_cands *cand = NULL;
		struct core_res res;
		int err;

		for (size_t k = 0; name && k < N; k++)
			if (c[k].len == core_essential_len(name) &&
			    !strncmp(name, c[k].name, c[k].len))
				cand = &c[k];
		d.msg[0] = '\0';
		err = core_resolve(local, target, cand, r, &res, &d);
		if (err > 0 || (err && !d.msg[0]))
			broken("core_resolve returned %d with message '%s'", err, d.msg);
		if (err)
			continue;
		/* What clang would have left: an immediate, or a load's offset. */
		memset(insns, 0, sizeof(insns));
		if (r->kind == BPF_CORE_FIELD_BYTE_OFFSET && i % 2)
			insns[i] = (struct bpf_insn){ .code = BPF_LDX | BPF_MEM | BPF_W,
						      .off = (__s16)res.orig };
		else
			insns[i] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
						      .imm = (__s32)res.orig };
		d.msg[0] = '\0';
		err = core_patch(insns, LB_RELOS + 1, r, &res, &d);
		if (err > 0 || (err && !d.msg[0]))
			broken("core_patch returned %d with message '%s'", err, d.msg);
	}
out:
	core_cands_free(c, N);
}

/* Every type of b walked, as the resolver may. */
static void walk_types(const struct btf *b)
{
	for (__u32 id = 0; id <= btf_type_cnt(b) && id < 4096; id++) {
		__u32 res;

		btf_skip_mods(b, id, &res);
		sink ^= (unsigned char)btf_type_size(b, id);
		sink ^= (unsigned char)btf_kind(b, id);
	}
}

/*
 * The input as the kernel's types: a kernel BTF given with --btf, and a
 * module's split BTF on top of the relocations' own (whose type ids and
 * strings it continues).
 */
static void kernel_btf(const unsigned char *buf, size_t size)
{
	const struct btf *base = core_local();
	struct btf *b = NULL;
	struct diag d = { .msg = "" };
	int err;

	if (!btf_new(buf, size, &b, &d)) {
		walk_types(b);
		core_against(b);
		btf_free(b);
	}
	err = btf_new_split(buf, size, base, &b, &d);
	if (err > 0 || (err && !d.msg[0]))
		broken("btf_new_split returned %d with message '%s'", err, d.msg);
	if (err)
		return;
	if (btf_start_id(b) != btf_type_cnt(base) + 1)
		broken("split BTF starts at %u, its base ends at %u", btf_start_id(b),
		       btf_type_cnt(base));
	walk_types(b);
	core_against(b);
	btf_free(b);
}

/*
 * The input as two tracefs format files (load/tp_format.c), cut where it
 * has a NUL byte, or in the middle: what it makes must be a BTF the reader
 * takes, holding each struct once.
 */
static void tp_format(const unsigned char *buf, size_t size)
{
	const unsigned char *nul = memchr(buf, '\0', size);
	size_t cut = nul ? (size_t)(nul - buf) : size / 2;
	struct tp_format tf[2] = {
		{ "fuzz/one", "trace_event_raw_fuzz", (const char *)buf, cut },
		{ "raw_syscalls/sys_exit", "trace_event_raw_sys_exit", (const char *)buf + cut,
		  size - cut },
	};
	struct core_cands c[2] = { { .name = tf[0].name, .len = strlen(tf[0].name) },
				   { .name = tf[1].name, .len = strlen(tf[1].name) } };
	struct diag d = { .msg = "" };
	struct btf *b = NULL;
	void *blob = NULL;
	size_t blob_size = 0;
	int err = tp_format_to_btf(tf, 2, &blob, &blob_size, &d);

	if (err > 0 || (err && !d.msg[0]))
		broken("tp_format_to_btf returned %d with message '%s'", err, d.msg);
	if (err)
		return;
	if (btf_new(blob, blob_size, &b, &d))
		broken("tp_format_to_btf made a BTF its reader refuses: %s", d.msg);
	if (core_find_cands(b, c, 2, &d) || c[0].cnt != 1 || c[1].cnt != 1)
		broken("tp_format_to_btf: %zu and %zu structs of the events' names", c[0].cnt,
		       c[1].cnt);
	for (int i = 0; i < 2; i++)
		if (btf_type_size(b, c[i].ids[0]) < 0)
			broken("tp_format_to_btf: struct %s has no size", c[i].name);
	core_cands_free(c, 2);
	walk_types(b);
	core_against(b);
	btf_free(b);
	free(blob);
}

/* What --comm does, if the variable is small enough to patch cheaply. */
static void set_target_comm(struct spec *s)
{
	struct diag d;

	for (size_t i = 0; i < s->var_cnt; i++)
		if (!strcmp(s->vars[i].name, "target_comm") && s->vars[i].size > FUZZ_MAX_SET)
			return;
	spec_set_var(s, "target_comm", "x", 2, &d);
}

/* The exercise labels (parse/ep_labels.c): every label a string inside the object. */
static void fuzz_labels(const struct obj *o)
{
	struct ep_labels l;
	struct diag d = { .msg = "" };
	int err = ep_labels_parse(&l, o->p, o->size, &d);

	if (err > 0 || (err && !d.msg[0]))
		broken("ep_labels_parse returned %d with message '%s'", err, d.msg);
	for (size_t i = 0; !err && i < l.cnt; i++)
		check_str(o, l.v[i].label, "label");
	ep_labels_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct obj o;
	struct spec s;
	struct diag d = { .msg = "" };
	unsigned char *buf;
	int err;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	o = (struct obj){ .p = buf, .size = size };

	err = spec_parse(&s, buf, size, &d);
	if (!err) {
		/* An object of the other byte order is read from a copy (swap.c). */
		if (s.swapped)
			o.p = s.swapped;
		check_str(&o, s.license, "license");
		if (!s.btf != !s.btf_size)
			broken(".BTF copy %p of %zu bytes", s.btf, s.btf_size);
		check_maps(&o, &s);
		check_vars(&o, &s);
		check_progs(&o, &s);
		core_self(&s);
		set_target_comm(&s);
		spec_find_map(&s, "events");
		spec_free(&s);
		o.p = buf; /* the swapped copy is gone with the spec */
	} else if (err > 0 || !d.msg[0]) {
		broken("spec_parse returned %d with message '%s'", err, d.msg);
	}
	/* The same bytes as a uprobe target: an offset inside them, or one line. */
	for (size_t i = 0; i < 2; i++) {
		static const char *const funcs[] = { "main", "add_numbers" };
		__u64 off = 0;

		d.msg[0] = '\0';
		err = elf_target_func_offset(buf, size, funcs[i], &off, &d);
		if (err > 0 || (err && !d.msg[0]))
			broken("elf_target returned %d with message '%s'", err, d.msg);
		if (!err && off >= size)
			broken("elf_target: '%s' at offset %llu of a %zu-byte file", funcs[i],
			       (unsigned long long)off, size);
	}
	fuzz_labels(&o);
	kernel_btf(buf, size);
	tp_format(buf, size);
	free(buf);
	return 0;
}
