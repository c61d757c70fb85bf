// SPDX-License-Identifier: MIT
/*
 * A function's file offset in a uprobe target, read from the target's ELF
 * the way libbpf's elf_find_func_offset() (tools/lib/bpf/elf.c) does:
 *
 *	symbol table (.symtab, else .dynsym) -> the function's address
 *	-> the PT_LOAD segment whose file bytes hold it -> file offset
 *
 * The kernel places a uprobe at (inode, offset): uprobe_register()
 * (kernel/events/uprobes.c) writes its breakpoint into the page cache of
 * that file, so every process mapping the file, now or later, hits it.
 * An address is meaningless to it: a shared library's, or a PIE's, is
 * relative to wherever it is mapped.  A segment is mapped with
 * p_vaddr - p_offset kept, which is what makes the translation
 * offset = address - p_vaddr + p_offset (the ELF gABI, "Program Loading").
 *
 * The target is a file we did not write: every header, table and string is
 * checked against the file's size before it is read, as in elf.c.  Fields
 * are copied out (memcpy), never read in place, so the buffer needs no
 * alignment; both classes and both byte orders are read, so a 32-bit or
 * big-endian board's binary parses the same here.
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "elf_target.h"

struct target {
	const unsigned char *p;
	size_t size;
	bool is64;
	bool swap; /* the file's byte order is not ours */
	Elf64_Ehdr eh;
};

static bool in_file(const struct target *t, __u64 off, __u64 len)
{
	return off <= t->size && len <= t->size - off;
}

static __u16 fix16(const struct target *t, __u16 v)
{
	return t->swap ? __builtin_bswap16(v) : v;
}

static __u32 fix32(const struct target *t, __u32 v)
{
	return t->swap ? __builtin_bswap32(v) : v;
}

static __u64 fix64(const struct target *t, __u64 v)
{
	return t->swap ? __builtin_bswap64(v) : v;
}

static bool host_is_big_endian(void)
{
	return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
}

/* The ELF header, as a 64-bit one whichever the class. */
static int read_ehdr(struct target *t, struct diag *d)
{
	static const unsigned char magic[SELFMAG] = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3 };

	if (t->size < SELFMAG || memcmp(t->p, magic, SELFMAG))
		return diag(d, -ENOEXEC, "not an ELF file");
	if (t->size < EI_NIDENT)
		return diag(d, -ENOEXEC, "truncated: %zu bytes, less than an ELF header", t->size);
	if (t->p[EI_CLASS] != ELFCLASS32 && t->p[EI_CLASS] != ELFCLASS64)
		return diag(d, -ENOEXEC, "unknown ELF class %u", t->p[EI_CLASS]);
	if (t->p[EI_DATA] != ELFDATA2LSB && t->p[EI_DATA] != ELFDATA2MSB)
		return diag(d, -ENOEXEC, "unknown ELF byte order %u", t->p[EI_DATA]);
	t->is64 = t->p[EI_CLASS] == ELFCLASS64;
	t->swap = (t->p[EI_DATA] == ELFDATA2MSB) != host_is_big_endian();
	if (t->is64) {
		if (t->size < sizeof(Elf64_Ehdr))
			return diag(d, -ENOEXEC, "truncated: %zu bytes, less than an ELF header",
				    t->size);
		memcpy(&t->eh, t->p, sizeof(t->eh));
		t->eh.e_phoff = fix64(t, t->eh.e_phoff);
		t->eh.e_shoff = fix64(t, t->eh.e_shoff);
	} else {
		Elf32_Ehdr e;

		if (t->size < sizeof(e))
			return diag(d, -ENOEXEC, "truncated: %zu bytes, less than an ELF header",
				    t->size);
		memcpy(&e, t->p, sizeof(e));
		memcpy(t->eh.e_ident, e.e_ident, EI_NIDENT);
		t->eh.e_type = e.e_type;
		t->eh.e_phoff = fix32(t, e.e_phoff);
		t->eh.e_shoff = fix32(t, e.e_shoff);
		t->eh.e_phentsize = e.e_phentsize;
		t->eh.e_phnum = e.e_phnum;
		t->eh.e_shentsize = e.e_shentsize;
		t->eh.e_shnum = e.e_shnum;
	}
	t->eh.e_type = fix16(t, t->eh.e_type);
	t->eh.e_phentsize = fix16(t, t->eh.e_phentsize);
	t->eh.e_phnum = fix16(t, t->eh.e_phnum);
	t->eh.e_shentsize = fix16(t, t->eh.e_shentsize);
	t->eh.e_shnum = fix16(t, t->eh.e_shnum);

	/* Only files that are mapped by segments have file offsets for code. */
	if (t->eh.e_type != ET_EXEC && t->eh.e_type != ET_DYN)
		return diag(d, -ENOEXEC, "not an executable or shared library (ELF type %u)",
			    t->eh.e_type);
	if (t->eh.e_phnum &&
	    (t->eh.e_phentsize != (t->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)) ||
	     !in_file(t, t->eh.e_phoff, (__u64)t->eh.e_phnum * t->eh.e_phentsize)))
		return diag(d, -ENOEXEC, "truncated: program headers past the end of the file");
	if (t->eh.e_shnum &&
	    (t->eh.e_shentsize != (t->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)) ||
	     !in_file(t, t->eh.e_shoff, (__u64)t->eh.e_shnum * t->eh.e_shentsize)))
		return diag(d, -ENOEXEC, "truncated: section headers past the end of the file");
	return 0;
}

static void read_phdr(const struct target *t, unsigned int i, Elf64_Phdr *ph)
{
	const unsigned char *at = t->p + t->eh.e_phoff + (__u64)i * t->eh.e_phentsize;

	if (t->is64) {
		memcpy(ph, at, sizeof(*ph));
		ph->p_type = fix32(t, ph->p_type);
		ph->p_offset = fix64(t, ph->p_offset);
		ph->p_vaddr = fix64(t, ph->p_vaddr);
		ph->p_filesz = fix64(t, ph->p_filesz);
	} else {
		Elf32_Phdr p;

		memcpy(&p, at, sizeof(p));
		ph->p_type = fix32(t, p.p_type);
		ph->p_offset = fix32(t, p.p_offset);
		ph->p_vaddr = fix32(t, p.p_vaddr);
		ph->p_filesz = fix32(t, p.p_filesz);
	}
}

static void read_shdr(const struct target *t, unsigned int i, Elf64_Shdr *sh)
{
	const unsigned char *at = t->p + t->eh.e_shoff + (__u64)i * t->eh.e_shentsize;

	if (t->is64) {
		memcpy(sh, at, sizeof(*sh));
		sh->sh_type = fix32(t, sh->sh_type);
		sh->sh_offset = fix64(t, sh->sh_offset);
		sh->sh_size = fix64(t, sh->sh_size);
		sh->sh_link = fix32(t, sh->sh_link);
		sh->sh_entsize = fix64(t, sh->sh_entsize);
	} else {
		Elf32_Shdr s;

		memcpy(&s, at, sizeof(s));
		sh->sh_type = fix32(t, s.sh_type);
		sh->sh_offset = fix32(t, s.sh_offset);
		sh->sh_size = fix32(t, s.sh_size);
		sh->sh_link = fix32(t, s.sh_link);
		sh->sh_entsize = fix32(t, s.sh_entsize);
	}
}

/* Symbol i of a table already checked to lie in the file. */
static void read_sym(const struct target *t, const Elf64_Shdr *tab, __u64 i, Elf64_Sym *sym)
{
	const unsigned char *at = t->p + tab->sh_offset + i * tab->sh_entsize;

	if (t->is64) {
		memcpy(sym, at, sizeof(*sym));
		sym->st_name = fix32(t, sym->st_name);
		sym->st_shndx = fix16(t, sym->st_shndx);
		sym->st_value = fix64(t, sym->st_value);
	} else {
		Elf32_Sym s;

		memcpy(&s, at, sizeof(s));
		sym->st_name = fix32(t, s.st_name);
		sym->st_info = s.st_info;
		sym->st_shndx = fix16(t, s.st_shndx);
		sym->st_value = fix32(t, s.st_value);
	}
}

/* The first section of type sh_type, or -ENOENT. */
static int find_section(const struct target *t, __u32 sh_type, Elf64_Shdr *sh)
{
	for (unsigned int i = 0; i < t->eh.e_shnum; i++) {
		read_shdr(t, i, sh);
		if (sh->sh_type == sh_type)
			return 0;
	}
	return -ENOENT;
}

/*
 * Whether a symbol's name is func: exactly, or func with a version after
 * '@' as a static binary's .symtab may spell it ("memcpy@@GLIBC_2.14").
 */
static bool name_is(const char *name, size_t max, const char *func)
{
	size_t n = strlen(func);

	return n < max && !strncmp(name, func, n) && (name[n] == '\0' || name[n] == '@');
}

/*
 * Looks func up in one symbol table: 0 with its address, 1 when it is not
 * there, -errno with d filled when the table is broken or the name cannot
 * be probed.
 */
static int find_func(const struct target *t, const Elf64_Shdr *tab, const char *what,
		     const char *func, __u64 *addr, struct diag *d)
{
	size_t sym_size = t->is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
	Elf64_Shdr strtab;
	__u64 cnt;
	int found = 0;

	if (tab->sh_entsize != sym_size || !in_file(t, tab->sh_offset, tab->sh_size))
		return diag(d, -ENOEXEC, "truncated: %s past the end of the file", what);
	if (tab->sh_link >= t->eh.e_shnum)
		return diag(d, -ENOEXEC, "%s names string section %u of %u", what, tab->sh_link,
			    t->eh.e_shnum);
	read_shdr(t, tab->sh_link, &strtab);
	if (strtab.sh_type != SHT_STRTAB || !in_file(t, strtab.sh_offset, strtab.sh_size))
		return diag(d, -ENOEXEC, "truncated: %s's strings past the end of the file", what);

	cnt = tab->sh_size / sym_size;
	for (__u64 i = 1; i < cnt; i++) {
		Elf64_Sym sym;
		int type;

		read_sym(t, tab, i, &sym);
		type = ELF64_ST_TYPE(sym.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF ||
		    sym.st_name >= strtab.sh_size ||
		    !name_is((const char *)t->p + strtab.sh_offset + sym.st_name,
			     strtab.sh_size - sym.st_name, func))
			continue;
		/*
		 * An indirect function's symbol is its resolver, run once by the
		 * dynamic loader to pick an implementation (strlen's, per CPU):
		 * a probe there would fire once per process, not per call.
		 */
		if (type == STT_GNU_IFUNC)
			return diag(d, -ENOENT,
				    "'%s' is an indirect function (STT_GNU_IFUNC): probe the "
				    "implementation it selects instead",
				    func);
		/* Aliases share an address; two static functions of one name do not. */
		if (found && *addr != sym.st_value)
			return diag(d, -ENOENT,
				    "%s has more than one function '%s' (0x%llx, 0x%llx): "
				    "name one by offset",
				    what, func, (unsigned long long)*addr,
				    (unsigned long long)sym.st_value);
		*addr = sym.st_value;
		found = 1;
	}
	return found ? 0 : 1;
}

/* The file offset of a virtual address, through the loadable segment that holds it. */
static int addr_to_offset(const struct target *t, const char *func, __u64 addr, __u64 *offset,
			  struct diag *d)
{
	for (unsigned int i = 0; i < t->eh.e_phnum; i++) {
		Elf64_Phdr ph;

		read_phdr(t, i, &ph);
		if (ph.p_type != PT_LOAD || addr < ph.p_vaddr || addr - ph.p_vaddr >= ph.p_filesz)
			continue;
		if (!in_file(t, ph.p_offset, ph.p_filesz))
			return diag(d, -ENOEXEC, "truncated: segment %u past the end of the file",
				    i);
		*offset = addr - ph.p_vaddr + ph.p_offset;
		return 0;
	}
	return diag(d, -ENOEXEC, "function '%s' at 0x%llx is in no loadable segment", func,
		    (unsigned long long)addr);
}

int elf_target_func_offset(const void *buf, size_t size, const char *func, __u64 *offset,
			   struct diag *d)
{
	struct target t = { .p = buf, .size = size };
	Elf64_Shdr symtab, dynsym;
	bool has_symtab, has_dynsym;
	__u64 addr = 0;
	int err;

	err = read_ehdr(&t, d);
	if (err)
		return err;
	has_symtab = !find_section(&t, SHT_SYMTAB, &symtab);
	has_dynsym = !find_section(&t, SHT_DYNSYM, &dynsym);
	if (!has_symtab && !has_dynsym)
		return diag(d, -ENOENT, "no symbol table (stripped): name the function by offset");

	/* .symtab has every function; .dynsym, which strip leaves, the exported ones. */
	err = has_symtab ? find_func(&t, &symtab, ".symtab", func, &addr, d) : 1;
	if (err == 1 && has_dynsym)
		err = find_func(&t, &dynsym, ".dynsym", func, &addr, d);
	if (err == 1)
		return diag(d, -ENOENT, "no function '%s'%s", func,
			    has_symtab ? "" : " (.symtab is stripped; .dynsym lacks it)");
	if (err)
		return err;
	return addr_to_offset(&t, func, addr, offset, d);
}
