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
 * kernel's, and patched into a copy of its program; and the input itself
 * is read as a kernel BTF (--btf), every type walked.
 *
 * The input is copied into a buffer of its exact size from malloc: the
 * parser insists on 8-byte alignment, and ASan then sees a read one byte
 * past the end of the object.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "core.h"
#include "elf_target.h"
#include "ep_labels.h"
#include "spec.h"

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

/* The input as a kernel BTF given with --btf: every type walked. */
static void kernel_btf(const unsigned char *buf, size_t size)
{
	struct core_cands c[] = { { .name = "task_struct", .len = 11 },
				  { .name = "int", .len = 3 } };
	struct btf *b = NULL;
	struct diag d;

	if (btf_new(buf, size, &b, &d))
		return;
	for (__u32 id = 0; id <= btf_type_cnt(b) && id < 4096; id++) {
		__u32 res;

		btf_skip_mods(b, id, &res);
		sink ^= (unsigned char)btf_type_size(b, id);
	}
	core_find_cands(b, c, 2, &d);
	core_cands_free(c, 2);
	btf_free(b);
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
	free(buf);
	return 0;
}
