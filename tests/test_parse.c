// SPDX-License-Identifier: MIT
/*
 * Parser tests: no root, no kernel.  The real objects the build produced are
 * parsed and every part of the spec is checked; then the exit object is
 * broken in many deliberate ways and each must be refused with an error
 * naming the problem.  Built with ASan and UBSan, so a crash or an
 * out-of-bounds read anywhere in elf.c or btf.c fails the run.  The packed
 * copies that the binary embeds must unpack to the very same bytes.
 *
 * usage: test_parse BUILD_DIR
 * Prints "PASS name" or "FAIL name: why" per check.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "btf.h"
#include "btf_ext.h"
#include "check.h"
#include "core.h"
#include "ep_labels.h"
#include "elf_target.h"
#include "events.h"
#include "fmt.h"
#include "lzma.h"
#include "sections.h"
#include "spec.h"
#include "tp_format.h"

struct buf {
	unsigned char *p;
	size_t size;
};

static struct buf read_file(const char *dir, const char *name)
{
	struct buf b;

	b.p = read_object(dir, name, &b.size);
	return b;
}

static struct buf copy(struct buf b)
{
	struct buf c = { malloc(b.size ? b.size : 1), b.size };

	memcpy(c.p, b.p, b.size);
	return c;
}

static Elf64_Ehdr *ehdr(struct buf b)
{
	return (Elf64_Ehdr *)b.p;
}

static Elf64_Shdr *shdr(struct buf b, unsigned int i)
{
	return (Elf64_Shdr *)(b.p + ehdr(b)->e_shoff) + i;
}

static unsigned int find_sec(struct buf b, const char *name)
{
	Elf64_Shdr *strs = shdr(b, ehdr(b)->e_shstrndx);

	for (unsigned int i = 1; i < ehdr(b)->e_shnum; i++)
		if (!strcmp((char *)b.p + strs->sh_offset + shdr(b, i)->sh_name, name))
			return i;
	fprintf(stderr, "test_parse: no section %s\n", name);
	exit(2);
}

static const struct spec_prog *find_prog(const struct spec *s, const char *name)
{
	for (size_t i = 0; i < s->prog_cnt; i++)
		if (!strcmp(s->progs[i].name, name))
			return &s->progs[i];
	return NULL;
}

static const struct spec_var *find_var(const struct spec *s, const char *name)
{
	for (size_t i = 0; i < s->var_cnt; i++)
		if (!strcmp(s->vars[i].name, name))
			return &s->vars[i];
	return NULL;
}

static size_t map_index(const struct spec *s, const char *name)
{
	const struct spec_map *m = spec_find_map(s, name);

	return m ? (size_t)(m - s->maps) : (size_t)-1;
}

/* Does some relocation of p point at map "map" with this kind? */
static int has_reloc(const struct spec *s, const struct spec_prog *p, const char *map,
		     enum spec_reloc_kind kind)
{
	for (size_t i = 0; p && i < p->reloc_cnt; i++)
		if (p->relocs[i].map == map_index(s, map) && p->relocs[i].kind == kind)
			return 1;
	return 0;
}

/*
 * After linking, every BPF_PSEUDO_CALL must land inside the program, on the
 * first instruction of an appended subprogram, and every relocated insn must
 * be an ld_imm64.
 */
static int calls_and_relocs_sane(const struct spec_prog *p)
{
	for (size_t i = 0; i < p->insn_cnt; i++) {
		const struct bpf_insn *insn = &p->insns[i];
		long target = (long)i + insn->imm + 1;

		if (insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_CALL &&
		    (target < (long)p->main_cnt || target >= (long)p->insn_cnt))
			return 0;
	}
	for (size_t i = 0; i < p->reloc_cnt; i++)
		if (p->relocs[i].insn + 1 >= p->insn_cnt ||
		    p->insns[p->relocs[i].insn].code != (BPF_LD | BPF_IMM | BPF_DW))
			return 0;
	return 1;
}

static void test_exit_object(struct buf obj)
{
	struct spec s;
	struct diag d;
	const struct spec_map *m;
	const struct spec_prog *p;
	const struct spec_var *v;
	int err = spec_parse(&s, obj.p, obj.size, &d);

	check(!err, "exit: parses", "%s", d.msg);
	if (err)
		return;
	check(!strcmp(s.license, "GPL"), "exit: license", "'%s'", s.license);
	check(s.prog_cnt == 7, "exit: seven programs", "%zu", s.prog_cnt);

	m = spec_find_map(&s, "process_names");
	check(m && m->kind == SPEC_MAP_BTF && m->type == BPF_MAP_TYPE_HASH && m->key_size == 4 &&
		      m->value_size == sizeof(struct exit_process) && m->max_entries == 32768,
	      "exit: process_names is hash u32 -> struct exit_process x 32768", "wrong definition");
	m = spec_find_map(&s, "fatal_signals");
	check(m && m->type == BPF_MAP_TYPE_LRU_HASH && m->key_size == 4 && m->value_size == 4,
	      "exit: fatal_signals is an LRU hash u32 -> u32", "wrong definition");
	m = spec_find_map(&s, "events");
	check(m && m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && m->key_size == 4 &&
		      m->value_size == 4 && m->max_entries == 0,
	      "exit: events is a perf event array sized by the loader", "wrong definition");
	m = spec_find_map(&s, ".rodata");
	check(m && m->kind == SPEC_MAP_DATA && m->readonly && m->type == BPF_MAP_TYPE_ARRAY &&
		      m->max_entries == 1 && m->value_size == TASK_COMM_LEN + 16 &&
		      !strcmp((char *)m->data, "exit_with_code"),
	      "exit: .rodata is a read-only data map holding the default name", "wrong");

	v = find_var(&s, "target_comm");
	check(v && v->size == TASK_COMM_LEN && v->map == map_index(&s, ".rodata") && v->off == 0,
	      "exit: target_comm variable found in .rodata", "missing or misplaced");
	v = find_var(&s, "pidns_ino");
	check(v && v->size == 8 && v->map == map_index(&s, ".rodata"),
	      "exit: pidns_ino variable found in .rodata", "missing or misplaced");

	p = find_prog(&s, "on_process_start");
	check(p && p->attach == SPEC_ATTACH_TRACEPOINT &&
		      p->prog_type == BPF_PROG_TYPE_TRACEPOINT &&
		      !strcmp(p->target, "sched/sched_process_exec"),
	      "exit: on_process_start attaches to sched/sched_process_exec", "wrong");
	check(p && has_reloc(&s, p, "process_names", SPEC_RELOC_MAP_FD),
	      "exit: on_process_start refers to process_names by fd", "no relocation");
	p = find_prog(&s, "on_process_gone");
	check(p && !strcmp(p->target, "sched/sched_process_exit") &&
		      has_reloc(&s, p, ".rodata", SPEC_RELOC_MAP_VALUE) &&
		      has_reloc(&s, p, "events", SPEC_RELOC_MAP_FD),
	      "exit: sched_process_exit program reads .rodata by value and writes events", "wrong");
	p = find_prog(&s, "on_process_exit_group");
	check(p && !strcmp(p->target, "syscalls/sys_enter_exit_group"),
	      "exit: sys_enter_exit_group program", "missing");
	p = find_prog(&s, "on_process_exit");
	check(p && !strcmp(p->target, "syscalls/sys_enter_exit"), "exit: sys_enter_exit program",
	      "missing");
	for (size_t i = 0; i < s.prog_cnt; i++)
		check(calls_and_relocs_sane(&s.progs[i]), "exit: relocations on ld_imm64 only",
		      "prog %s", s.progs[i].name);

	/* Patching the name the way --comm does. */
	err = spec_set_var(&s, "target_comm", "sleep", 6, &d);
	m = spec_find_map(&s, ".rodata");
	check(!err && !memcmp(m->data, "sleep\0\0\0\0\0\0\0\0\0\0\0", 16),
	      "exit: spec_set_var patches and zero-fills", "%s", d.msg);
	err = spec_set_var(&s, "target_comm", "0123456789abcdefg", 18, &d);
	check(err == -E2BIG && strstr(d.msg, "target_comm"), "exit: spec_set_var refuses too long",
	      "err %d", err);
	err = spec_set_var(&s, "no_such_var", "x", 2, &d);
	check(err == -ENOENT, "exit: spec_set_var refuses unknown variable", "err %d", err);
	spec_free(&s);
}

static void test_globals_object(struct buf obj)
{
	struct spec s;
	struct diag d;
	const struct spec_map *m;
	const struct spec_prog *p;
	int err = spec_parse(&s, obj.p, obj.size, &d);

	check(!err, "globals: parses", "%s", d.msg);
	if (err)
		return;
	m = spec_find_map(&s, "counters");
	check(m && m->type == BPF_MAP_TYPE_ARRAY && m->key_size == 4 && m->value_size == 8 &&
		      m->max_entries == 4,
	      "globals: __uint(key_size) map", "wrong definition");
	m = spec_find_map(&s, "names");
	check(m && m->key_size == 24 && m->value_size == 12,
	      "globals: key through const volatile typedef struct, value an array",
	      "key %u value %u", m ? m->key_size : 0, m ? m->value_size : 0);
	m = spec_find_map(&s, ".data");
	check(m && !m->readonly && m->value_size == 8 && m->data[0] == 1,
	      "globals: .data map with its initial value", "wrong");
	m = spec_find_map(&s, ".bss");
	check(m && !m->readonly && m->value_size == 8 && m->data[0] == 0,
	      "globals: .bss map, zero-filled", "wrong");
	m = spec_find_map(&s, ".rodata.str1.1");
	check(m && m->readonly && memmem(m->data, m->value_size, "fixture_probe", 14),
	      "globals: string literal section is a read-only map", "wrong");

	p = find_prog(&s, "on_getppid");
	check(p && p->attach == SPEC_ATTACH_TRACEPOINT &&
		      !strcmp(p->target, "syscalls/sys_enter_getppid"),
	      "globals: tp/ alias", "wrong");
	check(p && p->insn_cnt > p->main_cnt, "globals: subprograms appended", "none");
	check(p && calls_and_relocs_sane(p), "globals: calls land on appended subprograms",
	      "bad call offset");
	check(p && has_reloc(&s, p, ".rodata.str1.1", SPEC_RELOC_MAP_VALUE) &&
		      has_reloc(&s, p, ".data", SPEC_RELOC_MAP_VALUE) &&
		      has_reloc(&s, p, ".bss", SPEC_RELOC_MAP_VALUE) &&
		      has_reloc(&s, p, ".rodata", SPEC_RELOC_MAP_VALUE) &&
		      has_reloc(&s, p, "counters", SPEC_RELOC_MAP_FD),
	      "globals: relocations into every data section and subprogram maps", "missing");
	p = find_prog(&s, "on_getpgid");
	check(p && p->insn_cnt > p->main_cnt && calls_and_relocs_sane(p) &&
		      has_reloc(&s, p, "counters", SPEC_RELOC_MAP_FD),
	      "globals: second program gets its own subprogram copy", "wrong");
	spec_free(&s);
}

static void test_password_object(struct buf obj)
{
	struct spec s;
	struct diag d;
	const struct spec_var *v;
	int err = spec_parse(&s, obj.p, obj.size, &d);

	check(!err, "password: parses", "%s", d.msg);
	if (err)
		return;
	v = find_var(&s, "target_path");
	check(v && v->size == PASSWORD_PATH_MAX, "password: target_path variable", "missing");
	check(find_prog(&s, "sys_enter") && find_prog(&s, "sys_exit") &&
		      find_prog(&s, "sys_exit_loop"),
	      "password: programs found", "%zu", s.prog_cnt);
	v = find_var(&s, "syscall_kind");
	check(v && v->size == PASSWORD_NR_MAX, "password: syscall_kind variable", "missing");
	/* bpf_loop's callbacks: ld_imm64 BPF_PSEUDO_FUNC, each at a linked subprogram. */
	if (find_prog(&s, "sys_exit_loop")) {
		const struct spec_prog *p = find_prog(&s, "sys_exit_loop");
		size_t funcs = 0, bad = 0;

		for (size_t i = 0; i + 1 < p->insn_cnt; i++) {
			const struct bpf_insn *in = &p->insns[i];
			long long at = (long long)i + in->imm + 1;

			if (in->code != (BPF_LD | BPF_IMM | BPF_DW) ||
			    in->src_reg != BPF_PSEUDO_FUNC)
				continue;
			funcs++;
			bad += at < (long long)p->main_cnt || at >= (long long)p->insn_cnt;
		}
		check(funcs >= 2 && !bad, "password: bpf_loop callbacks linked as BPF_PSEUDO_FUNC",
		      "%zu, %zu outside", funcs, bad);
	}
	for (size_t i = 0; i < s.prog_cnt; i++) {
		check(s.progs[i].attach == SPEC_ATTACH_TRACEPOINT,
		      "password: every program attachable", "%s", s.progs[i].name);
		check(calls_and_relocs_sane(&s.progs[i]), "password: relocations sane", "%s",
		      s.progs[i].name);
	}
	spec_free(&s);
}

/* With TEST_PARSE_CORPUS=DIR, each broken object is also saved there. */
static void save_broken(struct buf b, const char *name)
{
	const char *dir = getenv("TEST_PARSE_CORPUS");
	char path[4096], *p;
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s.o", dir, name + strlen("broken: "));
	for (p = path + strlen(dir) + 1; *p; p++)
		if (*p == ' ' || *p == '/' || *p == '\'' || *p == '.')
			*p = p[1] ? '_' : *p;
	memcpy(path + strlen(path) - 2, ".o", 2);
	f = fopen(path, "wb");
	if (f) {
		fwrite(b.p, 1, b.size, f);
		fclose(f);
	}
}

/* A broken object must be refused, with a message containing "want". */
static void expect_reject(struct buf b, const char *name, const char *want)
{
	struct spec s;
	struct diag d = { "" };
	int err = spec_parse(&s, b.p, b.size, &d);

	save_broken(b, name);
	check(err < 0 && strstr(d.msg, want) && !strchr(d.msg, '\n'), name,
	      "err %d, message '%s', wanted '%s'", err, d.msg, want);
	if (!err)
		spec_free(&s);
	free(b.p);
}

static Elf64_Sym *find_sym(struct buf b, const char *name)
{
	unsigned int st = find_sec(b, ".symtab");
	Elf64_Shdr *sh = shdr(b, st);
	Elf64_Sym *syms = (Elf64_Sym *)(b.p + sh->sh_offset);
	const char *strs = (const char *)b.p + shdr(b, sh->sh_link)->sh_offset;

	for (size_t i = 1; i < sh->sh_size / sizeof(*syms); i++)
		if (!strcmp(strs + syms[i].st_name, name))
			return &syms[i];
	fprintf(stderr, "test_parse: no symbol %s\n", name);
	exit(2);
}

static struct btf_header *btf_hdr(struct buf b)
{
	return (struct btf_header *)(b.p + shdr(b, find_sec(b, ".BTF"))->sh_offset);
}

static struct btf_type *btf_blob_find(struct btf_header *h, unsigned int kind, unsigned int nth,
				      unsigned int *id);

/* The nth BTF type of a kind, and its id. */
static struct btf_type *btf_find_id(struct buf b, unsigned int kind, unsigned int nth,
				    unsigned int *id)
{
	return btf_blob_find(btf_hdr(b), kind, nth, id);
}

/* The same in a .BTF blob. */
static struct btf_type *btf_blob_find(struct btf_header *h, unsigned int kind, unsigned int nth,
				      unsigned int *id)
{
	unsigned char *p = (unsigned char *)h + h->hdr_len + h->type_off, *end = p + h->type_len;

	for (*id = 1; p < end; ++*id) {
		struct btf_type *t = (struct btf_type *)p;
		unsigned int vlen = BTF_INFO_VLEN(t->info), k = BTF_INFO_KIND(t->info);
		size_t extra = 0;

		if (k == kind && nth-- == 0)
			return t;
		switch (k) {
		case BTF_KIND_INT:
		case BTF_KIND_VAR:
		case BTF_KIND_DECL_TAG: extra = 4; break;
		case BTF_KIND_ARRAY: extra = sizeof(struct btf_array); break;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION: extra = vlen * sizeof(struct btf_member); break;
		case BTF_KIND_ENUM:
		case BTF_KIND_FUNC_PROTO: extra = vlen * 8; break;
		case BTF_KIND_DATASEC:
		case BTF_KIND_ENUM64: extra = vlen * 12; break;
		}
		p += sizeof(*t) + extra;
	}
	fprintf(stderr, "test_parse: no BTF kind %u\n", kind);
	exit(2);
}

static struct btf_type *btf_find(struct buf b, unsigned int kind, unsigned int nth)
{
	unsigned int id;

	return btf_find_id(b, kind, nth, &id);
}

/*
 * .BTF.ext moved with the code: a program's func_info starts at insn 0 and
 * at each appended subprogram (every pseudo call's target), and its
 * line_info, strictly increasing, has a line at each of those starts, as
 * the kernel demands (kernel/bpf/verifier.c, check_btf_func, check_btf_line).
 */
static int ext_moved_with_code(const struct spec_prog *p, size_t want_funcs)
{
	size_t starts = 0;

	if (p->func_info_cnt != want_funcs || !p->line_info_cnt || p->core_relo_cnt)
		return 0;
	for (size_t i = 0; i < p->func_info_cnt; i++) {
		__u32 at = p->func_info[i].insn_off;
		bool called = false, has_line = false;

		if (at >= p->insn_cnt || (i && at <= p->func_info[i - 1].insn_off))
			return 0;
		for (size_t j = 0; j < p->insn_cnt; j++)
			called |= p->insns[j].code == (BPF_JMP | BPF_CALL) &&
				  p->insns[j].src_reg == BPF_PSEUDO_CALL &&
				  (long)j + p->insns[j].imm + 1 == (long)at;
		for (size_t j = 0; j < p->line_info_cnt; j++)
			has_line |= p->line_info[j].insn_off == at;
		if ((i == 0) != (at == 0) || (i && !called) || !has_line)
			return 0;
	}
	for (size_t j = 0; j < p->insn_cnt; j++)
		starts += p->insns[j].code == (BPF_JMP | BPF_CALL) &&
			  p->insns[j].src_reg == BPF_PSEUDO_CALL;
	for (size_t i = 0; i < p->line_info_cnt; i++)
		if (p->line_info[i].insn_off >= p->insn_cnt ||
		    (i && p->line_info[i].insn_off <= p->line_info[i - 1].insn_off))
			return 0;
	return starts > 0;
}

/* Each DATASEC of the spec's .BTF as the ELF lays it out; .maps holds two. */
static int datasecs_laid_out(struct buf obj, void *btf)
{
	struct btf_header *h = btf;
	const char *strs = (const char *)h + h->hdr_len + h->str_off;
	struct btf_type *ds;
	unsigned int id, n, maps = 0;

	for (n = 0; n < 5; n++) {
		const char *sec;
		struct btf_var_secinfo *vi;

		ds = btf_blob_find(h, BTF_KIND_DATASEC, n, &id);
		sec = strs + ds->name_off;
		vi = (struct btf_var_secinfo *)(ds + 1);
		if (ds->size != shdr(obj, find_sec(obj, sec))->sh_size)
			return 0;
		for (unsigned int i = 0; i < BTF_INFO_VLEN(ds->info); i++) {
			unsigned int vid;
			struct btf_type *v = btf_blob_find(h, BTF_KIND_VAR, 0, &vid);

			for (unsigned int k = 1; vid != vi[i].type; k++)
				v = btf_blob_find(h, BTF_KIND_VAR, k, &vid);
			if (vi[i].offset != find_sym(obj, strs + v->name_off)->st_value ||
			    (i && vi[i].offset <= vi[i - 1].offset))
				return 0;
		}
		maps += !strcmp(sec, ".maps") && BTF_INFO_VLEN(ds->info) == 2 && vi[1].offset > 0;
	}
	return maps == 1;
}

static void test_globals_ext(struct buf obj)
{
	struct spec s;
	struct diag d;
	const struct spec_prog *p;
	int err = spec_parse(&s, obj.p, obj.size, &d);

	if (err)
		return; /* test_globals_object says so */
	p = find_prog(&s, "on_getppid");
	check(p && ext_moved_with_code(p, 3),
	      "globals: func and line info of a program and its two subprograms, moved with them",
	      "%zu funcs, %zu lines", p ? p->func_info_cnt : 0, p ? p->line_info_cnt : 0);
	p = find_prog(&s, "on_getpgid");
	check(p && ext_moved_with_code(p, 2),
	      "globals: the second program gets its own copy of bump's records", "%zu funcs",
	      p ? p->func_info_cnt : 0);
	check(s.btf && datasecs_laid_out(obj, s.btf),
	      "globals: .BTF for the kernel has every "
	      "DATASEC sized as its section, variables at their symbols, in order",
	      "wrong");
	spec_free(&s);
}

/* A global function called from two programs: a copy, and its records, in each. */
static void test_global_func(const char *dir)
{
	struct buf obj = read_file(dir, "fixtures/global_func.bpf.o");
	struct spec s;
	struct diag d;
	int err = spec_parse(&s, obj.p, obj.size, &d);

	check(!err, "global_func: parses", "%s", d.msg);
	if (!err) {
		check(s.prog_cnt == 2 && ext_moved_with_code(&s.progs[0], 2) &&
			      ext_moved_with_code(&s.progs[1], 2),
		      "global_func: each program carries the global function and its records",
		      "%zu programs", s.prog_cnt);
		spec_free(&s);
	}
	free(obj.p);
}

/* Index of the first relocation of a program section, and its insn. */
static Elf64_Rel *first_rel(struct buf b, const char *relsec)
{
	return (Elf64_Rel *)(b.p + shdr(b, find_sec(b, relsec))->sh_offset);
}

static void test_broken(struct buf obj)
{
	const char *exit_rel = ".reltracepoint/sched/sched_process_exec";
	const char *exit_sec = "tracepoint/sched/sched_process_exec";
	struct buf b;
	size_t truncations = 0, accepted = 0;

	/* Every truncation cuts the section headers, which clang writes last. */
	for (size_t n = 0; n < obj.size; n++) {
		struct spec s;
		struct diag d;

		b = copy(obj);
		b.size = n;
		if (!spec_parse(&s, b.p, b.size, &d)) {
			accepted++;
			spec_free(&s);
		}
		truncations++;
		free(b.p);
	}
	check(accepted == 0, "broken: every truncation rejected", "%zu of %zu accepted", accepted,
	      truncations);
	b = copy(obj);
	b.size = 40;
	expect_reject(b, "broken: truncated in the ELF header", "truncated ELF header");
	b = copy(obj);
	b.size = obj.size / 2;
	expect_reject(b, "broken: truncated halfway", "section headers out of range");
	b = copy(obj);
	b.size = obj.size - 1;
	expect_reject(b, "broken: last byte missing", "section headers out of range");

	b = copy(obj);
	b.p[0] = 0x7e;
	expect_reject(b, "broken: bad magic", "not an ELF file");
	b = copy(obj);
	b.p[EI_CLASS] = ELFCLASS32;
	expect_reject(b, "broken: 32-bit class", "not a 64-bit ELF object");
	b = copy(obj);
	/* Read as the other byte order (swap.c), its numbers make no sense. */
	b.p[EI_DATA] = ELFDATA2MSB;
	expect_reject(b, "broken: marked big-endian", "not a relocatable object");
	b = copy(obj);
	b.p[EI_DATA] = ELFDATANONE;
	expect_reject(b, "broken: no byte order", "byte order");
	b = copy(obj);
	ehdr(b)->e_type = ET_EXEC;
	expect_reject(b, "broken: not relocatable", "not a relocatable object");
	b = copy(obj);
	ehdr(b)->e_machine = EM_X86_64;
	expect_reject(b, "broken: x86 machine", "not a BPF object");
	b = copy(obj);
	ehdr(b)->e_shentsize = 32;
	expect_reject(b, "broken: section header size", "section header size");
	b = copy(obj);
	ehdr(b)->e_shoff = obj.size - 8;
	expect_reject(b, "broken: section headers past the end", "section headers out of range");
	b = copy(obj);
	ehdr(b)->e_shoff += 4;
	expect_reject(b, "broken: misaligned section headers", "section headers out of range");
	b = copy(obj);
	ehdr(b)->e_shnum = 0xffff;
	expect_reject(b, "broken: huge section count", "section count");
	b = copy(obj);
	ehdr(b)->e_shstrndx = ehdr(b)->e_shnum + 3;
	expect_reject(b, "broken: name table index out of range", "section name table index");
	b = copy(obj);
	shdr(b, ehdr(b)->e_shstrndx)->sh_type = SHT_PROGBITS;
	expect_reject(b, "broken: name table not a string table", "bad section name table");
	b = copy(obj);
	shdr(b, 3)->sh_name = 0x7fffffff;
	expect_reject(b, "broken: section name out of range", "name out of range");
	b = copy(obj);
	shdr(b, find_sec(b, exit_sec))->sh_offset = obj.size;
	expect_reject(b, "broken: section data past the end", "data out of range");
	b = copy(obj);
	shdr(b, find_sec(b, exit_sec))->sh_size = (Elf64_Xword)-8;
	expect_reject(b, "broken: section size overflows", "data out of range");
	b = copy(obj);
	shdr(b, find_sec(b, exit_sec))->sh_size -= 4;
	expect_reject(b, "broken: code not whole instructions", "whole instructions");
	b = copy(obj);
	shdr(b, find_sec(b, ".symtab"))->sh_entsize = 16;
	expect_reject(b, "broken: symbol entry size", "symbol table entry size");
	b = copy(obj);
	shdr(b, find_sec(b, ".symtab"))->sh_link = 0;
	expect_reject(b, "broken: symbol string table link", "bad symbol string table");
	b = copy(obj);
	shdr(b, find_sec(b, ".symtab"))->sh_type = SHT_PROGBITS;
	expect_reject(b, "broken: no symbol table", "no symbol table");
	b = copy(obj);
	shdr(b, find_sec(b, exit_rel))->sh_info = 999;
	expect_reject(b, "broken: relocation target out of range", "target 999 out of range");
	b = copy(obj);
	shdr(b, find_sec(b, exit_rel))->sh_entsize = 24;
	expect_reject(b, "broken: relocation entry size", "bad relocation entry size");
	b = copy(obj);
	first_rel(b, exit_rel)->r_info = ELF64_R_INFO(9999, 1);
	expect_reject(b, "broken: relocation symbol out of range", "symbol 9999 out of range");
	b = copy(obj);
	first_rel(b, exit_rel)->r_offset += 3;
	expect_reject(b, "broken: relocation at unaligned offset", "unaligned offset");
	b = copy(obj);
	first_rel(b, exit_rel)->r_offset -= 8;
	expect_reject(b, "broken: relocation on a non-ld_imm64 insn", "is not on an ld_imm64");
	b = copy(obj);
	first_rel(b, exit_rel)->r_info =
		ELF64_R_INFO(ELF64_R_SYM(first_rel(b, exit_rel)->r_info), 3);
	expect_reject(b, "broken: unknown relocation type", "relocation type 3");
	b = copy(obj);
	find_sym(b, "on_process_start")->st_size += 8 * 1000;
	expect_reject(b, "broken: function symbol past its section", "lies outside");
	b = copy(obj);
	find_sym(b, "target_comm")->st_value = shdr(b, find_sec(b, ".rodata"))->sh_size - 4;
	expect_reject(b, "broken: variable past its section", "lies outside '.rodata'");
	b = copy(obj);
	find_sym(b, "process_names")->st_shndx = find_sec(b, "license");
	expect_reject(b, "broken: map symbol outside .maps", "no symbol in .maps");
	b = copy(obj);
	find_sym(b, "on_process_start")->st_shndx = 0xfff0;
	expect_reject(b, "broken: function section index out of range", "out of range");
	b = copy(obj);
	b.p[shdr(b, find_sec(b, "license"))->sh_offset + 3] = 'X';
	expect_reject(b, "broken: licence not NUL-terminated", "license is not NUL-terminated");
	b = copy(obj);
	shdr(b, find_sec(b, "license"))->sh_name++;
	expect_reject(b, "broken: no licence", "no license section");
	b = copy(obj);
	shdr(b, find_sec(b, ".BTF"))->sh_name += 1; /* ".BTF" -> "BTF" */
	expect_reject(b, "broken: .maps without .BTF", "without .BTF");
	b = copy(obj);
	find_sym(b, "on_process_start")->st_info = ELF64_ST_INFO(STB_LOCAL, STT_FUNC);
	expect_reject(b, "broken: a static function in a program section",
		      "function 'on_process_start' in section "
		      "'tracepoint/sched/sched_process_exec' is static");
	b = copy(obj);
	find_sym(b, "on_process_start")->st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE);
	expect_reject(b, "broken: a program section with no function",
		      "section 'tracepoint/sched/sched_process_exec' holds code but no program");
	b = copy(obj);
	shdr(b, find_sec(b, exit_rel))->sh_info = find_sec(b, ".rodata");
	expect_reject(b, "broken: relocations in a data section", "addresses stored in '.rodata'");
	b = copy(obj);
	find_sym(b, "process_names")->st_shndx = SHN_UNDEF;
	expect_reject(b, "broken: an undefined symbol",
		      "extern 'process_names': mini-trace cannot");

	b = copy(obj);
	btf_hdr(b)->magic = 0x1234;
	expect_reject(b, "broken: BTF magic", "btf: bad magic");
	b = copy(obj);
	btf_hdr(b)->type_len = 0x7ffffff0;
	expect_reject(b, "broken: BTF types out of range", "type section out of range");
	b = copy(obj);
	btf_hdr(b)->str_off = 0x7ffffff0;
	expect_reject(b, "broken: BTF strings out of range", "string section out of range");
	b = copy(obj);
	btf_hdr(b)->hdr_len = 8;
	expect_reject(b, "broken: BTF header length", "bad header length");
	b = copy(obj);
	btf_find(b, BTF_KIND_PTR, 0)->info = (31u << 24);
	expect_reject(b, "broken: BTF unknown kind", "unknown kind");
	b = copy(obj);
	{
		/*
		 * The first map's struct (the first anonymous one): point its
		 * "type" member at a huge id.
		 */
		struct btf_type *t = btf_find(b, BTF_KIND_STRUCT, 0);
		struct btf_member *m;

		for (unsigned int nth = 1; t->name_off; nth++)
			t = btf_find(b, BTF_KIND_STRUCT, nth);
		m = (struct btf_member *)(t + 1);

		m->type = 0x00ffffff;
	}
	expect_reject(b, "broken: BTF member type id out of range", "bad field 'type'");
	b = copy(obj);
	{
		/* The first pointer made a typedef of itself: a loop to stop. */
		unsigned int id;
		struct btf_type *t = btf_find_id(b, BTF_KIND_PTR, 0, &id);

		t->info = BTF_KIND_TYPEDEF << 24;
		t->type = id;
	}
	expect_reject(b, "broken: BTF type loop", "btf: map");
	b = copy(obj);
	{
		/* The .maps DATASEC's first variable, retyped as an int. */
		struct btf_type *var = btf_find(b, BTF_KIND_VAR, 0);

		var->type = 1; /* clang emits "int" first */
	}
	expect_reject(b, "broken: .maps entry that is not a struct", "definition is not a struct");
	b = copy(obj);
	{
		struct btf_header *h = btf_hdr(b);
		const char *strs = (const char *)h + h->hdr_len + h->str_off;
		struct btf_type *ds;

		for (unsigned int n = 0;; n++) {
			ds = btf_find(b, BTF_KIND_DATASEC, n);
			if (!strcmp(strs + ds->name_off, ".maps"))
				break;
		}
		ds->name_off = 0;
	}
	expect_reject(b, "broken: no .maps DATASEC", "no DATASEC '.maps'");
}

/* Flip each byte in turn: anything may happen except a crash. */
static void test_byte_flips(struct buf obj)
{
	size_t parsed = 0;

	for (size_t i = 0; i < obj.size; i++) {
		struct buf b = copy(obj);
		struct spec s;
		struct diag d;

		b.p[i] ^= 0xff;
		if (!spec_parse(&s, b.p, b.size, &d)) {
			parsed++;
			spec_free(&s);
		}
		free(b.p);
	}
	check(1, "broken: every single-byte flip parsed or refused without a crash", "-");
	printf("# %zu of %zu byte flips still parse\n", parsed, obj.size);
}

/*
 * Objects clang built that use what mini-trace cannot apply: each refused
 * by the parse step, naming it, where loading them would run a program that
 * means something other than its source.
 */
static void test_refused(const char *dir)
{
	static const struct {
		const char *obj, *want;
	} cases[] = {
		{ "fixtures/data_pointer.bpf.o",
		  "addresses stored in '.data' cannot be relocated" },
		{ "fixtures/static_prog.bpf.o",
		  "function 'hidden' in section 'tracepoint/syscalls/sys_enter_getppid' is static" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = read_file(dir, cases[i].obj);
		char name[96];

		snprintf(name, sizeof(name), "refused: %s", cases[i].obj);
		expect_reject(b, name, cases[i].want);
	}
}

static __u32 btf_str_off(struct buf b, const char *str);

/* A kernel BTF for test_core: a header, types, strings, 4-byte aligned. */
static void *make_btf(const __u32 *types, __u32 types_len, const char *strs, __u32 strs_len,
		      size_t *size)
{
	struct btf_header h = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(h),
		.type_len = types_len,
		.str_off = types_len,
		.str_len = strs_len,
	};
	unsigned char *p = calloc(1, sizeof(h) + types_len + strs_len + 4);

	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), types, types_len);
	memcpy(p + sizeof(h) + types_len, strs, strs_len);
	*size = sizeof(h) + types_len + strs_len;
	return p;
}

/* Resolves relocation r (local) against the kernel types given: 0 or -errno, *res. */
static int resolve_against(const struct btf *local, const struct bpf_core_relo *r,
			   const __u32 *types, __u32 types_len, struct core_res *res,
			   struct diag *d)
{
	static const char strs[] = "\0int\0task_struct_lite\0pid\0tgid\0loop";
	size_t size;
	void *data = make_btf(types, types_len, strs, sizeof(strs), &size);
	struct core_cands c = { .name = "task_struct_lite", .len = 16 };
	struct btf *target = NULL;
	int err = btf_new(data, size, &target, d);

	if (!err)
		err = core_find_cands(target, &c, 1, d);
	if (!err)
		err = core_resolve(local, target, &c, r, res, d);
	core_cands_free(&c, 1);
	btf_free(target);
	free(data);
	return err;
}

#define T(kind, kflag, vlen) ((__u32)(kflag) << 31 | (__u32)(kind) << 24 | (vlen))

/*
 * CO-RE resolution (core.c) against kernel BTFs made here: the fixture's one
 * relocation, task_struct_lite.tgid (clang's offset 4), found at 8; a loop
 * of typedefs in the kernel's types; candidates that disagree; a bad
 * record; hostile headers and counts, refused by the reader in one line.
 */
static void test_core(const char *dir)
{
	/* Strings: int 1, task_struct_lite 5, pid 22, tgid 26, loop 31. */
	static const __u32 good[] = {
		1,  T(BTF_KIND_INT, 0, 0),
		4,  BTF_INT_SIGNED << 24 | 32, /* [1] int */
		5,  T(BTF_KIND_STRUCT, 0, 2),
		16, /* [2] */
		22, 1,
		0,  26,
		1,  64,
	};
	static const __u32 loop[] = {
		31, T(BTF_KIND_TYPEDEF, 0, 0),
		3, /* [1] loop -> [3] */
		5,  T(BTF_KIND_STRUCT, 0, 2),
		16, /* [2] */
		22, 1,
		0,  26,
		1,  64,
		31, T(BTF_KIND_TYPEDEF, 0, 0),
		1, /* [3] loop -> [1] */
	};
	static const __u32 two[] = {
		1,
		T(BTF_KIND_INT, 0, 0),
		4,
		BTF_INT_SIGNED << 24 | 32,
		5,
		T(BTF_KIND_STRUCT, 0, 2),
		16,
		22,
		1,
		0,
		26,
		1,
		64,
		5,
		T(BTF_KIND_STRUCT, 0, 2),
		16,
		22,
		1,
		0,
		26,
		1,
		96,
	};
	static const __u32 huge[] = {
		5, T(BTF_KIND_STRUCT, 0, 0xffff), 16, 22, 1, 0,
	};
	struct buf obj = read_file(dir, "fixtures/core.bpf.o");
	struct spec s;
	struct diag d = { "" };
	struct btf *local = NULL;
	struct core_res res;
	struct bpf_core_relo r;
	struct bpf_insn *insns;
	const struct spec_prog *p;
	size_t size;
	void *data;
	int err;

	if (spec_parse(&s, obj.p, obj.size, &d) || btf_new(s.btf, s.btf_size, &local, &d)) {
		check(0, "core: the fixture parses", "%s", d.msg);
		free(obj.p);
		return;
	}
	p = &s.progs[0];
	check(p->core_relo_cnt == 1, "core: the fixture has one relocation", "%zu",
	      p->core_relo_cnt);
	r = p->core_relos[0];

	err = resolve_against(local, &r, good, sizeof(good), &res, &d);
	check(!err && !res.poison && res.orig == 4 && res.val == 8 &&
		      !strcmp(res.what, "task_struct_lite.tgid"),
	      "core: tgid, clang's 4, is the kernel's 8", "%d %s %llu -> %llu", err, d.msg,
	      (unsigned long long)res.orig, (unsigned long long)res.val);
	insns = malloc(p->insn_cnt * sizeof(*insns));
	memcpy(insns, p->insns, p->insn_cnt * sizeof(*insns));
	err = core_patch(insns, p->insn_cnt, &r, &res, &d);
	check(!err && (insns[r.insn_off].off == 8 || insns[r.insn_off].imm == 8),
	      "core: the instruction holds 8 after the patch", "%d %s", err, d.msg);
	res.orig = 5;
	memcpy(insns, p->insns, p->insn_cnt * sizeof(*insns));
	check(core_patch(insns, p->insn_cnt, &r, &res, &d) == -EINVAL &&
		      strstr(d.msg, "not the 5 clang computed"),
	      "core: an instruction without clang's value is not patched", "%s", d.msg);
	free(insns);

	err = resolve_against(local, &r, loop, sizeof(loop), &res, &d);
	check(!err && res.poison, "core: a loop of typedefs in the kernel's BTF: no match, poison",
	      "%d %s", err, d.msg);
	err = resolve_against(local, &r, two, sizeof(two), &res, &d);
	check(err == -EINVAL && strstr(d.msg, "disagree"),
	      "core: two kernel candidates that disagree are refused", "%d %s", err, d.msg);
	err = resolve_against(local, &r, huge, sizeof(huge), &res, &d);
	check(err == -EINVAL && !strcmp(d.msg, "btf: type 1 truncated"),
	      "core: a kernel BTF whose member count overruns it is refused", "%s", d.msg);

	r = p->core_relos[0];
	r.access_str_off = r.type_id ? btf_str_off(obj, "tgid") : 0;
	err = resolve_against(local, &r, good, sizeof(good), &res, &d);
	check(err == -EINVAL && strstr(d.msg, "access string 'tgid' is malformed"),
	      "core: a malformed access string is refused", "%s", d.msg);
	r = p->core_relos[0];
	r.type_id = 100000;
	err = resolve_against(local, &r, good, sizeof(good), &res, &d);
	check(err == -EINVAL && strstr(d.msg, "root type 100000 out of range"),
	      "core: a root type out of range is refused", "%s", d.msg);

	data = make_btf(good, sizeof(good), "\0int", 5, &size);
	((struct btf_header *)data)->type_len = 0x7fffffff;
	btf_free(local);
	err = btf_new(data, size, &local, &d);
	check(err == -EINVAL && !strcmp(d.msg, "btf: type section out of range"),
	      "core: a kernel BTF claiming 2 GB of types is refused", "%s", d.msg);
	free(data);
	btf_free(local);
	spec_free(&s);
	free(obj.p);
}

/*
 * __ksym and __kconfig externs parse: each instruction that names one is
 * recorded, with which kind it is, for the load step to resolve; the
 * object's BTF copy loses its extern DATASECs (now anonymous ENUM64s).
 */
static void test_externs(const char *dir)
{
	static const struct {
		const char *obj, *name;
		enum spec_extern_kind kind;
		bool call;
	} cases[] = {
		{ "fixtures/ksym.bpf.o", "init_task", SPEC_EXTERN_KSYM, false },
		{ "fixtures/kconfig.bpf.o", "LINUX_KERNEL_VERSION", SPEC_EXTERN_KCONFIG, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = read_file(dir, cases[i].obj);
		struct spec s;
		struct diag d = { "" };
		const struct spec_extern *x;
		char name[96];
		int err = spec_parse(&s, b.p, b.size, &d);

		snprintf(name, sizeof(name), "externs: %s parses", cases[i].obj);
		check(!err, name, "%s", d.msg);
		if (err) {
			free(b.p);
			continue;
		}
		x = s.progs[0].extern_cnt == 1 ? &s.progs[0].externs[0] : NULL;
		snprintf(name, sizeof(name), "externs: %s names '%s' at an ld_imm64", cases[i].obj,
			 cases[i].name);
		check(x && !strcmp(x->name, cases[i].name) && x->kind == cases[i].kind &&
			      s.progs[0].insns[x->insn].code == (BPF_LD | BPF_IMM | BPF_DW),
		      name, "%zu externs", s.progs[0].extern_cnt);
		spec_free(&s);
		free(b.p);
	}
}

static __u32 get32(const unsigned char *p)
{
	__u32 v;

	memcpy(&v, p, 4);
	return v;
}

static void put32(unsigned char *p, __u32 v)
{
	memcpy(p, &v, 4);
}

/* Where, in the object, .BTF.ext subsection k starts (its record size). */
static unsigned char *obj_ext_sub(struct buf b, int k)
{
	unsigned char *x = b.p + shdr(b, find_sec(b, ".BTF.ext"))->sh_offset;

	return x + get32(x + 4) + get32(x + 8 + 8 * k);
}

/* The offset of str in .BTF's string table. */
static __u32 btf_str_off(struct buf b, const char *str)
{
	struct btf_header *h = btf_hdr(b);
	const char *strs = (const char *)h + h->hdr_len + h->str_off;

	for (__u32 off = 0; off < h->str_len; off += strlen(strs + off) + 1)
		if (!strcmp(strs + off, str))
			return off;
	fprintf(stderr, "test_parse: no BTF string %s\n", str);
	exit(2);
}

/* .BTF.ext as the parse step checks it against the sections it names. */
static void test_broken_ext(struct buf globals, struct buf core)
{
	struct buf b;

	b = copy(globals);
	put32(obj_ext_sub(b, 1) + 12, 0x10000);
	expect_reject(b, "broken: .BTF.ext line info outside its section",
		      "line_info of 'tp/syscalls/sys_enter_getppid': insn_off 65536 is outside it");
	b = copy(globals);
	put32(obj_ext_sub(b, 0) + 12, 8 * 4096);
	expect_reject(b, "broken: .BTF.ext func info outside its section", "is outside it");
	b = copy(globals);
	put32(obj_ext_sub(b, 0) + 4, btf_str_off(b, "license"));
	expect_reject(b, "broken: .BTF.ext records for a section that is not code",
		      "describes 'license', which is not a code section");
	b = copy(globals);
	put32(obj_ext_sub(b, 1), 8);
	expect_reject(b, "broken: .BTF.ext line info record size too small",
		      "btf: .BTF.ext line_info: record size 8");
	b = copy(globals);
	put32(obj_ext_sub(b, 0) + 8, 1000);
	expect_reject(b, "broken: .BTF.ext records out of range", "do not fit");
	b = copy(core);
	shdr(b, find_sec(b, ".BTF"))->sh_name += 1; /* ".BTF" -> "BTF" */
	expect_reject(b, "broken: .BTF.ext without .BTF", ".BTF.ext without .BTF");
}

/*
 * .BTF.ext read on its own (btf_ext.c): a real one, one with records longer
 * than today's structs, and broken bytes.  The section bytes are copied into
 * malloc'ed memory, so its end is ASan's end.
 */
struct ext {
	struct btf *btf;
	struct buf raw; /* a copy of the object's .BTF.ext */
	__u32 hdr_len;
	__u32 off[3], len[3]; /* func_info, line_info, core_relo */
};

static struct buf sec_copy(struct buf obj, const char *name)
{
	Elf64_Shdr *sh = shdr(obj, find_sec(obj, name));
	struct buf b = { malloc(sh->sh_size ? sh->sh_size : 1), sh->sh_size };

	memcpy(b.p, obj.p + sh->sh_offset, sh->sh_size);
	return b;
}

static int ext_open(struct ext *x, struct buf obj)
{
	Elf64_Shdr *sh = shdr(obj, find_sec(obj, ".BTF"));
	struct diag d;

	memset(x, 0, sizeof(*x));
	if (btf_new(obj.p + sh->sh_offset, sh->sh_size, &x->btf, &d))
		return -1;
	x->raw = sec_copy(obj, ".BTF.ext");
	x->hdr_len = get32(x->raw.p + 4);
	for (int k = 0; k < 3; k++) {
		x->off[k] = get32(x->raw.p + 8 + 8 * k);
		x->len[k] = get32(x->raw.p + 12 + 8 * k);
	}
	return 0;
}

static void ext_close(struct ext *x)
{
	btf_free(x->btf);
	free(x->raw.p);
}

/* Where subsection k starts in the raw bytes: its record size. */
static unsigned char *ext_sub(struct ext *x, struct buf b, int k)
{
	return b.p + x->hdr_len + x->off[k];
}

static void ext_reject(struct ext *x, struct buf b, const char *name, const char *want)
{
	struct btf_ext e;
	struct diag d = { "" };
	int err = btf_ext_parse(&e, b.p, b.size, x->btf, &d);

	check(err < 0 && strstr(d.msg, want) && !strchr(d.msg, '\n'), name,
	      "err %d, message '%s', wanted '%s'", err, d.msg, want);
	if (!err)
		btf_ext_free(&e);
	free(b.p);
}

static void test_btf_ext_good(struct buf globals, struct buf core)
{
	const char *getppid = "tp/syscalls/sys_enter_getppid";
	const struct btf_ext_sec *sec;
	struct btf_ext e;
	struct ext x;
	struct diag d = { "" };
	int err, inside = 1, files = 1;

	if (ext_open(&x, globals)) {
		check(0, "btf.ext: globals fixture has .BTF", "-");
		return;
	}
	err = btf_ext_parse(&e, x.raw.p, x.raw.size, x.btf, &d);
	check(!err, "btf.ext: globals fixture parses", "%s", d.msg);
	if (err) {
		ext_close(&x);
		return;
	}
	check(e.sec_cnt == 3 && btf_ext_find(&e, ".text") && btf_ext_find(&e, getppid) &&
		      btf_ext_find(&e, "tracepoint/syscalls/sys_enter_getpgid"),
	      "btf.ext: records for .text and both program sections", "%zu sections", e.sec_cnt);
	sec = btf_ext_find(&e, ".text");
	check(sec && sec->func_cnt == 2 && sec->line_cnt > 2 && sec->relo_cnt == 0,
	      "btf.ext: .text has two functions, their lines, no CO-RE", "%zu funcs %zu lines",
	      sec ? sec->func_cnt : 0, sec ? sec->line_cnt : 0);
	sec = btf_ext_find(&e, getppid);
	check(sec && sec->func_cnt == 1 && sec->funcs[0].insn_off == 0 && sec->line_cnt > 0 &&
		      sec->lines[0].insn_off == 0,
	      "btf.ext: a program's function and first line start at its first insn", "wrong");
	for (size_t i = 0; i < e.sec_cnt; i++) {
		const Elf64_Shdr *sh = shdr(globals, find_sec(globals, e.secs[i].name));

		for (size_t j = 0; j < e.secs[i].line_cnt; j++) {
			const struct bpf_line_info *l = &e.secs[i].lines[j];
			const char *file = btf_name(x.btf, l->file_name_off);

			inside &= l->insn_off < sh->sh_size && l->insn_off % 8 == 0;
			/* Line 0: code clang made up, belonging to no line. */
			files &= file && strstr(file, "globals.bpf.c") != NULL &&
				 (j || BPF_LINE_INFO_LINE_NUM(l->line_col) > 0);
		}
		for (size_t j = 0; j < e.secs[i].func_cnt; j++)
			inside &= e.secs[i].funcs[j].insn_off < sh->sh_size;
	}
	check(inside, "btf.ext: every record inside its section", "one is not");
	check(files, "btf.ext: every line names globals.bpf.c, each block starts on a line",
	      "one does not");
	btf_ext_free(&e);
	ext_close(&x);

	if (ext_open(&x, core)) {
		check(0, "btf.ext: core fixture has .BTF", "-");
		return;
	}
	err = btf_ext_parse(&e, x.raw.p, x.raw.size, x.btf, &d);
	sec = err ? NULL : btf_ext_find(&e, "tracepoint/syscalls/sys_enter_getppid");
	check(sec && sec->relo_cnt == 1 && sec->relos[0].kind == BPF_CORE_FIELD_BYTE_OFFSET &&
		      !strcmp(btf_name(x.btf, sec->relos[0].access_str_off), "0:1"),
	      "btf.ext: a preserve_access_index read is one field-offset core_relo, \"0:1\"", "%s",
	      err ? d.msg : "wrong records");
	if (!err)
		btf_ext_free(&e);
	ext_close(&x);
}

/*
 * Records longer than the kernel's structs, as a newer compiler may write:
 * read as the struct and the rest skipped.  Built from the globals
 * fixture's first func_info and line_info, with 4 unknown bytes each.
 */
static void test_btf_ext_longer(struct buf globals)
{
	const struct btf_ext_sec *sec;
	unsigned char *fi, *li, out[32 + 24 + 32];
	struct btf_ext e;
	struct ext x;
	struct diag d = { "" };
	int err;

	if (ext_open(&x, globals))
		return;
	fi = ext_sub(&x, x.raw, 0); /* rec_size, name_off, num, records */
	li = ext_sub(&x, x.raw, 1);
	memset(out, 0, sizeof(out));
	put32(out, 0xeb9f | 1u << 16);
	put32(out + 4, 32);
	put32(out + 8, 0); /* func_info: 24 bytes at 0 */
	put32(out + 12, 24);
	put32(out + 16, 24); /* line_info: 32 bytes at 24 */
	put32(out + 20, 32);
	put32(out + 32, 12); /* func_info record size 12 */
	put32(out + 36, get32(fi + 4));
	put32(out + 40, 1);
	memcpy(out + 44, fi + 12, 8);
	put32(out + 52, 0xdeadbeef);
	put32(out + 56, 20); /* line_info record size 20 */
	put32(out + 60, get32(li + 4));
	put32(out + 64, 1);
	memcpy(out + 68, li + 12, 16);
	put32(out + 84, 0xdeadbeef);
	err = btf_ext_parse(&e, out, sizeof(out), x.btf, &d);
	sec = err ? NULL : &e.secs[0];
	check(sec && e.sec_cnt == 1 && sec->func_cnt == 1 && sec->line_cnt == 1 &&
		      !memcmp(&sec->funcs[0], fi + 12, 8) && !memcmp(&sec->lines[0], li + 12, 16),
	      "btf.ext: records longer than the kernel's structs are read, the tail skipped", "%s",
	      err ? d.msg : "wrong records");
	if (!err)
		btf_ext_free(&e);
	ext_close(&x);
}

static void test_btf_ext_broken(struct buf globals)
{
	struct ext x;
	struct buf b;
	size_t accepted = 0;

	if (ext_open(&x, globals))
		return;
	for (size_t n = 0; n < x.raw.size; n++) {
		struct btf_ext e;
		struct diag d;

		b = copy(x.raw);
		b.size = n;
		if (!btf_ext_parse(&e, b.p, b.size, x.btf, &d)) {
			accepted++;
			btf_ext_free(&e);
		}
		free(b.p);
	}
	check(accepted == 0, "broken: every truncation of .BTF.ext refused", "%zu of %zu accepted",
	      accepted, x.raw.size);
	b = copy(x.raw);
	b.size = 6;
	ext_reject(&x, b, "broken: .BTF.ext shorter than its header", "truncated header");
	b = copy(x.raw);
	b.p[0] ^= 0xff;
	ext_reject(&x, b, "broken: .BTF.ext magic", "bad magic");
	b = copy(x.raw);
	b.p[2] = 2;
	ext_reject(&x, b, "broken: .BTF.ext version", "unsupported version 2");
	b = copy(x.raw);
	b.p[3] = 1;
	ext_reject(&x, b, "broken: .BTF.ext flags", "unsupported flags");
	b = copy(x.raw);
	put32(b.p + 4, 8);
	ext_reject(&x, b, "broken: .BTF.ext header length", "bad header length 8");
	b = copy(x.raw);
	put32(b.p + 4, b.size + 4);
	ext_reject(&x, b, "broken: .BTF.ext header past the end", "bad header length");
	b = copy(x.raw);
	put32(b.p + 12, x.len[0] + 4096);
	ext_reject(&x, b, "broken: .BTF.ext func_info past the end", "func_info: ");
	b = copy(x.raw);
	put32(b.p + 16, 0xfffffff0);
	ext_reject(&x, b, "broken: .BTF.ext line_info offset overflows", "out of range");
	b = copy(x.raw);
	put32(b.p + 8, 2);
	ext_reject(&x, b, "broken: .BTF.ext func_info misaligned", "out of range");
	b = copy(x.raw);
	put32(b.p + 12, 2);
	ext_reject(&x, b, "broken: .BTF.ext func_info without a record size", "no record size");
	b = copy(x.raw);
	put32(b.p + 12, 4);
	ext_reject(&x, b, "broken: .BTF.ext func_info without records", "no records");
	b = copy(x.raw);
	put32(ext_sub(&x, b, 0), 4);
	ext_reject(&x, b, "broken: .BTF.ext func_info record smaller than the struct",
		   "record size 4");
	b = copy(x.raw);
	put32(ext_sub(&x, b, 1), 18);
	ext_reject(&x, b, "broken: .BTF.ext line_info record size not a multiple of 4",
		   "record size 18");
	b = copy(x.raw);
	put32(ext_sub(&x, b, 1), 0x40000000);
	ext_reject(&x, b, "broken: .BTF.ext line_info records larger than the section",
		   "do not fit");
	b = copy(x.raw);
	put32(ext_sub(&x, b, 0) + 8, 0x7fffffff);
	ext_reject(&x, b, "broken: .BTF.ext func_info count out of range", "do not fit");
	b = copy(x.raw);
	put32(ext_sub(&x, b, 0) + 8, 0);
	ext_reject(&x, b, "broken: .BTF.ext block of no records", "0 records");
	b = copy(x.raw);
	put32(ext_sub(&x, b, 0) + 4, 0x7ffffff0);
	ext_reject(&x, b, "broken: .BTF.ext section name out of range",
		   "section name offset 2147483632 out of range");
	b = copy(x.raw);
	put32(ext_sub(&x, b, 1) + 4, 0);
	ext_reject(&x, b, "broken: .BTF.ext section with no name", "out of range");
	b = copy(x.raw);
	put32(ext_sub(&x, b, 0) + 16, 1);
	ext_reject(&x, b, "broken: .BTF.ext func_info type not a FUNC", "type 1 is not a FUNC");
	b = copy(x.raw);
	put32(ext_sub(&x, b, 0) + 16, 0x00ffffff);
	ext_reject(&x, b, "broken: .BTF.ext func_info type out of range", "is not a FUNC");
	b = copy(x.raw);
	put32(ext_sub(&x, b, 1) + 12, 3);
	ext_reject(&x, b, "broken: .BTF.ext line_info between instructions", "insn_off 3");
	b = copy(x.raw);
	put32(ext_sub(&x, b, 1) + 16, 0x7ffffff0);
	ext_reject(&x, b, "broken: .BTF.ext line_info file name out of range",
		   "string out of range");
	b = copy(x.raw);
	put32(ext_sub(&x, b, 1) + 20, 0x7ffffff0);
	ext_reject(&x, b, "broken: .BTF.ext line_info source line out of range",
		   "string out of range");
	/* line_info four bytes shorter: its last block no longer fits. */
	b = copy(x.raw);
	put32(b.p + 20, x.len[1] - 4);
	ext_reject(&x, b, "broken: .BTF.ext line_info one record short", "do not fit");
	ext_close(&x);
}

/*
 * btf_sanitize: each kind an older kernel lacks becomes one it knows, of the
 * same record size, every type id kept; ENUM64, which cannot, is refused.
 */
static void test_btf_sanitize(void)
{
	static const char strs[] = "\0int\0x";
	__u32 types[] = {
		1, BTF_KIND_INT << 24,	    4, 32,	  /* [1] int */
		5, BTF_KIND_FLOAT << 24,    8,		  /* [2] float x */
		5, BTF_KIND_VAR << 24,	    1, 0,	  /* [3] static int x */
		5, BTF_KIND_DECL_TAG << 24, 3, (__u32)-1, /* [4] tag on [3] */
		5, BTF_KIND_TYPE_TAG << 24, 1,		  /* [5] int __tag("x") */
		0, BTF_KIND_PTR << 24,	    5,		  /* [6] pointer to [5] */
	};
	struct btf_header h = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(h),
		.type_len = sizeof(types),
		.str_off = sizeof(types),
		.str_len = sizeof(strs),
	};
	unsigned char blob[sizeof(h) + sizeof(types) + sizeof(strs)];
	unsigned int all = BTF_NEW_FLOAT | BTF_NEW_DECL_TAG | BTF_NEW_TYPE_TAG | BTF_NEW_ENUM64;
	struct btf *b = NULL;
	struct diag d = { "" };
	int err;

	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), types, sizeof(types));
	memcpy(blob + sizeof(h) + sizeof(types), strs, sizeof(strs));
	err = btf_sanitize(blob, sizeof(blob), 0, &d);
	check(!err && !memcmp(blob + sizeof(h), types, sizeof(types)),
	      "btf: sanitize for a kernel that lacks nothing changes nothing", "%s", d.msg);
	err = btf_sanitize(blob, sizeof(blob), all, &d) ?: btf_new(blob, sizeof(blob), &b, &d);
	check(!err && btf_kind(b, 1) == BTF_KIND_INT && btf_kind(b, 2) == BTF_KIND_STRUCT &&
		      btf_kind(b, 3) == BTF_KIND_VAR && btf_kind(b, 4) == BTF_KIND_INT &&
		      btf_kind(b, 5) == BTF_KIND_CONST && btf_kind(b, 6) == BTF_KIND_PTR,
	      "btf: FLOAT, DECL_TAG and TYPE_TAG become STRUCT, INT and CONST, ids kept", "%s",
	      d.msg);
	btf_free(b);
	types[4] = 5;
	types[5] = BTF_KIND_ENUM64 << 24 | 0; /* [2] an enum64 of no values */
	memcpy(blob + sizeof(h), types, sizeof(types));
	err = btf_sanitize(blob, sizeof(blob), all, &d);
	check(err == -EOPNOTSUPP && strstr(d.msg, "ENUM64"),
	      "btf: an ENUM64 for a kernel "
	      "without it is refused",
	      "err %d '%s'", err, d.msg);
}

/*
 * fmt() against the C library's snprintf(), on every conversion mini-trace
 * prints with, at the edges of each size; and cut short as snprintf is.
 */
#define SAME_AS_SNPRINTF(...)                                                                     \
	do {                                                                                      \
		char ours[128], libc[128];                                                        \
		int n1 = fmt(ours, sizeof(ours), __VA_ARGS__);                                    \
		int n2 = snprintf(libc, sizeof(libc), __VA_ARGS__);                               \
		if (n1 != n2 || strcmp(ours, libc)) {                                             \
			mismatches++;                                                             \
			printf("# fmt gave '%s' (%d), snprintf '%s' (%d)\n", ours, n1, libc, n2); \
		}                                                                                 \
	} while (0)

static void test_fmt(void)
{
	char small[5];
	int mismatches = 0, n;

	SAME_AS_SNPRINTF("%s|%d|%u|%zu|%llu|%lld|%02x|%04x|%#x|%.*s|%-10s|", "ab", -5, 7u,
			 (size_t)99, 18446744073709551615ull, -9223372036854775807ll - 1, 10,
			 0xbeef, 255, 3, "abcdef", "hi");
	SAME_AS_SNPRINTF("%5d|%-5d|%05d|%5s|%x|%#x|%c|%%|%ld|%lu|%lx", -42, 42, -42, "abc", 0u, 0u,
			 'z', -1L, 1UL << 63, 0xdeadUL);
	SAME_AS_SNPRINTF("%*d|%-*d|%.*s|%.0s|%.10s|%i", 6, 12, 6, 12, 2, "xyz", "abc", "ab", 3);
	SAME_AS_SNPRINTF("%d %d %u %x", 2147483647, -2147483647 - 1, 4294967295u, 4294967295u);
	SAME_AS_SNPRINTF("no conversions at all");
	check(!mismatches, "fmt: agrees with snprintf on every conversion it knows", "%d differ",
	      mismatches);
	n = fmt(small, sizeof(small), "%s", "abcdefgh");
	check(n == 8 && !strcmp(small, "abcd"),
	      "fmt: cut short and terminated, full length returned", "%d '%s'", n, small);
	check(fmt(NULL, 0, "%d", -12345) == 6, "fmt: with no buffer, only measures",
	      "wrong length");
}

/*
 * OBJ's packed copy, as objects.S embeds it, unpacks to OBJ; every cut of
 * it and every byte flip is refused or unpacks without a crash.
 */
static void test_packed(const char *dir, const char *name, struct buf obj)
{
	char packed_name[64], what[3][96];
	struct buf packed;
	size_t size, refused = 0;
	unsigned char *out;

	snprintf(packed_name, sizeof(packed_name), "%s.lzma", name);
	snprintf(what[0], sizeof(what[0]), "packed: %s unpacks to itself", name);
	snprintf(what[1], sizeof(what[1]), "packed: every cut of %s is refused", name);
	snprintf(what[2], sizeof(what[2]), "packed: byte flips in %s unpack or are refused", name);
	packed = read_file(dir, packed_name);
	out = lzma_unpack(packed.p, packed.size, &size);
	check(out && size == obj.size && !memcmp(out, obj.p, size), what[0], "%s",
	      out ? "different bytes" : "refused");
	printf("# %s: %zu bytes packed into %zu\n", name, obj.size, packed.size);
	free(out);
	for (size_t cut = 0; cut < packed.size; cut++) {
		out = lzma_unpack(packed.p, cut, &size);
		refused += !out;
		free(out);
	}
	check(refused == packed.size, what[1], "%zu of %zu", refused, packed.size);
	for (size_t i = 0; i < packed.size; i++) {
		packed.p[i] ^= 0x5a;
		free(lzma_unpack(packed.p, packed.size, &size));
		packed.p[i] ^= 0x5a;
	}
	check(1, what[2], "-");
	free(packed.p);
}

/*
 * The labels include/ep_platform.h leaves in .ep.labels: one per call, in
 * order, the signed flag on signed numbers; none without the section; a
 * section whose text runs off its end refused.
 */
static void test_ep_labels(const char *dir, struct buf exit_obj)
{
	static const char *const want[] = { "Example", "A small number", "A very large number",
					    "A struct" };
	struct buf o = read_file(dir, "exercises/platform-overview/starter.bpf.o");
	struct ep_labels l;
	struct spec s = { 0 };
	struct diag d = { "" };
	int err = ep_labels_parse(&l, o.p, o.size, &d);
	size_t first, end;

	check(!err && l.cnt == 4, "ep_labels: four calls, four labels", "%d %zu %s", err, l.cnt,
	      d.msg);
	for (size_t i = 0; !err && i < l.cnt && i < 4; i++)
		check(l.v[i].counter == i && !strcmp(l.v[i].label, want[i]) &&
			      (l.v[i].flags & EP_LABEL_SIGNED) == (i == 1 ? EP_LABEL_SIGNED : 0),
		      "ep_labels: counter, text and signedness", "%zu: %u '%s' %u", i,
		      l.v[i].counter, l.v[i].label, l.v[i].flags);
	check(ep_label_find(&l, 3) && !strcmp(ep_label_find(&l, 3)->label, "A struct") &&
		      !ep_label_find(&l, 9),
	      "ep_labels: found by a record's counter", "%zu labels", l.cnt);
	err = spec_parse(&s, o.p, o.size, &d);
	check(!err, "ep_labels: the section does not stop the parse", "%s", d.msg);
	spec_free(&s);
	if (l.cnt == 4) {
		/* Every byte from the first entry to the last NUL made text. */
		first = (const unsigned char *)l.v[0].label - 8 - o.p;
		end = (const unsigned char *)l.v[3].label + strlen(l.v[3].label) + 1 - o.p;
		ep_labels_free(&l);
		/* ...and the NULs padding the last entry to 4 bytes. */
		memset(o.p + first, 'x', (end - first + 3) & ~(size_t)3);
		err = ep_labels_parse(&l, o.p, o.size, &d);
		check(err == -EINVAL && strstr(d.msg, "not NUL-terminated"),
		      "ep_labels: a label running off the section is refused", "%d %s", err, d.msg);
	}
	ep_labels_free(&l);
	err = ep_labels_parse(&l, exit_obj.p, exit_obj.size, &d);
	check(!err && l.cnt == 0, "ep_labels: no section, no labels", "%d %zu", err, l.cnt);
	ep_labels_free(&l);
	free(o.p);
}

/*
 * A uprobe target's function offset (elf_target.c) against the sample's own
 * headers read here: the symbol's address through its PT_LOAD segment.
 * Then every prefix of the file, and every byte flipped in its headers:
 * an offset inside the file or one line, never a read past the end.
 */
static void test_elf_target(const char *dir)
{
	struct buf t = read_file(dir, "samples/uprobe_target"), c;
	const Elf64_Ehdr *eh = ehdr(t);
	__u64 off = 0, want = 0, addr = 0, got;
	struct diag d = { "" };
	int err;

	for (unsigned int i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *sh = shdr(t, i), *str;

		if (sh->sh_type != SHT_SYMTAB)
			continue;
		str = shdr(t, sh->sh_link);
		for (size_t j = 0; j < sh->sh_size / sizeof(Elf64_Sym); j++) {
			const Elf64_Sym *sym = (const Elf64_Sym *)(t.p + sh->sh_offset) + j;

			if (!strcmp((const char *)t.p + str->sh_offset + sym->st_name,
				    "add_numbers"))
				addr = sym->st_value;
		}
	}
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(t.p + eh->e_phoff) + i;

		if (ph->p_type == PT_LOAD && addr >= ph->p_vaddr &&
		    addr < ph->p_vaddr + ph->p_filesz)
			want = addr - ph->p_vaddr + ph->p_offset;
	}
	err = elf_target_func_offset(t.p, t.size, "add_numbers", &off, &d);
	check(!err && want && off == want, "elf_target: add_numbers' file offset",
	      "0x%llx, want 0x%llx (%s)", (unsigned long long)off, (unsigned long long)want, d.msg);
	err = elf_target_func_offset(t.p, t.size, "add_number", &off, &d);
	check(err == -ENOENT && strstr(d.msg, "no function 'add_number'"),
	      "elf_target: a name's prefix is not the name", "%d %s", err, d.msg);
	err = elf_target_func_offset(t.p, t.size, "main", &off, &d);
	check(!err, "elf_target: main found", "%s", d.msg);

	for (size_t n = 0; n < t.size; n += n < 4096 ? 1 : 509) {
		c = copy((struct buf){ t.p, n });
		d.msg[0] = '\0';
		err = elf_target_func_offset(c.p, c.size, "add_numbers", &got, &d);
		if (err ? !d.msg[0] : got >= n)
			check(0, "elf_target: a prefix", "%zu bytes: %d '%s'", n, err, d.msg);
		free(c.p);
	}
	c = copy(t);
	for (size_t i = 0; i < 64 + (size_t)eh->e_phnum * sizeof(Elf64_Phdr); i++) {
		c.p[i] ^= 0xff;
		d.msg[0] = '\0';
		err = elf_target_func_offset(c.p, c.size, "add_numbers", &got, &d);
		if (err ? !d.msg[0] : got >= c.size)
			check(0, "elf_target: a byte flipped", "byte %zu: %d '%s'", i, err, d.msg);
		c.p[i] ^= 0xff;
	}
	free(c.p);
	free(t.p);
	check(1, "elf_target: every prefix and header byte flip handled", " ");
}

/* The section table's new rows: program type and target, libbpf's spellings. */
static void test_sec_rows(void)
{
	static const struct {
		const char *sec, *target;
		enum bpf_prog_type type;
		bool retprobe;
	} rows[] = {
		{ "uprobe//lib/x86_64-linux-gnu/libc.so.6:malloc",
		  "/lib/x86_64-linux-gnu/libc.so.6:malloc", BPF_PROG_TYPE_KPROBE, false },
		{ "uretprobe/bin/bash:readline", "bin/bash:readline", BPF_PROG_TYPE_KPROBE, true },
		{ "kprobe/do_sys_openat2+0x10", "do_sys_openat2+0x10", BPF_PROG_TYPE_KPROBE,
		  false },
		{ "kretsyscall/openat", "openat", BPF_PROG_TYPE_KPROBE, true },
		{ "raw_tp/sched_switch", "sched_switch", BPF_PROG_TYPE_RAW_TRACEPOINT, false },
		{ "raw_tracepoint/sys_enter", "sys_enter", BPF_PROG_TYPE_RAW_TRACEPOINT, false },
		{ "fentry/do_exit", "do_exit", BPF_PROG_TYPE_TRACING, false },
		{ "fexit/vfs_read", "vfs_read", BPF_PROG_TYPE_TRACING, false },
		{ "tp_btf/sched_switch", "sched_switch", BPF_PROG_TYPE_TRACING, false },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct sec_def *def = sec_def_find(rows[i].sec);

		check(def && def->prog_type == rows[i].type && def->retprobe == rows[i].retprobe &&
			      !strcmp(rows[i].sec + strlen(def->prefix), rows[i].target),
		      "sections: a new row", "'%s'", rows[i].sec);
	}
	/* A tracing program is loaded for its hook: the row says which. */
	check(sec_def_find("fentry/x")->expected_attach_type == BPF_TRACE_FENTRY &&
		      sec_def_find("fexit/x")->expected_attach_type == BPF_TRACE_FEXIT &&
		      sec_def_find("tp_btf/x")->expected_attach_type == BPF_TRACE_RAW_TP &&
		      sec_def_find("fentry/x")->link == SEC_LINK_TRACING,
	      "sections: fentry, fexit and tp_btf carry their attach type", " ");
	check(!sec_def_find("fentry.s/x") && !sec_def_find("fmod_ret/x"),
	      "sections: sleepable fentry and fmod_ret are not these rows", " ");
	check(!sec_def_find("kprobe.multi/x") && !sec_def_find("uprobe.s/x") &&
		      !sec_def_find("raw_tp.w/x"),
	      "sections: libbpf's multi, sleepable and writable kinds are not these rows", " ");
}

/* ---- objects of the other byte order (parse/swap.c) ---- */

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/*
 * Where two specs of one program differ, as a line, or NULL: one parsed
 * from the object clang built for this machine's byte order, one from the
 * object it built for the other, which swap.c turned into this order.
 * Everything the parser derived must agree; the data sections' bytes are
 * the target's numbers, so only their sizes are compared.  The code agrees
 * only when clang chose the same instructions for both orders: not when it
 * merged constants (two stores of 0x01 and 0x0801 are one 64-bit immediate
 * in one order, a 32-bit one in the other).  Where it did, "exact" says so,
 * and the code, the .BTF.ext records describing it and where relocations
 * sit must be the same, instruction for instruction.
 */
static const char *spec_difference(const struct spec *a, const struct spec *b, int exact, char *why,
				   size_t len)
{
	if (!same_str(a->license, b->license) || a->kern_version != b->kern_version)
		return "license or version";
	if (a->btf_size != b->btf_size || (a->btf_size && memcmp(a->btf, b->btf, a->btf_size)))
		return ".BTF";
	if (a->map_cnt != b->map_cnt || a->var_cnt != b->var_cnt || a->prog_cnt != b->prog_cnt)
		return "map, variable or program count";
	for (size_t i = 0; i < a->map_cnt; i++) {
		const struct spec_map *x = &a->maps[i], *y = &b->maps[i];

		if (!same_str(x->name, y->name) || x->kind != y->kind || x->type != y->type ||
		    x->key_size != y->key_size || x->value_size != y->value_size ||
		    x->max_entries != y->max_entries || x->map_flags != y->map_flags ||
		    x->readonly != y->readonly || !x->data != !y->data) {
			snprintf(why, len, "map '%s'", x->name);
			return why;
		}
	}
	for (size_t i = 0; i < a->var_cnt; i++) {
		const struct spec_var *x = &a->vars[i], *y = &b->vars[i];

		if (!same_str(x->name, y->name) || x->map != y->map || x->off != y->off ||
		    x->size != y->size) {
			snprintf(why, len, "variable '%s'", x->name);
			return why;
		}
	}
	for (size_t i = 0; i < a->prog_cnt; i++) {
		const struct spec_prog *x = &a->progs[i], *y = &b->progs[i];

		snprintf(why, len, "prog '%s'", x->name);
		if (!same_str(x->name, y->name) || !same_str(x->sec_name, y->sec_name) ||
		    !same_str(x->target, y->target) || x->attach != y->attach ||
		    x->prog_type != y->prog_type || x->reloc_cnt != y->reloc_cnt ||
		    x->func_info_cnt != y->func_info_cnt || x->core_relo_cnt != y->core_relo_cnt)
			return strncat(why, ": name, section or counts", len - strlen(why) - 1);
		if (!calls_and_relocs_sane(y))
			return strncat(why, ": calls or relocated instructions",
				       len - strlen(why) - 1);
		for (size_t j = 0; j < x->reloc_cnt; j++)
			if (x->relocs[j].kind != y->relocs[j].kind ||
			    x->relocs[j].map != y->relocs[j].map ||
			    x->relocs[j].off != y->relocs[j].off ||
			    (exact && x->relocs[j].insn != y->relocs[j].insn))
				return strncat(why, ": relocations", len - strlen(why) - 1);
		if (!exact)
			continue;
		if (x->insn_cnt != y->insn_cnt || x->main_cnt != y->main_cnt ||
		    x->line_info_cnt != y->line_info_cnt ||
		    memcmp(x->insns, y->insns, x->insn_cnt * sizeof(*x->insns)))
			return strncat(why, ": instructions", len - strlen(why) - 1);
		if ((x->func_info_cnt && memcmp(x->func_info, y->func_info,
						x->func_info_cnt * sizeof(*x->func_info))) ||
		    (x->line_info_cnt && memcmp(x->line_info, y->line_info,
						x->line_info_cnt * sizeof(*x->line_info))) ||
		    (x->core_relo_cnt && memcmp(x->core_relos, y->core_relos,
						x->core_relo_cnt * sizeof(*x->core_relos))))
			return strncat(why, ": .BTF.ext records", len - strlen(why) - 1);
	}
	return NULL;
}

/*
 * One object in both byte orders: both parse to the same spec, or both are
 * refused with the same message.  For the objects whose code is the same in
 * both ("exact"), the foreign one, truncated and with each byte flipped in
 * turn, is also refused or parsed without a crash (ASan).
 */
static void test_foreign_object(const char *dir, const char *name, int exact)
{
	char path[256], why[160];
	struct buf a = read_file(dir, name), b;
	struct spec sa, sb;
	struct diag da = { "" }, db = { "" };
	int ea, eb;
	const char *diff;

	snprintf(path, sizeof(path), "foreign/%s", name);
	b = read_file(dir, path);
	check(b.size > EI_DATA && b.p[EI_DATA] != a.p[EI_DATA], "foreign: byte orders differ", "%s",
	      name);
	ea = spec_parse(&sa, a.p, a.size, &da);
	eb = spec_parse(&sb, b.p, b.size, &db);
	if (ea || eb) {
		check(ea == eb && !strcmp(da.msg, db.msg), "foreign: refused alike",
		      "%s: '%s' / '%s'", name, da.msg, db.msg);
	} else {
		diff = spec_difference(&sa, &sb, exact, why, sizeof(why));
		check(!diff && sb.swapped && !sa.swapped, "foreign: same spec in both byte orders",
		      "%s: %s differs", name, diff ? diff : "swapped flag");
		spec_free(&sa);
		spec_free(&sb);
	}
	if (exact) {
		size_t accepted = 0;

		for (size_t n = 0; n < b.size; n++) {
			struct buf c = copy(b);

			c.size = n;
			if (!spec_parse(&sb, c.p, c.size, &db)) {
				accepted++;
				spec_free(&sb);
			}
			free(c.p);
		}
		check(accepted == 0, "foreign: every truncation rejected", "%zu accepted",
		      accepted);
		test_byte_flips(b);
	}
	free(a.p);
	free(b.p);
}

static void test_foreign(const char *dir)
{
	char sub[4096];
	struct dirent *e;
	DIR *fixtures;

	/* Their code is the same in both orders: a check of swap.c's instructions. */
	test_foreign_object(dir, "exit.bpf.o", 1);
	test_foreign_object(dir, "fixtures/globals.bpf.o", 1);
	test_foreign_object(dir, "password.bpf.o", 0);
	snprintf(sub, sizeof(sub), "%s/foreign/fixtures", dir);
	fixtures = opendir(sub);
	check(fixtures != NULL, "foreign: fixtures built", "%s", sub);
	while (fixtures && (e = readdir(fixtures))) {
		size_t len = strlen(e->d_name);

		if (len > 6 && !strcmp(e->d_name + len - 6, ".bpf.o") && len < 200 &&
		    strcmp(e->d_name, "globals.bpf.o")) {
			snprintf(sub, sizeof(sub), "fixtures/%s", e->d_name);
			test_foreign_object(dir, sub, 0);
		}
	}
	if (fixtures)
		closedir(fixtures);
}

static void test_core_type_matches(void);
static void test_split_btf(void);
static void test_core_steps(void);
/*
 * One password object on a 32-bit kernel without BTF: its record reads,
 * resolved against a 32-bit kernel's raw_syscalls format files (4-byte
 * longs: id at 8, args[] from 12, ret at 12) as load/core_load.c resolves
 * them, end as 4-byte loads at those offsets.  An unsigned long's 8-byte
 * load is narrowed (zero extended: a 32-bit kernel's pointers and sizes);
 * a signed long's is poisoned, and read through tracepoint.h's ___32
 * flavor instead; the kernel's long is 4 bytes (kernel_long_size()).
 */
static const char *const fmt32[] = {
	"name: sys_enter\nID: 21\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:long id;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned long args[6];\toffset:12;\tsize:24;\tsigned:0;\n\n"
	"print fmt: \"NR %ld (%lx, %lx, %lx, %lx, %lx, %lx)\", REC->id, ...\n",
	"name: sys_exit\nID: 20\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:long id;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:long ret;\toffset:12;\tsize:4;\tsigned:1;\n\n"
	"print fmt: \"NR %ld = %ld\", REC->id, REC->ret\n",
};

/* What one program's record reads became: counts of each kind of patch. */
struct narrowed {
	unsigned int args, args_bad, longs32, poisoned, long_size, other;
};

static void resolve_prog32(const struct btf *local, const struct btf *target,
			   const struct core_cands *cands, const struct spec_prog *p,
			   struct narrowed *n, struct diag *d)
{
	struct bpf_insn *insns = malloc(p->insn_cnt * sizeof(*insns));

	memcpy(insns, p->insns, p->insn_cnt * sizeof(*insns));
	for (size_t i = 0; i < p->core_relo_cnt; i++) {
		const struct bpf_core_relo *r = &p->core_relos[i];
		const char *root = core_root_name(local, r, d);
		const struct core_cands *c = NULL;
		const struct bpf_insn *insn = &insns[r->insn_off];
		struct core_res res;
		unsigned int arg;

		for (size_t k = 0; root && k < 2; k++)
			if (core_essential_len(root) == cands[k].len &&
			    !strncmp(root, cands[k].name, cands[k].len))
				c = &cands[k];
		if (!c || core_resolve(local, target, c, r, &res, d) ||
		    core_patch(insns, p->insn_cnt, r, &res, d)) {
			n->other++;
			continue;
		}
		if (r->kind == BPF_CORE_FIELD_BYTE_SIZE && res.val == 4)
			n->long_size++;
		else if (r->kind != BPF_CORE_FIELD_BYTE_OFFSET)
			n->other++;
		else if (insn->code == (BPF_JMP | BPF_CALL) && insn->imm == CORE_POISON)
			n->poisoned++;
		else if (sscanf(res.what, "trace_event_raw_sys_enter.args[%u]", &arg) == 1 &&
			 insn->code == (BPF_LDX | BPF_MEM | BPF_W) &&
			 insn->off == 12 + 4 * (int)arg)
			n->args++;
		else if (strstr(res.what, ".args["))
			n->args_bad++;
		else if (insn->code == (BPF_LDX | BPF_MEM | BPF_W) && res.orig_sz == 4 &&
			 insn->off == (strstr(res.what, ".ret") ? 12 : 8))
			n->longs32++; /* the ___32 flavor's int */
		else
			n->other++;
	}
	free(insns);
}

static void test_password_32bit(const char *dir, struct buf obj)
{
	static const char *const events[] = { "raw_syscalls/sys_enter", "raw_syscalls/sys_exit" };
	static const char *const names[] = { "trace_event_raw_sys_enter",
					     "trace_event_raw_sys_exit" };
	struct core_cands cands[2] = { { names[0], strlen(names[0]), NULL, 0 },
				       { names[1], strlen(names[1]), NULL, 0 } };
	struct narrowed enter = { 0 }, leave = { 0 };
	struct btf *local = NULL, *target = NULL;
	char tracefs[256], path[512];
	struct diag d = { "" };
	void *blob = NULL;
	size_t size = 0;
	struct spec s;
	int err;

	fmt(tracefs, sizeof(tracefs), "%s/tracefs32", dir);
	for (size_t i = 0; i < 2; i++) {
		FILE *f;

		fmt(path, sizeof(path), "mkdir -p %s/events/%s", tracefs, events[i]);
		if (system(path))
			break;
		fmt(path, sizeof(path), "%s/events/%s/format", tracefs, events[i]);
		f = fopen(path, "w");
		if (f) {
			fputs(fmt32[i], f);
			fclose(f);
		}
	}
	err = spec_parse(&s, obj.p, obj.size, &d);
	if (err) {
		check(0, "password 32-bit: parses", "%s", d.msg);
		return;
	}
	err = btf_new(s.btf, s.btf_size, &local, &d);
	err = err ?: tp_format_btf(tracefs, events, names, 2, &blob, &size, &d);
	err = err ?: btf_new(blob, size, &target, &d);
	err = err ?: core_find_cands(target, cands, 2, &d);
	check(!err, "password 32-bit: the format files read as BTF", "%s", d.msg);
	if (!err && find_prog(&s, "sys_enter") && find_prog(&s, "sys_exit_loop")) {
		resolve_prog32(local, target, cands, find_prog(&s, "sys_enter"), &enter, &d);
		resolve_prog32(local, target, cands, find_prog(&s, "sys_exit_loop"), &leave, &d);
	}
	check(enter.args >= 3 && !enter.args_bad && !enter.other,
	      "password 32-bit: each args[n] read is a 4-byte load at 12 + 4n",
	      "%u right, %u wrong, %u other (%s)", enter.args, enter.args_bad, enter.other, d.msg);
	check(enter.longs32 == 1 && enter.poisoned == 1 && enter.long_size == 1,
	      "password 32-bit: sys_enter's id: the 4-byte flavor loaded, the 8-byte load poisoned",
	      "%u %u %u", enter.longs32, enter.poisoned, enter.long_size);
	check(leave.longs32 >= 2 && leave.poisoned == leave.longs32 &&
		      leave.long_size > leave.longs32 && !leave.other,
	      "password 32-bit: sys_exit's id and ret through the flavor, iovecs of 4-byte longs",
	      "%u %u %u %u (%s)", leave.longs32, leave.poisoned, leave.long_size, leave.other,
	      d.msg);
	core_cands_free(cands, 2);
	btf_free(target);
	btf_free(local);
	free(blob);
	spec_free(&s);
}

int main(int argc, char **argv)
{
	struct buf exit_obj, globals, password, core;

	if (argc != 2) {
		fprintf(stderr, "usage: test_parse BUILD_DIR\n");
		return 2;
	}
	exit_obj = read_file(argv[1], "exit.bpf.o");
	globals = read_file(argv[1], "fixtures/globals.bpf.o");
	password = read_file(argv[1], "password.bpf.o");
	core = read_file(argv[1], "fixtures/core.bpf.o");

	test_exit_object(exit_obj);
	test_globals_object(globals);
	test_password_object(password);
	test_broken(exit_obj);
	test_byte_flips(exit_obj);
	test_refused(argv[1]);
	test_externs(argv[1]);
	test_core(argv[1]);
	test_globals_ext(globals);
	test_global_func(argv[1]);
	test_broken_ext(globals, core);
	test_btf_ext_good(globals, core);
	test_btf_ext_longer(globals);
	test_btf_ext_broken(globals);
	test_btf_sanitize();
	test_fmt();
	test_packed(argv[1], "exit.bpf.o", exit_obj);
	test_packed(argv[1], "password.bpf.o", password);
	test_ep_labels(argv[1], exit_obj);
	test_elf_target(argv[1]);
	test_sec_rows();
	test_foreign(argv[1]);
	test_core_type_matches();
	test_split_btf();
	test_core_steps();
	test_password_32bit(argv[1], password);

	free(exit_obj.p);
	free(globals.p);
	free(password.p);
	free(core.p);
	return failures ? 1 : 0;
}

/*
 * Kernel types made here for the tests below, as a kernel would give them;
 * their strings are local_strs's, offsets: int 1, task_struct_lite 5, pid
 * 22, tgid 26, and the access strings "0" 31 and "0:1" 33.
 */
static const char local_strs[] = "\0int\0task_struct_lite\0pid\0tgid\0"
				 "0\0"
				 "0:1";

/* r against the kernel types given, their candidates for task_struct_lite. */
static int resolve_in(const struct btf *local, const struct bpf_core_relo *r, const __u32 *types,
		      __u32 types_len, struct core_res *res, struct diag *d)
{
	size_t size;
	void *data = make_btf(types, types_len, local_strs, sizeof(local_strs), &size);
	struct core_cands c = { .name = "task_struct_lite", .len = 16 };
	struct btf *target = NULL;
	int err = btf_new(data, size, &target, d);

	if (!err)
		err = core_find_cands(target, &c, 1, d);
	if (!err)
		err = core_resolve(local, target, &c, r, res, d);
	core_cands_free(&c, 1);
	btf_free(target);
	free(data);
	return err;
}

/*
 * TYPE_MATCHES (bpf_core_type_matches(), relocation kind
 * BPF_CORE_TYPE_MATCHES), which clang 14 cannot emit: stricter than TYPE
 * EXISTS (relo_core.c, bpf_core_types_match), each local member must be in
 * the kernel's struct by name with a matching type.  The local type is
 * struct task_struct_lite { int pid; int tgid; }.
 */
static void test_core_type_matches(void)
{
	static const __u32 local_types[] = {
		1,  T(BTF_KIND_INT, 0, 0),
		4,  BTF_INT_SIGNED << 24 | 32, /* [1] int */
		5,  T(BTF_KIND_STRUCT, 0, 2),
		8, /* [2] */
		22, 1,
		0,  26,
		1,  32,
	};
	/* The same members, at other offsets: matches. */
	static const __u32 moved[] = {
		1,  T(BTF_KIND_INT, 0, 0),
		4,  BTF_INT_SIGNED << 24 | 32,
		5,  T(BTF_KIND_STRUCT, 0, 2),
		16, 22,
		1,  0,
		26, 1,
		64,
	};
	/* tgid a pointer: the type exists, but does not match. */
	static const __u32 ptr[] = {
		1,
		T(BTF_KIND_INT, 0, 0),
		4,
		BTF_INT_SIGNED << 24 | 32,
		5,
		T(BTF_KIND_STRUCT, 0, 2),
		16,
		22,
		1,
		0,
		26,
		3,
		64,
		0,
		T(BTF_KIND_PTR, 0, 0),
		1, /* [3] int * */
	};
	/* No tgid: exists, does not match. */
	static const __u32 fewer[] = {
		1, T(BTF_KIND_INT, 0, 0),
		4, BTF_INT_SIGNED << 24 | 32,
		5, T(BTF_KIND_STRUCT, 0, 1),
		8, 22,
		1, 0,
	};
	/* No task_struct_lite at all. */
	static const __u32 none[] = {
		1,
		T(BTF_KIND_INT, 0, 0),
		4,
		BTF_INT_SIGNED << 24 | 32,
	};
	static const struct {
		const char *what;
		const __u32 *types;
		__u32 len;
		__u64 exists, matches;
	} cases[] = {
		{ "the same members moved", moved, sizeof(moved), 1, 1 },
		{ "tgid a pointer", ptr, sizeof(ptr), 1, 0 },
		{ "no tgid", fewer, sizeof(fewer), 1, 0 },
		{ "no such struct", none, sizeof(none), 0, 0 },
	};
	struct bpf_core_relo r = { .insn_off = 0, .type_id = 2, .access_str_off = 31 };
	struct diag d = { "" };
	struct btf *local = NULL;
	size_t size;
	void *data =
		make_btf(local_types, sizeof(local_types), local_strs, sizeof(local_strs), &size);

	if (btf_new(data, size, &local, &d)) {
		check(0, "core: type matches: the local BTF", "%s", d.msg);
		free(data);
		return;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bpf_insn insns[2] = { { .code = BPF_LD | BPF_IMM | BPF_DW, .imm = 1 } };
		struct core_res ex, m;
		char name[128];
		int err;

		r.kind = BPF_CORE_TYPE_EXISTS;
		err = resolve_in(local, &r, cases[i].types, cases[i].len, &ex, &d);
		r.kind = BPF_CORE_TYPE_MATCHES;
		err = err ?: resolve_in(local, &r, cases[i].types, cases[i].len, &m, &d);
		snprintf(name, sizeof(name), "core: type matches: %s: exists %llu, matches %llu",
			 cases[i].what, (unsigned long long)cases[i].exists,
			 (unsigned long long)cases[i].matches);
		check(!err && !ex.poison && !m.poison && ex.orig == 1 && m.orig == 1 &&
			      ex.val == cases[i].exists && m.val == cases[i].matches,
		      name, "%d %s: exists %llu, matches %llu", err, d.msg,
		      (unsigned long long)ex.val, (unsigned long long)m.val);
		/* clang's ld_imm64 of 1, patched to the answer. */
		snprintf(name, sizeof(name), "core: type matches: %s: ld_imm64 1 -> %llu",
			 cases[i].what, (unsigned long long)cases[i].matches);
		err = err ?: core_patch(insns, 2, &r, &m, &d);
		check(!err && insns[0].imm == (__s32)cases[i].matches && insns[1].imm == 0, name,
		      "%d %s: imm %d", err, d.msg, insns[0].imm);
	}
	btf_free(local);
	free(data);
}

/*
 * A module's BTF (/sys/kernel/btf/<module>) is split BTF on top of
 * vmlinux's: its type ids go on after vmlinux's last, its string offsets
 * after the end of vmlinux's strings, and its types refer to vmlinux's by
 * their ids (kernel/bpf/btf.c, btf_parse_module).  Here vmlinux is [1] int
 * with strings "\0int\0pid", and the module adds
 * [2] struct task_struct_lite { int pid; int tgid; } of 16 bytes, tgid at 8,
 * and [3] a pointer to it, its own strings "task_struct_lite\0tgid".
 */
static void test_split_btf(void)
{
	static const char base_strs[] = "\0int\0pid";		 /* int 1, pid 5; 9 bytes */
	static const char mod_strs[] = "task_struct_lite\0tgid"; /* 9 + 0, 9 + 17 */
	static const __u32 base_types[] = {
		1,
		T(BTF_KIND_INT, 0, 0),
		4,
		BTF_INT_SIGNED << 24 | 32,
	};
	static const __u32 mod_types[] = {
		9, T(BTF_KIND_STRUCT, 0, 2), 16, 5, 1, 0, 26, 1, 64, /* [2] */
		0, T(BTF_KIND_PTR, 0, 0),    2,			     /* [3] */
	};
	/* A member whose type is past the module's last: read as none. */
	static const __u32 mod_bad[] = {
		9, T(BTF_KIND_STRUCT, 0, 2), 16, 5, 1, 0, 26, 99, 64,
	};
	static const __u32 local_types[] = {
		1,  T(BTF_KIND_INT, 0, 0),
		4,  BTF_INT_SIGNED << 24 | 32,
		5,  T(BTF_KIND_STRUCT, 0, 2),
		8,  22,
		1,  0,
		26, 1,
		32,
	};
	struct bpf_core_relo r = { .insn_off = 0, .type_id = 2, .access_str_off = 33 };
	struct core_cands c[2] = { { .name = "task_struct_lite", .len = 16 },
				   { .name = "int", .len = 3 } };
	struct btf *base = NULL, *mod = NULL, *local = NULL;
	struct diag d = { "" };
	struct core_res res;
	size_t bsize, msize, lsize, xsize;
	void *bdata =
		make_btf(base_types, sizeof(base_types), base_strs, sizeof(base_strs), &bsize);
	void *mdata = make_btf(mod_types, sizeof(mod_types), mod_strs, sizeof(mod_strs), &msize);
	void *xdata = make_btf(mod_bad, sizeof(mod_bad), mod_strs, sizeof(mod_strs), &xsize);
	void *ldata =
		make_btf(local_types, sizeof(local_types), local_strs, sizeof(local_strs), &lsize);
	const char *s;
	int err;

	err = btf_new(bdata, bsize, &base, &d) ?: btf_new(ldata, lsize, &local, &d)
						      ?: btf_new_split(mdata, msize, base, &mod, &d);
	check(!err, "split btf: a module's BTF on top of vmlinux's is read", "%s", d.msg);
	if (err)
		goto out;
	check(btf_start_id(mod) == 2 && btf_type_cnt(mod) == 3 && btf_start_id(base) == 1,
	      "split btf: its ids go on after vmlinux's (2..3)", "start %u, count %u",
	      btf_start_id(mod), btf_type_cnt(mod));
	s = btf_name(mod, 9);
	check(s && !strcmp(s, "task_struct_lite"),
	      "split btf: string offset 9 is the module's first string", "%s", s ? s : "NULL");
	s = btf_name(mod, 5);
	check(s && !strcmp(s, "pid"), "split btf: string offset 5 is vmlinux's", "%s",
	      s ? s : "NULL");
	check(!btf_name(mod, 9 + sizeof(mod_strs)), "split btf: an offset past both is none", "%s",
	      btf_name(mod, 9 + sizeof(mod_strs)));
	check(btf_kind(mod, 1) == BTF_KIND_INT && btf_type_size(mod, 2) == 16 &&
		      btf_kind(mod, 3) == BTF_KIND_PTR && btf_kind(mod, 4) == -1,
	      "split btf: id 1 is vmlinux's int, 2 the module's struct, 4 none", "%d %lld %d %d",
	      btf_kind(mod, 1), btf_type_size(mod, 2), btf_kind(mod, 3), btf_kind(mod, 4));
	err = core_find_cands(mod, c, 2, &d);
	check(!err && c[0].cnt == 1 && c[0].ids[0] == 2 && c[1].cnt == 0,
	      "split btf: candidates are the module's own types, not vmlinux's", "%zu %zu",
	      c[0].cnt, c[1].cnt);
	r.kind = BPF_CORE_FIELD_BYTE_OFFSET;
	err = err ?: core_resolve(local, mod, &c[0], &r, &res, &d);
	check(!err && !res.poison && res.orig == 4 && res.val == 8,
	      "split btf: a CO-RE relocation resolved in a module's type (tgid 4 -> 8)",
	      "%d %s %llu -> %llu", err, d.msg, (unsigned long long)res.orig,
	      (unsigned long long)res.val);
	core_cands_free(c, 2);
	btf_free(mod);
	mod = NULL;

	err = btf_new_split(xdata, xsize, base, &mod, &d) ?: core_find_cands(mod, c, 1, &d);
	err = err ?: core_resolve(local, mod, &c[0], &r, &res, &d);
	check(!err && res.poison, "split btf: a member of a type id past the module's: poison",
	      "%d %s", err, d.msg);
	core_cands_free(c, 2);
	btf_free(mod);
	mod = NULL;

	((struct btf_header *)xdata)->str_len = 0x7fffffff;
	err = btf_new_split(xdata, xsize, base, &mod, &d);
	check(err == -EINVAL && !strcmp(d.msg, "btf: string section out of range"),
	      "split btf: a module's BTF claiming 2 GB of strings is refused", "%s", d.msg);
out:
	btf_free(mod);
	btf_free(local);
	btf_free(base);
	free(bdata);
	free(mdata);
	free(xdata);
	free(ldata);
}

/*
 * A hostile kernel BTF whose walk branches: task_struct_lite's 64 members
 * all anonymous and all task_struct_lite itself.  A depth limit alone
 * allows 64^32 steps; the resolver stops after a budget, in one line.
 */
static void test_core_steps(void)
{
	static const __u32 local_types[] = {
		1,  T(BTF_KIND_INT, 0, 0),
		4,  BTF_INT_SIGNED << 24 | 32,
		5,  T(BTF_KIND_STRUCT, 0, 2),
		8,  22,
		1,  0,
		26, 1,
		32,
	};
	__u32 kernel[2 * 4 + 3 + 64 * 3] = {
		1, T(BTF_KIND_INT, 0, 0),     4, BTF_INT_SIGNED << 24 | 32,
		5, T(BTF_KIND_STRUCT, 0, 64), 8,
	};
	struct bpf_core_relo r = { .insn_off = 0, .type_id = 2, .access_str_off = 33 };
	struct diag d = { "" };
	struct btf *local = NULL;
	struct core_res res;
	size_t size;
	void *data =
		make_btf(local_types, sizeof(local_types), local_strs, sizeof(local_strs), &size);
	int err;

	for (int i = 0; i < 64; i++) {
		kernel[7 + 3 * i] = 0;	   /* anonymous */
		kernel[7 + 3 * i + 1] = 2; /* of type task_struct_lite */
		kernel[7 + 3 * i + 2] = 0;
	}
	err = btf_new(data, size, &local, &d);
	r.kind = BPF_CORE_FIELD_BYTE_OFFSET;
	err = err ?: resolve_in(local, &r, kernel, (7 + 64 * 3) * 4, &res, &d);
	check(err == -ELOOP && strstr(d.msg, "task_struct_lite.tgid: more than") &&
		      strstr(d.msg, "steps through the types (a loop?)"),
	      "core: anonymous members that are their own struct: stopped, one line", "%d %s", err,
	      d.msg);
	btf_free(local);
	free(data);
}
