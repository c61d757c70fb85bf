// SPDX-License-Identifier: MIT
/*
 * Linking: a program as the kernel takes it is one array of instructions,
 * its own function first, then every .text subprogram it calls.  clang
 * leaves calls to subprograms and references to maps and global data as
 * relocations (.rel<section>) against symbols; this step copies each
 * function a program needs, points its BPF_PSEUDO_CALLs at the copies, and
 * turns each ld_imm64 of a map or a global into a spec_reloc that the load
 * step (object.c) fills in with the map's fd.
 *
 * Pure, as parsing is: it reads the checked view elf.c built (elf_link.h) and
 * writes the spec; nothing is asked of the kernel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf_link.h"

#ifndef R_BPF_64_64
#define R_BPF_64_64 1 /* ld_imm64 of a map or data address */
#endif
#ifndef R_BPF_64_32
#define R_BPF_64_32 10 /* a BPF_PSEUDO_CALL to a subprogram */
#endif

/*
 * Linking one program: its function, then each subprogram it calls, each
 * copied once.  A subprogram is a function symbol in a code section.
 */
struct func {
	unsigned int sec;
	__u64 off; /* bytes into the section */
	__u64 size;
	size_t base; /* where it starts in the linked program */
};

struct link {
	struct elf *e;
	struct spec_prog *prog;
	struct func *funcs;
	size_t func_cnt, func_cap;
	size_t insn_cap, reloc_cap, extern_cap;
};

static bool is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static bool is_pseudo_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_CALL;
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	p = realloc(p, n * elem);
	if (p)
		*cap = n;
	return p;
}

/*
 * Appends the .BTF.ext records of [off, off + size) in *src (cnt of them,
 * elem bytes each, insn_off first) to *dst, their insn_off turned from
 * bytes into the section into an index into the program, from base on.
 */
static int move_records(void **dst, size_t *dst_cnt, const void *src, size_t cnt, size_t elem,
			const struct func *f)
{
	const unsigned char *rec = src;
	unsigned char *out;
	size_t n = 0;

	for (size_t i = 0; i < cnt; i++) {
		__u32 at;

		memcpy(&at, rec + i * elem, sizeof(at));
		n += at >= f->off && at < f->off + f->size;
	}
	if (!n)
		return 0;
	out = realloc(*dst, (*dst_cnt + n) * elem);
	if (!out)
		return -ENOMEM;
	*dst = out;
	out += *dst_cnt * elem;
	for (size_t i = 0; i < cnt; i++) {
		__u32 at;

		memcpy(&at, rec + i * elem, sizeof(at));
		if (at < f->off || at >= f->off + f->size)
			continue;
		memcpy(out, rec + i * elem, elem);
		at = f->base + (at - f->off) / BPF_INSN_SZ;
		memcpy(out, &at, sizeof(at));
		out += elem;
	}
	*dst_cnt += n;
	return 0;
}

/* The function, line and CO-RE records of function f, moved to where f now starts. */
static int link_ext(struct link *l, const struct func *f, struct diag *d)
{
	const struct btf_ext_sec *x = btf_ext_find(&l->e->ext, l->e->secs[f->sec].name);
	struct spec_prog *p = l->prog;
	void *funcs = p->func_info, *lines = p->line_info, *relos = p->core_relos;
	int err;

	if (!x)
		return 0;
	err = move_records(&funcs, &p->func_info_cnt, x->funcs, x->func_cnt, sizeof(*x->funcs), f) ?:
	      move_records(&lines, &p->line_info_cnt, x->lines, x->line_cnt, sizeof(*x->lines), f) ?:
	      move_records(&relos, &p->core_relo_cnt, x->relos, x->relo_cnt, sizeof(*x->relos), f);
	p->func_info = funcs;
	p->line_info = lines;
	p->core_relos = relos;
	if (err)
		return diag(d, err, "elf: out of memory");
	return 0;
}

/*
 * Index of the function in sec that starts at off, appending it if new.
 * This is the one place instructions enter a program: what describes them
 * (.BTF.ext line and func info, CO-RE relocations) is appended here too,
 * its instruction offsets moved by f->base (link_ext).
 */
static int link_func(struct link *l, unsigned int sec, __u64 off, struct diag *d)
{
	struct elf *e = l->e;
	struct spec_prog *p = l->prog;
	const Elf64_Sym *sym = NULL;
	struct func *f;
	void *grown;

	for (size_t i = 0; i < l->func_cnt; i++)
		if (l->funcs[i].sec == sec && l->funcs[i].off == off)
			return i;
	for (size_t i = 1; i < e->sym_cnt && !sym; i++)
		if (ELF64_ST_TYPE(e->syms[i].st_info) == STT_FUNC && e->syms[i].st_shndx == sec &&
		    e->syms[i].st_value == off)
			sym = &e->syms[i];
	if (!sym)
		return diag(d, -EINVAL, "prog '%s': call to offset %llu of '%s' is not a function",
			    p->name, (unsigned long long)off, e->secs[sec].name);
	if (off % BPF_INSN_SZ || sym->st_size % BPF_INSN_SZ || sym->st_size == 0 ||
	    !in_range(off, sym->st_size, e->secs[sec].sh->sh_size))
		return diag(d, -EINVAL, "prog '%s': function '%s' lies outside '%s'", p->name,
			    sym_name(e, sym), e->secs[sec].name);
	if (p->insn_cnt + sym->st_size / BPF_INSN_SZ > 1000000)
		return diag(d, -E2BIG, "prog '%s': too many instructions", p->name);
	/* The verifier's BPF_MAX_SUBPROGS (include/linux/bpf_verifier.h); it bounds link_relocs' depth too. */
	if (l->func_cnt >= 256)
		return diag(d, -E2BIG, "prog '%s': more than 256 functions", p->name);

	grown = grow(l->funcs, &l->func_cap, l->func_cnt + 1, sizeof(*l->funcs));
	if (!grown)
		return diag(d, -ENOMEM, "elf: out of memory");
	l->funcs = grown;
	grown = grow(p->insns, &l->insn_cap, p->insn_cnt + sym->st_size / BPF_INSN_SZ,
		     sizeof(*p->insns));
	if (!grown)
		return diag(d, -ENOMEM, "elf: out of memory");
	p->insns = grown;

	f = &l->funcs[l->func_cnt];
	*f = (struct func){ .sec = sec, .off = off, .size = sym->st_size, .base = p->insn_cnt };
	if (link_ext(l, f, d))
		return -ENOMEM;
	memcpy(p->insns + p->insn_cnt, e->secs[sec].data + off, sym->st_size);
	p->insn_cnt += sym->st_size / BPF_INSN_SZ;
	return l->func_cnt++;
}

static int add_reloc(struct link *l, enum spec_reloc_kind kind, size_t insn, unsigned int map,
		     __u32 off, struct diag *d)
{
	struct spec_prog *p = l->prog;
	void *grown = grow(p->relocs, &l->reloc_cap, p->reloc_cnt + 1, sizeof(*p->relocs));

	if (!grown)
		return diag(d, -ENOMEM, "elf: out of memory");
	p->relocs = grown;
	p->relocs[p->reloc_cnt++] = (struct spec_reloc){
		.kind = kind,
		.insn = insn,
		.map = map,
		.off = off,
	};
	return 0;
}

/*
 * A call of an extern function (a kfunc) or an ld_imm64 of an extern's
 * address: what the loader resolves against the running kernel.  clang
 * leaves the symbol undefined; which extern it is, .BTF says.
 */
static int add_extern(struct link *l, const Elf64_Sym *sym, size_t insn, struct diag *d)
{
	struct spec_prog *p = l->prog;
	void *grown = grow(p->externs, &l->extern_cap, p->extern_cnt + 1, sizeof(*p->externs));

	if (!grown)
		return diag(d, -ENOMEM, "elf: out of memory");
	p->externs = grown;
	p->externs[p->extern_cnt++] = (struct spec_extern){
		.name = sym_name(l->e, sym),
		.insn = insn,
		.weak = ELF64_ST_BIND(sym->st_info) == STB_WEAK,
	};
	return 0;
}

/*
 * An ld_imm64 (two instructions, the 64-bit immediate split across both imm
 * fields) that clang left as zero for the loader to fill in:
 *  - a .maps symbol: the map itself, later BPF_PSEUDO_MAP_FD with the fd;
 *  - a data-section symbol: an address in the map's value, later
 *    BPF_PSEUDO_MAP_VALUE with the fd and the offset, which is the
 *    instruction's own addend plus the symbol's offset in the section
 *    (kernel/bpf/verifier.c, resolve_pseudo_ldimm64).
 */
static int link_data_reloc(struct link *l, struct spec *s, const Elf64_Sym *sym, size_t at,
			   struct diag *d)
{
	struct elf *e = l->e;
	struct bpf_insn *insn = &l->prog->insns[at];
	const struct sec *sec = &e->secs[sym->st_shndx];
	const char *name = sym_name(e, sym);
	__s64 off;

	if (sec->kind == SEC_MAPS) {
		for (size_t i = 0; i < s->map_cnt; i++)
			if (s->maps[i].kind == SPEC_MAP_BTF && s->maps[i].sec_off == sym->st_value)
				return add_reloc(l, SPEC_RELOC_MAP_FD, at, i, 0, d);
		return diag(d, -EINVAL, "prog '%s': relocation against '%s', not a map",
			    l->prog->name, name);
	}
	if (sec->kind != SEC_DATA || sec->map < 0)
		return diag(d, -EOPNOTSUPP,
			    "prog '%s': relocation against '%s' in '%s' is not supported",
			    l->prog->name, name, sec->name);
	if (sym->st_value >= s->maps[sec->map].value_size)
		return diag(d, -EINVAL, "prog '%s': symbol '%s' lies outside '%s'", l->prog->name,
			    name, sec->name);
	off = (__s64)insn->imm + (__s64)sym->st_value;
	if (off < 0 || off >= s->maps[sec->map].value_size)
		return diag(d, -EINVAL, "prog '%s': relocation offset %lld outside '%s'",
			    l->prog->name, (long long)off, sec->name);
	return add_reloc(l, SPEC_RELOC_MAP_VALUE, at, sec->map, off, d);
}

/*
 * Relocations of function f, and the pseudo calls it makes.  A call carries
 * its target as "imm + 1" instructions past itself; with an R_BPF_64_32
 * relocation that distance is counted from the symbol instead (libbpf:
 * sym_off / 8 + imm + 1).  In the linked program it becomes the distance to
 * the callee's copy.
 */
static int link_relocs(struct link *l, struct spec *s, size_t fi, struct diag *d)
{
	struct elf *e = l->e;
	struct func f = l->funcs[fi];
	const struct sec *sec = &e->secs[f.sec];
	size_t cnt = f.size / BPF_INSN_SZ, rel_cnt = 0;
	const Elf64_Rel *rels = NULL;
	struct {
		int sec;
		__s64 off;
	} * calls; /* per insn; sec -1: not a call or a callback */
	int err = 0;

	calls = malloc(cnt * sizeof(*calls));
	if (!calls)
		return diag(d, -ENOMEM, "elf: out of memory");
	for (size_t i = 0; i < cnt; i++) {
		const struct bpf_insn *insn = &l->prog->insns[f.base + i];

		calls[i].sec = is_pseudo_call(insn) ? (int)f.sec : -1;
		calls[i].off = (__s64)(f.off + i * BPF_INSN_SZ) +
			       ((__s64)insn->imm + 1) * (__s64)BPF_INSN_SZ;
	}

	if (sec->rel) {
		rels = (const void *)(e->obj + sec->rel->sh_offset);
		rel_cnt = sec->rel->sh_size / sizeof(Elf64_Rel);
	}
	for (size_t r = 0; r < rel_cnt && !err; r++) {
		__u64 at = rels[r].r_offset;
		__u32 symi = ELF64_R_SYM(rels[r].r_info), type = ELF64_R_TYPE(rels[r].r_info);
		const Elf64_Sym *sym;
		struct bpf_insn *insn;
		size_t i;

		if (at < f.off || at >= f.off + f.size)
			continue;
		if (at % BPF_INSN_SZ) {
			err = diag(d, -EINVAL, "prog '%s': relocation at unaligned offset %llu",
				   l->prog->name, (unsigned long long)at);
			break;
		}
		i = (at - f.off) / BPF_INSN_SZ;
		insn = &l->prog->insns[f.base + i];
		if (symi == 0 || symi >= e->sym_cnt) {
			err = diag(d, -EINVAL, "prog '%s': relocation symbol %u out of range",
				   l->prog->name, symi);
			break;
		}
		sym = &e->syms[symi];
		if (sym->st_shndx == SHN_UNDEF && ELF64_ST_BIND(sym->st_info) != STB_LOCAL &&
		    ((type == R_BPF_64_32 && insn->code == (BPF_JMP | BPF_CALL)) ||
		     (type == R_BPF_64_64 && is_ld_imm64(insn) && i + 1 < cnt && !insn[0].imm &&
		      !insn[1].imm))) {
			calls[i].sec = -1; /* not a subprogram */
			err = add_extern(l, sym, f.base + i, d);
			continue;
		}
		if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= e->sec_cnt) {
			err = diag(d, -EOPNOTSUPP, "prog '%s': symbol '%s' is extern or absolute",
				   l->prog->name, sym_name(e, sym));
			break;
		}
		if (type == R_BPF_64_32 && is_pseudo_call(insn)) {
			if (e->secs[sym->st_shndx].kind != SEC_CODE) {
				err = diag(d, -EINVAL, "prog '%s': call into '%s', not code",
					   l->prog->name, e->secs[sym->st_shndx].name);
				break;
			}
			if (sym->st_value >= e->secs[sym->st_shndx].sh->sh_size) {
				err = diag(d, -EINVAL,
					   "prog '%s': call target '%s' lies outside '%s'",
					   l->prog->name, sym_name(e, sym),
					   e->secs[sym->st_shndx].name);
				break;
			}
			calls[i].sec = sym->st_shndx;
			calls[i].off =
				(__s64)sym->st_value + ((__s64)insn->imm + 1) * (__s64)BPF_INSN_SZ;
			continue;
		}
		/*
		 * An ld_imm64 of a function's address: a callback, such as
		 * bpf_loop()'s, which the kernel takes as BPF_PSEUDO_FUNC with
		 * imm the distance to the subprogram, as for a call
		 * (check_ld_imm() in kernel/bpf/verifier.c).  The symbol is the
		 * function's or its section's, imm the bytes past it (libbpf:
		 * (sym_off + imm) / 8).
		 */
		if (type == R_BPF_64_64 && is_ld_imm64(insn) && i + 1 < cnt &&
		    e->secs[sym->st_shndx].kind == SEC_CODE) {
			calls[i].sec = sym->st_shndx;
			calls[i].off = (__s64)sym->st_value + insn->imm;
			insn[0].src_reg = BPF_PSEUDO_FUNC;
			insn[1].imm = 0;
			continue;
		}
		if (type != R_BPF_64_64 || !is_ld_imm64(insn) || i + 1 >= cnt) {
			err = diag(
				d, -EINVAL,
				"prog '%s': relocation type %u at insn %zu is not on an ld_imm64",
				l->prog->name, type, i);
			break;
		}
		err = link_data_reloc(l, s, sym, f.base + i, d);
	}

	for (size_t i = 0; i < cnt && !err; i++) {
		size_t appended;
		int callee;

		if (calls[i].sec < 0)
			continue;
		if (calls[i].off < 0) {
			err = diag(d, -EINVAL,
				   "prog '%s': call at insn %zu jumps before its section",
				   l->prog->name, i);
			break;
		}
		appended = l->func_cnt;
		callee = link_func(l, calls[i].sec, calls[i].off, d); /* may move insns */
		if (callee < 0) {
			err = callee;
			break;
		}
		l->prog->insns[f.base + i].imm =
			(__s32)l->funcs[callee].base - (__s32)(f.base + i) - 1;
		/*
		 * A function new to the program has its own calls linked at
		 * once, before this one's next: depth first, the order in
		 * which libbpf appends subprograms (bpf_object__reloc_code()),
		 * so that both loaders give the kernel the same program.
		 */
		if ((size_t)callee == appended)
			err = link_relocs(l, s, callee, d);
	}
	free(calls);
	return err;
}

int link_prog(struct elf *e, struct spec *s, struct spec_prog *p, unsigned int sec, __u64 off,
	      struct diag *d)
{
	struct link l = { .e = e, .prog = p };
	int err;

	err = link_func(&l, sec, off, d);
	if (err < 0)
		goto out;
	p->main_cnt = p->insn_cnt;
	err = link_relocs(&l, s, 0, d);
out:
	free(l.funcs);
	return err;
}
