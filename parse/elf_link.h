/* SPDX-License-Identifier: MIT */
/*
 * What the parse step (elf.c) and the link step (link.c) share: the view
 * of an ELF object that elf.c builds, checked, and link.c reads, and the
 * link step itself.  Internal to those two files.
 */
#ifndef MINI_TRACE_ELF_LINK_H
#define MINI_TRACE_ELF_LINK_H

#include <elf.h>
#include <stdbool.h>
#include <string.h>

#include "btf_ext.h"
#include "spec.h"

#define BPF_INSN_SZ sizeof(struct bpf_insn)

enum sec_kind {
	SEC_OTHER,
	SEC_CODE, /* executable: a program section or .text */
	SEC_DATA, /* .rodata*, .data*, .bss*: becomes an array map */
	SEC_MAPS,
	SEC_RELO,
};

struct sec {
	const char *name;
	const Elf64_Shdr *sh;
	const unsigned char *data; /* NULL for SHT_NOBITS */
	enum sec_kind kind;
	int map;	       /* SEC_DATA, SEC_MAPS: first map index */
	const Elf64_Shdr *rel; /* the .rel section for SEC_CODE */
};

struct elf {
	const unsigned char *obj;
	size_t size;
	struct sec *secs;
	size_t sec_cnt;
	const Elf64_Sym *syms;
	size_t sym_cnt;
	const char *strs; /* the symbol string table */
	size_t str_len;
	int text;	    /* index of .text, or -1 */
	int btf;	    /* index of .BTF, or -1 */
	int btf_ext;	    /* index of .BTF.ext, or -1 */
	int maps;	    /* index of .maps, or -1 */
	struct btf_ext ext; /* its records, by code section */
};

/* Does [off, off + len) lie within [0, size)? */
static inline bool in_range(__u64 off, __u64 len, __u64 size)
{
	return off <= size && len <= size - off;
}

static inline const char *str_at(const char *strs, size_t len, __u64 off)
{
	if (off >= len || !memchr(strs + off, '\0', len - off))
		return NULL;
	return strs + off;
}

static inline const char *sym_name(const struct elf *e, const Elf64_Sym *sym)
{
	const char *name = str_at(e->strs, e->str_len, sym->st_name);

	return name ? name : "?";
}

/*
 * Links one program into p: the function at off in code section sec, then
 * every subprogram it calls, each copied once, with its calls pointed at
 * the copies and its map and global-data references recorded as p's
 * relocations.  Pure: no syscalls.
 */
int link_prog(struct elf *e, struct spec *s, struct spec_prog *p, unsigned int sec, __u64 off,
	      struct diag *d);

#endif
