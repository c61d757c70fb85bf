// SPDX-License-Identifier: MIT
/*
 * Reads a BPF object, as clang -target bpf writes it, into a struct spec.
 *
 * The object is a relocatable ELF file (ET_REL, EM_BPF).  Its sections are a
 * table of contents that libbpf established and clang follows:
 *
 *	tracepoint/<cat>/<name>	one or more programs (global functions)
 *	.text			subprograms: static functions clang did not inline
 *	.rel<section>		where code refers to a map, global data or .text
 *	.maps			BTF-defined maps; their layout is described in .BTF
 *	.rodata*, .data, .bss	global variables; .rodata.str1.1 holds literals
 *	license			the licence string the kernel checks for GPL helpers
 *
 * Parsing is pure: every offset, size and index is checked against what
 * contains it, nothing is asked of the kernel, and the same bytes give the
 * same spec on any machine.  Steps, in order: header, sections, symbols,
 * licence, maps (BTF, then data sections), global variables, programs; each
 * program is then linked with its subprograms and relocations (link.c).
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_ext.h"
#include "elf_link.h"
#include "sections.h"
#include "spec.h"
#include "swap.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#define DATA_SECTION_MAX (16u << 20)

static int parse_header(struct elf *e, struct diag *d)
{
	const Elf64_Ehdr *eh = (const void *)e->obj;

	if ((uintptr_t)e->obj % 8)
		return diag(d, -EINVAL, "elf: object is not 8-byte aligned in memory");
	if (e->size < EI_NIDENT || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return diag(d, -EINVAL, "elf: not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return diag(d, -EINVAL, "elf: not a 64-bit ELF object");
	if (e->size < sizeof(*eh))
		return diag(d, -EINVAL, "elf: truncated ELF header");
	if (eh->e_ident[EI_DATA] !=
	    (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB))
		return diag(d, -EINVAL, "elf: byte order differs from this machine's");
	if (eh->e_type != ET_REL)
		return diag(d, -EINVAL, "elf: not a relocatable object (e_type %u)", eh->e_type);
	/* LLVM before 4.0 left e_machine as EM_NONE. */
	if (eh->e_machine != EM_BPF && eh->e_machine != EM_NONE)
		return diag(d, -EINVAL, "elf: not a BPF object (e_machine %u)", eh->e_machine);
	if (eh->e_shentsize != sizeof(Elf64_Shdr))
		return diag(d, -EINVAL, "elf: bad section header size %u", eh->e_shentsize);
	if (eh->e_shnum == 0 || eh->e_shnum >= SHN_LORESERVE)
		return diag(d, -EINVAL, "elf: unsupported section count %u", eh->e_shnum);
	if (eh->e_shoff % 8 ||
	    !in_range(eh->e_shoff, (__u64)eh->e_shnum * sizeof(Elf64_Shdr), e->size))
		return diag(d, -EINVAL, "elf: section headers out of range");
	if (eh->e_shstrndx >= eh->e_shnum)
		return diag(d, -EINVAL, "elf: section name table index %u out of range",
			    eh->e_shstrndx);
	return 0;
}

static enum sec_kind classify(const char *name, const Elf64_Shdr *sh)
{
	if (sh->sh_type == SHT_REL)
		return SEC_RELO;
	if (sh->sh_type == SHT_PROGBITS && (sh->sh_flags & SHF_EXECINSTR))
		return SEC_CODE;
	if (!strcmp(name, ".maps"))
		return SEC_MAPS;
	if ((sh->sh_type == SHT_PROGBITS || sh->sh_type == SHT_NOBITS) &&
	    (sh->sh_flags & SHF_ALLOC) &&
	    (has_prefix(name, ".rodata") || has_prefix(name, ".data") || has_prefix(name, ".bss")))
		return SEC_DATA;
	return SEC_OTHER;
}

static int parse_sections(struct elf *e, struct diag *d)
{
	const Elf64_Ehdr *eh = (const void *)e->obj;
	const Elf64_Shdr *shdrs = (const void *)(e->obj + eh->e_shoff);
	const Elf64_Shdr *shstr = &shdrs[eh->e_shstrndx];
	const char *names;

	if (shstr->sh_type != SHT_STRTAB || !in_range(shstr->sh_offset, shstr->sh_size, e->size))
		return diag(d, -EINVAL, "elf: bad section name table");
	names = (const char *)e->obj + shstr->sh_offset;

	e->sec_cnt = eh->e_shnum;
	e->secs = calloc(e->sec_cnt, sizeof(*e->secs));
	if (!e->secs)
		return diag(d, -ENOMEM, "elf: out of memory");
	e->text = e->btf = e->btf_ext = e->maps = -1;

	for (size_t i = 1; i < e->sec_cnt; i++) {
		const Elf64_Shdr *sh = &shdrs[i];
		struct sec *s = &e->secs[i];

		s->sh = sh;
		s->map = -1;
		s->name = str_at(names, shstr->sh_size, sh->sh_name);
		if (!s->name)
			return diag(d, -EINVAL, "elf: section %zu: name out of range", i);
		if (sh->sh_type != SHT_NOBITS) {
			if (!in_range(sh->sh_offset, sh->sh_size, e->size))
				return diag(d, -EINVAL, "elf: section '%s': data out of range",
					    s->name);
			s->data = e->obj + sh->sh_offset;
		}
		s->kind = classify(s->name, sh);
		if (s->kind == SEC_CODE && (sh->sh_size % BPF_INSN_SZ || sh->sh_offset % 8))
			return diag(d, -EINVAL, "elf: section '%s': size is not whole instructions",
				    s->name);
		if (!strcmp(s->name, ".text") && s->kind == SEC_CODE)
			e->text = i;
		else if (!strcmp(s->name, ".BTF"))
			e->btf = i;
		else if (!strcmp(s->name, ".BTF.ext"))
			e->btf_ext = i;
		else if (s->kind == SEC_MAPS)
			e->maps = i;

		if (sh->sh_type == SHT_SYMTAB) {
			if (e->syms)
				return diag(d, -EINVAL, "elf: more than one symbol table");
			if (sh->sh_entsize != sizeof(Elf64_Sym) ||
			    sh->sh_size % sizeof(Elf64_Sym) || sh->sh_offset % 8)
				return diag(d, -EINVAL, "elf: bad symbol table entry size");
			if (sh->sh_link == 0 || sh->sh_link >= e->sec_cnt ||
			    shdrs[sh->sh_link].sh_type != SHT_STRTAB ||
			    !in_range(shdrs[sh->sh_link].sh_offset, shdrs[sh->sh_link].sh_size,
				      e->size))
				return diag(d, -EINVAL, "elf: bad symbol string table");
			e->syms = (const void *)s->data;
			e->sym_cnt = sh->sh_size / sizeof(Elf64_Sym);
			e->strs = (const char *)e->obj + shdrs[sh->sh_link].sh_offset;
			e->str_len = shdrs[sh->sh_link].sh_size;
		}
	}
	if (!e->syms)
		return diag(d, -EINVAL, "elf: no symbol table");

	/* Pair each code section with its relocations: .rel<name>, sh_info = target. */
	for (size_t i = 1; i < e->sec_cnt; i++) {
		const Elf64_Shdr *sh = e->secs[i].sh;
		struct sec *target;

		if (e->secs[i].kind != SEC_RELO)
			continue;
		if (sh->sh_info == 0 || sh->sh_info >= e->sec_cnt)
			return diag(d, -EINVAL, "elf: section '%s': target %u out of range",
				    e->secs[i].name, sh->sh_info);
		target = &e->secs[sh->sh_info];
		/*
		 * An address stored in a global (char *p = buf;) or in a map
		 * definition (a map-in-map's initial values) is written there
		 * by the loader: libbpf does it for .maps, nobody for data.
		 */
		if (target->kind == SEC_DATA || target->kind == SEC_MAPS)
			return diag(d, -EOPNOTSUPP,
				    "elf: section '%s': addresses stored in '%s' "
				    "cannot be relocated by mini-trace",
				    e->secs[i].name, target->name);
		if (target->kind != SEC_CODE)
			continue; /* .rel.BTF, .rel.debug_*: not needed to load */
		if (sh->sh_entsize != sizeof(Elf64_Rel) || sh->sh_size % sizeof(Elf64_Rel) ||
		    sh->sh_offset % 8)
			return diag(d, -EINVAL, "elf: section '%s': bad relocation entry size",
				    e->secs[i].name);
		if (target->rel)
			return diag(d, -EINVAL, "elf: section '%s': two relocation sections",
				    target->name);
		target->rel = sh;
	}
	return 0;
}

static int parse_license(struct elf *e, struct spec *s, struct diag *d)
{
	for (size_t i = 1; i < e->sec_cnt; i++) {
		const struct sec *sec = &e->secs[i];

		if (!sec->data)
			continue;
		if (!strcmp(sec->name, "license")) {
			if (!memchr(sec->data, '\0', sec->sh->sh_size))
				return diag(d, -EINVAL, "elf: license is not NUL-terminated");
			s->license = (const char *)sec->data;
		} else if (!strcmp(sec->name, "version")) {
			if (sec->sh->sh_size != sizeof(__u32))
				return diag(d, -EINVAL, "elf: bad version section size");
			memcpy(&s->kern_version, sec->data, sizeof(__u32));
		}
	}
	if (!s->license)
		return diag(d, -EINVAL, "elf: no license section");
	return 0;
}

/*
 * An extern is a symbol the object uses but does not define: clang leaves it
 * undefined and describes it in .BTF, in the DATASEC ".ksyms" for __ksym (a
 * kernel variable's address or a kernel function, which libbpf looks up in
 * the kernel's BTF or /proc/kallsyms) or ".kconfig" for __kconfig (a CONFIG_
 * value or LINUX_KERNEL_VERSION, which libbpf reads from the running kernel
 * into a map of its own); tools/lib/bpf/libbpf.c, bpf_object__collect_externs.
 * Those two are resolved at load (load/core_load.c); any other is refused.
 */
static int refuse_externs(struct elf *e, struct diag *d)
{
	struct btf *btf = NULL;
	int err = 0;

	if (e->btf >= 0 && e->secs[e->btf].data) {
		struct diag ignored;

		btf_new(e->secs[e->btf].data, e->secs[e->btf].sh->sh_size, &btf, &ignored);
	}
	for (size_t i = 1; i < e->sym_cnt && !err; i++) {
		const Elf64_Sym *sym = &e->syms[i];
		const char *name = sym_name(e, sym), *sec;

		if (sym->st_shndx != SHN_UNDEF || ELF64_ST_BIND(sym->st_info) == STB_LOCAL ||
		    ELF64_ST_TYPE(sym->st_info) == STT_SECTION ||
		    ELF64_ST_TYPE(sym->st_info) == STT_FILE)
			continue;
		sec = btf ? btf_datasec_of(btf, name) : NULL;
		if (!sec || (strcmp(sec, ".ksyms") && strcmp(sec, ".kconfig")))
			err = diag(d, -EOPNOTSUPP,
				   "elf: extern '%s': mini-trace cannot resolve externs "
				   "other than __ksym and __kconfig",
				   name);
	}
	btf_free(btf);
	return err;
}

/* Which extern each one is, from the object's .BTF as clang wrote it. */
static int classify_externs(struct elf *e, struct spec *s, struct diag *d)
{
	struct btf *btf = NULL;
	int err = 0;

	for (size_t i = 0; i < s->prog_cnt && !err; i++) {
		for (size_t j = 0; j < s->progs[i].extern_cnt && !err; j++) {
			struct spec_extern *x = &s->progs[i].externs[j];
			const char *sec;

			if (!btf &&
			    (e->btf < 0 || !e->secs[e->btf].data ||
			     btf_new(e->secs[e->btf].data, e->secs[e->btf].sh->sh_size, &btf, d)))
				return diag(d, -EINVAL, "elf: extern '%s' without .BTF", x->name);
			sec = btf_extern_of(btf, x->name, &x->type);
			if (sec && !strcmp(sec, ".ksyms"))
				x->kind = SPEC_EXTERN_KSYM;
			else if (sec && !strcmp(sec, ".kconfig"))
				x->kind = SPEC_EXTERN_KCONFIG;
			else
				err = diag(d, -EOPNOTSUPP,
					   "elf: extern '%s': not __ksym or __kconfig", x->name);
		}
	}
	btf_free(btf);
	return err;
}

/* Does every record of sec lie inside the section it names, which holds code? */
static int check_ext_sec(const struct elf *e, const struct btf_ext_sec *x, struct diag *d)
{
	const struct sec *sec = NULL;
	const char *what = NULL;
	__u32 off = 0;

	for (size_t i = 1; i < e->sec_cnt && !sec; i++)
		if (e->secs[i].kind == SEC_CODE && !strcmp(e->secs[i].name, x->name))
			sec = &e->secs[i];
	if (!sec)
		return diag(d, -EINVAL, "btf: .BTF.ext describes '%s', which is not a code section",
			    x->name);
	for (size_t i = 0; i < x->func_cnt && !what; i++)
		if (x->funcs[i].insn_off >= sec->sh->sh_size)
			what = "func_info", off = x->funcs[i].insn_off;
	for (size_t i = 0; i < x->line_cnt && !what; i++)
		if (x->lines[i].insn_off >= sec->sh->sh_size)
			what = "line_info", off = x->lines[i].insn_off;
	for (size_t i = 0; i < x->relo_cnt && !what; i++)
		if (x->relos[i].insn_off >= sec->sh->sh_size)
			what = "core_relo", off = x->relos[i].insn_off;
	if (what)
		return diag(d, -EINVAL,
			    "btf: .BTF.ext %s of '%s': insn_off %u is outside it (%llu bytes)",
			    what, x->name, off, (unsigned long long)sec->sh->sh_size);
	return 0;
}

/*
 * .BTF.ext (btf_ext.c): per code section, the function and line records
 * that go to the kernel with each program, and CO-RE relocations.  Its
 * strings and type ids point into .BTF, so it needs one.
 */
static int parse_btf_ext(struct elf *e, struct diag *d)
{
	const struct sec *ext, *btf;
	struct btf *b;
	int err;

	if (e->btf_ext < 0)
		return 0;
	ext = &e->secs[e->btf_ext];
	if (e->btf < 0 || !e->secs[e->btf].data)
		return diag(d, -EINVAL, "elf: .BTF.ext without .BTF to describe it");
	if (!ext->data)
		return diag(d, -EINVAL, "elf: .BTF.ext has no data");
	btf = &e->secs[e->btf];
	err = btf_new(btf->data, btf->sh->sh_size, &b, d);
	if (err)
		return err;
	err = btf_ext_parse(&e->ext, ext->data, ext->sh->sh_size, b, d);
	btf_free(b);
	for (size_t i = 0; !err && i < e->ext.sec_cnt; i++)
		err = check_ext_sec(e, &e->ext.secs[i], d);
	return err;
}

static int sec_index(const struct elf *e, const char *name)
{
	for (size_t i = 1; i < e->sec_cnt; i++)
		if (!strcmp(e->secs[i].name, name))
			return i;
	return -1;
}

static const Elf64_Sym *find_symbol(const struct elf *e, unsigned int shndx, const char *name);

static int layout_sec_size(void *ctx, const char *sec, __u32 *val)
{
	const struct elf *e = ctx;
	int i = sec_index(e, sec);

	if (i < 0 || e->secs[i].sh->sh_size > UINT32_MAX)
		return -ENOENT;
	*val = e->secs[i].sh->sh_size;
	return 0;
}

static int layout_var_off(void *ctx, const char *sec, const char *var, __u32 *val)
{
	const struct elf *e = ctx;
	int i = sec_index(e, sec);
	const Elf64_Sym *sym = i < 0 ? NULL : find_symbol(e, i, var);

	if (!sym || sym->st_value > UINT32_MAX)
		return -ENOENT;
	*val = sym->st_value;
	return 0;
}

/* A copy of .BTF for the kernel, its DATASECs laid out as the ELF is (btf.c). */
static int parse_btf_copy(struct elf *e, struct spec *s, struct diag *d)
{
	const struct sec *btf;
	struct btf_layout layout = {
		.sec_size = layout_sec_size,
		.var_off = layout_var_off,
		.ctx = e,
	};

	if (e->btf < 0 || !e->secs[e->btf].data)
		return 0;
	btf = &e->secs[e->btf];
	s->btf = malloc(btf->sh->sh_size ?: 1);
	if (!s->btf)
		return diag(d, -ENOMEM, "elf: out of memory");
	s->btf_size = btf->sh->sh_size;
	memcpy(s->btf, btf->data, s->btf_size);
	return btf_fix_externs(s->btf, s->btf_size, d)
		       ?: btf_fixup_datasecs(s->btf, s->btf_size, &layout, d);
}

static struct spec_map *add_map(struct spec *s, size_t cap)
{
	if (s->map_cnt == cap)
		return NULL;
	return memset(&s->maps[s->map_cnt++], 0, sizeof(*s->maps));
}

/* The symbol naming a .maps variable gives the offset relocations use. */
static const Elf64_Sym *find_symbol(const struct elf *e, unsigned int shndx, const char *name)
{
	for (size_t i = 1; i < e->sym_cnt; i++)
		if (e->syms[i].st_shndx == shndx && !strcmp(sym_name(e, &e->syms[i]), name))
			return &e->syms[i];
	return NULL;
}

static int parse_btf_maps(struct elf *e, struct spec *s, size_t cap, struct diag *d)
{
	const struct sec *maps = &e->secs[e->maps];
	const struct sec *btf;
	struct btf_map_def *defs;
	size_t cnt;
	int err;

	if (e->btf < 0)
		return diag(d, -EINVAL, "elf: .maps without .BTF to describe it");
	btf = &e->secs[e->btf];
	if (!btf->data)
		return diag(d, -EINVAL, "elf: .BTF has no data");
	err = btf_parse_maps(btf->data, btf->sh->sh_size, ".maps", &defs, &cnt, d);
	if (err)
		return err;
	for (size_t i = 0; i < cnt; i++) {
		const Elf64_Sym *sym = find_symbol(e, e->maps, defs[i].name);
		struct spec_map *m = add_map(s, cap);

		if (!m) {
			err = diag(d, -EINVAL, "elf: more maps in .BTF than symbols");
			break;
		}
		if (!sym || !in_range(sym->st_value, 1, maps->sh->sh_size)) {
			err = diag(d, -EINVAL, "elf: map '%s': no symbol in .maps", defs[i].name);
			break;
		}
		for (size_t j = 0; j < s->map_cnt - 1; j++) {
			if (s->maps[j].sec_off == sym->st_value ||
			    !strcmp(s->maps[j].name, defs[i].name)) {
				err = diag(d, -EINVAL, "elf: map '%s' is defined twice",
					   defs[i].name);
				break;
			}
		}
		if (err)
			break;
		m->name = defs[i].name;
		m->kind = SPEC_MAP_BTF;
		m->type = defs[i].type;
		m->key_size = defs[i].key_size;
		m->value_size = defs[i].value_size;
		m->max_entries = defs[i].max_entries;
		m->map_flags = defs[i].map_flags;
		m->btf_key_type_id = defs[i].key_type;
		m->btf_value_type_id = defs[i].value_type;
		m->sec_idx = e->maps;
		m->sec_off = sym->st_value;
	}
	free(defs);
	return err;
}

/*
 * Each global-data section becomes a single-element array map holding the
 * section's bytes; code reaches a variable as (map value address + offset).
 */
static int parse_data_maps(struct elf *e, struct spec *s, size_t cap, struct diag *d)
{
	struct btf *btf = NULL;
	struct diag ignored;
	int err = 0;

	/* Without a readable .BTF the maps are just bytes: no type ids. */
	if (e->btf >= 0 && e->secs[e->btf].data)
		btf_new(e->secs[e->btf].data, e->secs[e->btf].sh->sh_size, &btf, &ignored);
	for (size_t i = 1; i < e->sec_cnt && !err; i++) {
		struct sec *sec = &e->secs[i];
		struct spec_map *m;

		if (sec->kind != SEC_DATA || sec->sh->sh_size == 0)
			continue;
		/* An array map's value is one kmalloc: a few MiB at most. */
		if (sec->sh->sh_size > DATA_SECTION_MAX) {
			err = diag(d, -E2BIG, "elf: section '%s' is %llu bytes, more than %u",
				   sec->name, (unsigned long long)sec->sh->sh_size,
				   DATA_SECTION_MAX);
			break;
		}
		m = add_map(s, cap);
		if (!m) {
			err = diag(d, -EINVAL, "elf: more maps than sections and symbols");
			break;
		}
		m->name = sec->name;
		m->kind = SPEC_MAP_DATA;
		m->type = BPF_MAP_TYPE_ARRAY;
		m->key_size = sizeof(__u32);
		m->value_size = sec->sh->sh_size;
		m->max_entries = 1;
		m->readonly = has_prefix(sec->name, ".rodata");
		/*
		 * As libbpf does (bpf_map_find_btf_info): no key type, the
		 * section's DATASEC as the value; the kernel allows a keyless
		 * one-entry array for exactly this (kernel/bpf/arraymap.c,
		 * array_map_check_btf).  A section without a DATASEC (string
		 * literals in .rodata.str1.1) has none.
		 */
		m->btf_value_type_id = btf ? btf_datasec_id(btf, sec->name) : 0;
		m->sec_idx = i;
		m->data = calloc(1, m->value_size);
		if (!m->data) {
			err = diag(d, -ENOMEM, "elf: out of memory");
			break;
		}
		if (sec->data) /* .bss is SHT_NOBITS: zeroes */
			memcpy(m->data, sec->data, m->value_size);
		sec->map = s->map_cnt - 1;
	}
	btf_free(btf);
	return err;
}

static int parse_maps(struct elf *e, struct spec *s, struct diag *d)
{
	size_t cap = e->sec_cnt;
	int err;

	/* At most one map per .maps symbol and one per section. */
	for (size_t i = 1; i < e->sym_cnt; i++)
		cap += e->maps >= 0 && e->syms[i].st_shndx == e->maps;
	s->maps = calloc(cap, sizeof(*s->maps));
	if (!s->maps)
		return diag(d, -ENOMEM, "elf: out of memory");
	if (e->maps >= 0) {
		err = parse_btf_maps(e, s, cap, d);
		if (err)
			return err;
	}
	return parse_data_maps(e, s, cap, d);
}

/* Named objects in data sections: what --comm and --file patch. */
static int parse_vars(struct elf *e, struct spec *s, struct diag *d)
{
	s->vars = calloc(e->sym_cnt, sizeof(*s->vars));
	if (!s->vars)
		return diag(d, -ENOMEM, "elf: out of memory");
	for (size_t i = 1; i < e->sym_cnt; i++) {
		const Elf64_Sym *sym = &e->syms[i];
		const struct sec *sec;

		if (ELF64_ST_TYPE(sym->st_info) != STT_OBJECT || sym->st_shndx >= e->sec_cnt)
			continue;
		sec = &e->secs[sym->st_shndx];
		if (sec->kind != SEC_DATA || sec->map < 0)
			continue;
		if (!in_range(sym->st_value, sym->st_size, sec->sh->sh_size))
			return diag(d, -EINVAL, "elf: symbol '%s' lies outside '%s'",
				    sym_name(e, sym), sec->name);
		s->vars[s->var_cnt++] = (struct spec_var){
			.name = sym_name(e, sym),
			.map = sec->map,
			.off = sym->st_value,
			.size = sym->st_size,
		};
	}
	return 0;
}

static void classify_prog(struct spec_prog *p)
{
	const struct sec_def *def = sec_def_find(p->sec_name);

	if (!def) {
		p->attach = SPEC_ATTACH_NONE;
		return;
	}
	p->prog_type = def->prog_type;
	p->attach = def->attach;
	p->expected_attach_type = def->expected_attach_type;
	p->target = p->sec_name + strlen(def->prefix);
}

/* A program is a global function in a code section other than .text. */
static int parse_progs(struct elf *e, struct spec *s, struct diag *d)
{
	s->progs = calloc(e->sym_cnt, sizeof(*s->progs));
	if (!s->progs)
		return diag(d, -ENOMEM, "elf: out of memory");
	for (size_t i = 1; i < e->sym_cnt; i++) {
		const Elf64_Sym *sym = &e->syms[i];
		struct spec_prog *p;
		int err;

		if (ELF64_ST_TYPE(sym->st_info) != STT_FUNC)
			continue;
		/*
		 * A static or weak function of a program section would be left
		 * out: refused, as libbpf refuses a static one ("is static and
		 * not supported").
		 */
		if (ELF64_ST_BIND(sym->st_info) != STB_GLOBAL) {
			if (sym->st_shndx != SHN_UNDEF && sym->st_shndx < e->sec_cnt &&
			    (int)sym->st_shndx != e->text &&
			    e->secs[sym->st_shndx].kind == SEC_CODE)
				return diag(d, -EOPNOTSUPP,
					    "elf: function '%s' in section '%s' is %s: mini-trace "
					    "loads only global functions as programs",
					    sym_name(e, sym), e->secs[sym->st_shndx].name,
					    ELF64_ST_BIND(sym->st_info) == STB_WEAK ? "weak"
										    : "static");
			continue;
		}
		if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= e->sec_cnt)
			return diag(d, -EINVAL,
				    "elf: function '%s' has section index %u out of range",
				    sym_name(e, sym), sym->st_shndx);
		if ((int)sym->st_shndx == e->text || e->secs[sym->st_shndx].kind != SEC_CODE)
			continue;
		p = &s->progs[s->prog_cnt++];
		p->name = sym_name(e, sym);
		p->sec_name = e->secs[sym->st_shndx].name;
		classify_prog(p);
		err = link_prog(e, s, p, sym->st_shndx, sym->st_value, d);
		if (err)
			return err;
	}
	if (!s->prog_cnt)
		return diag(d, -EINVAL, "elf: no programs");
	/* Code the loader would silently leave out: a section of static functions only. */
	for (size_t i = 1; i < e->sec_cnt; i++) {
		bool used = false;

		if (e->secs[i].kind != SEC_CODE || (int)i == e->text || !e->secs[i].sh->sh_size)
			continue;
		for (size_t j = 0; j < s->prog_cnt && !used; j++)
			used = s->progs[j].sec_name == e->secs[i].name;
		if (!used)
			return diag(d, -EOPNOTSUPP,
				    "elf: section '%s' holds code but no program "
				    "(a global function) for mini-trace to load",
				    e->secs[i].name);
	}
	return 0;
}

/*
 * A section the table (sections.c) has no row for, or a row this build
 * cannot attach: the object is one mini-trace cannot load (status 3),
 * whatever the kernel, refused before anything is created in it.
 */
static int refuse_unattachable(const struct spec *s, struct diag *d)
{
	for (size_t i = 0; i < s->prog_cnt; i++) {
		const struct spec_prog *p = &s->progs[i];

		if (p->attach == SPEC_ATTACH_NONE)
			return diag(d, -EOPNOTSUPP,
				    "prog '%s': section '%s' is not a type mini-trace can attach",
				    p->name, p->sec_name);
	}
	return 0;
}

int spec_parse(struct spec *s, const void *obj, size_t size, struct diag *d)
{
	struct elf e = { .obj = obj, .size = size };
	int err;

	memset(s, 0, sizeof(*s));
	/* An object of the other byte order is read from a copy in ours (swap.c). */
	if (elf_foreign(obj, size) && !(e.obj = s->swapped = elf_swap(obj, size)))
		return diag(d, -ENOMEM, "elf: out of memory");
	err = parse_header(&e, d);
	if (!err)
		err = parse_sections(&e, d);
	if (!err)
		err = parse_license(&e, s, d);
	if (!err)
		err = refuse_externs(&e, d);
	if (!err)
		err = parse_maps(&e, s, d);
	if (!err)
		err = parse_vars(&e, s, d);
	if (!err)
		err = parse_btf_ext(&e, d);
	if (!err)
		err = parse_btf_copy(&e, s, d);
	if (!err)
		err = parse_progs(&e, s, d);
	if (!err)
		err = classify_externs(&e, s, d);
	if (!err)
		err = refuse_unattachable(s, d);
	btf_ext_free(&e.ext);
	free(e.secs);
	if (err)
		spec_free(s);
	return err;
}

void spec_free(struct spec *s)
{
	for (size_t i = 0; s->progs && i < s->prog_cnt; i++) {
		free(s->progs[i].insns);
		free(s->progs[i].relocs);
		free(s->progs[i].func_info);
		free(s->progs[i].line_info);
		free(s->progs[i].core_relos);
		free(s->progs[i].externs);
	}
	for (size_t i = 0; s->maps && i < s->map_cnt; i++)
		free(s->maps[i].data);
	free(s->progs);
	free(s->btf);
	free(s->maps);
	free(s->vars);
	free(s->swapped);
	memset(s, 0, sizeof(*s));
}

/*
 * Sets a global variable's initial value, zero-filling the rest of it: how
 * "const volatile" configuration reaches a program before the verifier sees
 * it as a constant.
 */
int spec_set_var(struct spec *s, const char *name, const void *val, size_t len, struct diag *d)
{
	const struct spec_var *v = spec_find_var(s, name);

	if (!v)
		return diag(d, -ENOENT, "spec: no global variable '%s'", name);
	if (len > v->size)
		return diag(d, -E2BIG, "spec: value for '%s' is %zu bytes, the variable %u", name,
			    len, v->size);
	memset(s->maps[v->map].data + v->off, 0, v->size);
	memcpy(s->maps[v->map].data + v->off, val, len);
	return 0;
}

const struct spec_var *spec_find_var(const struct spec *s, const char *name)
{
	for (size_t i = 0; i < s->var_cnt; i++)
		if (!strcmp(s->vars[i].name, name))
			return &s->vars[i];
	return NULL;
}

const struct spec_map *spec_find_map(const struct spec *s, const char *name)
{
	for (size_t i = 0; i < s->map_cnt; i++)
		if (!strcmp(s->maps[i].name, name))
			return &s->maps[i];
	return NULL;
}
