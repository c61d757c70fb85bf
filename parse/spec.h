/* SPDX-License-Identifier: MIT */
/*
 * What a BPF object file asks for, as plain data: the parse step (elf.c,
 * link.c, btf.c, btf_ext.c) fills it from the object's bytes without a
 * single syscall, and the load step (object.c) turns it into kernel objects.
 * A test can build one from any bytes and look at every field.
 *
 * Strings point into the object's bytes, which must outlive the spec.
 */
#ifndef MINI_TRACE_SPEC_H
#define MINI_TRACE_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/bpf.h>

#include "diag.h"

/* Where the data of a map comes from. */
enum spec_map_kind {
	SPEC_MAP_BTF,  /* a definition in .maps */
	SPEC_MAP_DATA, /* a global-data section: one-entry array */
};

struct spec_map {
	const char *name; /* variable name, or the section name for data */
	enum spec_map_kind kind;
	__u32 type; /* enum bpf_map_type */
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries; /* 0 for a PERF_EVENT_ARRAY: one per CPU */
	__u32 map_flags;
	bool readonly; /* .rodata*: BPF_F_RDONLY_PROG, frozen */
	/*
	 * What in .BTF describes a key and a value, for BPF_MAP_CREATE: the
	 * __type(key, ..) and __type(value, ..) types of a .maps definition;
	 * for a data section, key 0 and its DATASEC.  0 for none.
	 */
	__u32 btf_key_type_id;
	__u32 btf_value_type_id;
	unsigned char *data; /* SPEC_MAP_DATA: value_size initial bytes (owned) */
	/* internal: where relocations find it */
	unsigned int sec_idx;
	__u64 sec_off;
};

/* A global variable in a data section, for patching before load. */
struct spec_var {
	const char *name;
	unsigned int map; /* index into spec.maps */
	__u32 off;
	__u32 size;
};

/*
 * An instruction that must learn a map's fd at load time.  FD: an ld_imm64
 * of a map pointer, rewritten as BPF_PSEUDO_MAP_FD.  VALUE: an ld_imm64 of
 * an address inside a data section, rewritten as BPF_PSEUDO_MAP_VALUE with
 * "off" bytes into the map's value.
 */
enum spec_reloc_kind {
	SPEC_RELOC_MAP_FD,
	SPEC_RELOC_MAP_VALUE,
};

struct spec_reloc {
	enum spec_reloc_kind kind;
	__u32 insn;	  /* index into the program's linked insns */
	unsigned int map; /* index into spec.maps */
	__u32 off;	  /* SPEC_RELOC_MAP_VALUE only */
};

/* How a program's section name says to attach it (see sections.c's table). */
enum spec_attach {
	SPEC_ATTACH_NONE,	/* a section type mini-trace cannot attach */
	SPEC_ATTACH_TRACEPOINT, /* "tracepoint/<cat>/<name>", alias "tp/" */
	SPEC_ATTACH_RAW_TP,	/* "raw_tp/<name>", alias "raw_tracepoint/" */
	SPEC_ATTACH_KPROBE,	/* "kprobe/<func>[+<off>]", kretprobe/, ksyscall/, kretsyscall/ */
	SPEC_ATTACH_UPROBE,	/* "uprobe/<path>:<func>[+<off>]", uretprobe/ */
};

/*
 * An instruction naming an extern the object uses but does not define: a
 * kernel function or variable (__ksym, in .BTF's DATASEC ".ksyms") or a
 * value of the kernel's configuration (__kconfig, ".kconfig").  Resolved
 * against the running kernel at load (load/core_load.c).
 */
enum spec_extern_kind {
	SPEC_EXTERN_KSYM,    /* ".ksyms" */
	SPEC_EXTERN_KCONFIG, /* ".kconfig" */
};

struct spec_extern {
	const char *name;
	enum spec_extern_kind kind;
	__u32 type; /* the VAR or FUNC in .BTF */
	__u32 insn; /* index into insns: a call (kfunc) or an ld_imm64 (an address) */
	bool weak;  /* __weak: may be missing */
};

struct spec_prog {
	const char *name;     /* the function's name */
	const char *sec_name; /* the whole section name */
	enum spec_attach attach;
	__u32 prog_type;    /* enum bpf_prog_type */
	const char *target; /* what follows the row's prefix: "<cat>/<name>" for a tracepoint */
	/*
	 * The function's code, followed by every .text subprogram it calls
	 * (transitively), with BPF_PSEUDO_CALL offsets fixed for that layout.
	 */
	struct bpf_insn *insns;
	size_t insn_cnt;
	size_t main_cnt; /* insns of the function itself */
	struct spec_reloc *relocs;
	size_t reloc_cnt;
	/*
	 * From .BTF.ext, moved with the code they describe: insn_off is an
	 * index into insns, string offsets and type ids refer to the object's
	 * .BTF.  Which BTF FUNC starts where, which source line each stretch
	 * of code came from, and the CO-RE relocations clang asked for.
	 */
	struct bpf_func_info *func_info;
	size_t func_info_cnt;
	struct bpf_line_info *line_info;
	size_t line_info_cnt;
	struct bpf_core_relo *core_relos;
	size_t core_relo_cnt;
	struct spec_extern *externs;
	size_t extern_cnt;
	bool skip; /* set before load: leave this program out */
};

struct spec {
	const char *license;
	__u32 kern_version;
	/*
	 * The object's .BTF as BPF_BTF_LOAD takes it (owned, NULL without
	 * one): data section sizes and variable offsets filled in from the
	 * ELF.  What the running kernel lacks is replaced on a copy at load.
	 */
	void *btf;
	size_t btf_size;
	struct spec_prog *progs;
	size_t prog_cnt;
	struct spec_map *maps;
	size_t map_cnt;
	struct spec_var *vars;
	size_t var_cnt;
	/*
	 * An object of the other byte order, in this machine's (swap.c):
	 * owned, what the strings point into; the load step refuses it.
	 */
	void *swapped;
};

/* elf.c */
int spec_parse(struct spec *s, const void *obj, size_t size, struct diag *d);
void spec_free(struct spec *s);
int spec_set_var(struct spec *s, const char *name, const void *val, size_t len, struct diag *d);
const struct spec_map *spec_find_map(const struct spec *s, const char *name);
/* The global variable called name, or NULL. */
const struct spec_var *spec_find_var(const struct spec *s, const char *name);

#endif
