// SPDX-License-Identifier: MIT
/*
 * One pass that turns a BPF object of the other byte order into this
 * machine's: clang -target bpfeb writes big-endian objects for big-endian
 * kernels (s390x), and -target bpfel (bpf on x86) little-endian ones.  The
 * copy it returns reads, for the parser, as if clang had written it here,
 * so elf.c, btf.c and btf_ext.c keep reading native structs.
 *
 * What is a number in the object, and is swapped:
 *
 *	ELF header, section headers	every field but e_ident
 *	SHT_SYMTAB			Elf64_Sym: name, shndx, value, size
 *	SHT_REL, SHT_RELA		Elf64_Rel(a): offset, info (and addend)
 *	code (SHF_EXECINSTR)		struct bpf_insn: off, imm, and the
 *					register nibbles: a bitfield is laid
 *					out from the top bit on a big-endian
 *					machine, so dst_reg is the high nibble
 *					there, the low one here
 *	.BTF				u16 magic, then u32s: the header and the
 *					whole type section (every btf_type and
 *					what follows it is u32s); not strings
 *	.BTF.ext			u16 magic, then u32s to its end: header,
 *					record sizes, section headers, records
 *
 * What is not: strings, the licence, and the data sections (.data,
 * .rodata, .bss), whose bytes are the target's values and stay as the
 * target lays them out: an object keeps meaning what it meant on its own
 * machine, which is why the load step refuses it (object.c).
 *
 * Nothing here is trusted: a field out of range is left as it is, and the
 * parser that reads the copy refuses it with its own message.
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/btf.h>

#include "swap.h"

#define HOST_DATA (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB)

bool elf_foreign(const void *obj, size_t size)
{
	const unsigned char *id = obj;

	return size >= EI_NIDENT && !memcmp(id, ELFMAG, SELFMAG) && id[EI_CLASS] == ELFCLASS64 &&
	       (id[EI_DATA] == ELFDATA2LSB || id[EI_DATA] == ELFDATA2MSB) &&
	       id[EI_DATA] != HOST_DATA;
}

/* In place, through memcpy: a fuzzed object puts fields anywhere. */
static void swap16(void *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	v = __builtin_bswap16(v);
	memcpy(p, &v, 2);
}

static void swap32(void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	v = __builtin_bswap32(v);
	memcpy(p, &v, 4);
}

static void swap64(void *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	v = __builtin_bswap64(v);
	memcpy(p, &v, 8);
}

/* Does [off, off + len) lie within [0, size)? */
static bool inside(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static void swap_words(unsigned char *p, size_t len)
{
	for (size_t i = 0; i + 4 <= len; i += 4)
		swap32(p + i);
}

static void swap_ehdr(Elf64_Ehdr *h)
{
	swap16(&h->e_type);
	swap16(&h->e_machine);
	swap32(&h->e_version);
	swap64(&h->e_entry);
	swap64(&h->e_phoff);
	swap64(&h->e_shoff);
	swap32(&h->e_flags);
	swap16(&h->e_ehsize);
	swap16(&h->e_phentsize);
	swap16(&h->e_phnum);
	swap16(&h->e_shentsize);
	swap16(&h->e_shnum);
	swap16(&h->e_shstrndx);
}

static void swap_shdr(Elf64_Shdr *sh)
{
	swap32(&sh->sh_name);
	swap32(&sh->sh_type);
	swap64(&sh->sh_flags);
	swap64(&sh->sh_addr);
	swap64(&sh->sh_offset);
	swap64(&sh->sh_size);
	swap32(&sh->sh_link);
	swap32(&sh->sh_info);
	swap64(&sh->sh_addralign);
	swap64(&sh->sh_entsize);
}

static void swap_syms(unsigned char *p, size_t len)
{
	for (size_t i = 0; i + sizeof(Elf64_Sym) <= len; i += sizeof(Elf64_Sym)) {
		swap32(p + i + offsetof(Elf64_Sym, st_name));
		swap16(p + i + offsetof(Elf64_Sym, st_shndx));
		swap64(p + i + offsetof(Elf64_Sym, st_value));
		swap64(p + i + offsetof(Elf64_Sym, st_size));
	}
}

/* Elf64_Rel and Elf64_Rela are all u64s. */
static void swap_rels(unsigned char *p, size_t len, size_t entsize)
{
	for (size_t i = 0; i + entsize <= len; i += entsize)
		for (size_t f = 0; f < entsize; f += 8)
			swap64(p + i + f);
}

static void swap_insns(unsigned char *p, size_t len)
{
	for (size_t i = 0; i + sizeof(struct bpf_insn) <= len; i += sizeof(struct bpf_insn)) {
		unsigned char *insn = p + i;

		insn[1] = (unsigned char)(insn[1] << 4 | insn[1] >> 4);
		swap16(insn + offsetof(struct bpf_insn, off));
		swap32(insn + offsetof(struct bpf_insn, imm));
	}
}

/* struct btf_header: u16 magic, u8 version, u8 flags, then u32s to hdr_len. */
static void swap_btf(unsigned char *p, size_t len)
{
	uint32_t hdr_len, type_off, type_len;

	if (len < sizeof(struct btf_header))
		return;
	swap16(p);
	memcpy(&hdr_len, p + 4, 4);
	hdr_len = __builtin_bswap32(hdr_len);
	if (hdr_len < sizeof(struct btf_header) || hdr_len > len)
		return;
	swap_words(p + 4, hdr_len - 4);
	memcpy(&type_off, p + offsetof(struct btf_header, type_off), 4);
	memcpy(&type_len, p + offsetof(struct btf_header, type_len), 4);
	if (inside((uint64_t)hdr_len + type_off, type_len, len))
		swap_words(p + hdr_len + type_off, type_len);
}

/* The .BTF.ext header: u16 magic, u8 version, u8 flags; all else is u32s. */
static void swap_btf_ext(unsigned char *p, size_t len)
{
	if (len < 4)
		return;
	swap16(p);
	swap_words(p + 4, len - 4);
}

static void swap_section(unsigned char *obj, const Elf64_Shdr *sh, const char *name)
{
	unsigned char *p = obj + sh->sh_offset;
	size_t len = sh->sh_size;

	switch (sh->sh_type) {
	case SHT_SYMTAB: swap_syms(p, len); return;
	case SHT_REL: swap_rels(p, len, sizeof(Elf64_Rel)); return;
	case SHT_RELA: swap_rels(p, len, sizeof(Elf64_Rela)); return;
	case SHT_PROGBITS:
		if (sh->sh_flags & SHF_EXECINSTR)
			swap_insns(p, len);
		else if (name && !strcmp(name, ".BTF"))
			swap_btf(p, len);
		else if (name && !strcmp(name, ".BTF.ext"))
			swap_btf_ext(p, len);
		return;
	}
}

void *elf_swap(const void *obj, size_t size)
{
	unsigned char *o = malloc(size ? size : 1);
	Elf64_Shdr *shdrs, names = { 0 };
	Elf64_Ehdr *h = (Elf64_Ehdr *)o;
	unsigned int shnum;

	if (!o)
		return NULL;
	memcpy(o, obj, size);
	if (size < sizeof(*h))
		return o;
	swap_ehdr(h);
	o[EI_DATA] = HOST_DATA;
	if (h->e_shentsize != sizeof(Elf64_Shdr) || h->e_shoff % 8 ||
	    !inside(h->e_shoff, (uint64_t)h->e_shnum * sizeof(Elf64_Shdr), size))
		return o;
	/*
	 * What the loop reads is copied first: a section may overlap the
	 * headers, and swapping it would change them under the loop.
	 */
	shnum = h->e_shnum;
	shdrs = (Elf64_Shdr *)(o + h->e_shoff);
	for (unsigned int i = 0; i < shnum; i++)
		swap_shdr(&shdrs[i]);
	/* The names tell .BTF and .BTF.ext from other data: they are strings, never swapped. */
	if (h->e_shstrndx < shnum) {
		memcpy(&names, &shdrs[h->e_shstrndx], sizeof(names));
		if (names.sh_type != SHT_STRTAB || !inside(names.sh_offset, names.sh_size, size))
			names.sh_size = 0;
	}
	for (unsigned int i = 1; i < shnum; i++) {
		const char *name = NULL;
		Elf64_Shdr sh;

		memcpy(&sh, &shdrs[i], sizeof(sh));
		if (sh.sh_type == SHT_NOBITS || !inside(sh.sh_offset, sh.sh_size, size))
			continue;
		if (sh.sh_name < names.sh_size &&
		    memchr(o + names.sh_offset + sh.sh_name, '\0', names.sh_size - sh.sh_name))
			name = (const char *)o + names.sh_offset + sh.sh_name;
		swap_section(o, &sh, name);
	}
	return o;
}
