/* SPDX-License-Identifier: MIT */
/*
 * CO-RE at load time: the kernel's BTF read once, and each program's CO-RE
 * relocations (parse/core.c) applied to its per-load copy of the
 * instructions, so the spec stays the same on every machine.
 */
#ifndef MINI_TRACE_CORE_LOAD_H
#define MINI_TRACE_CORE_LOAD_H

#include <stddef.h>
#include <linux/bpf.h>

#include "diag.h"
#include "spec.h"

/* --btf PATH: the kernel's BTF from a file, not /sys/kernel/btf/vmlinux. */
void core_set_btf_path(const char *path);

/*
 * Where tracefs is mounted: without kernel BTF, tracepoint context structs
 * are relocated from its events' format files.
 */
void core_set_tracefs(const char *path);

/* The object's BTF as the kernel took it (-1: refused), for the .kconfig map's value type. */
void core_set_object_btf(int fd);

/* Where -v's lines about each relocation go (loader.c points it at narrate). */
extern void (*core_note)(const char *prog, const char *line);

/*
 * Applies p's CO-RE relocations to insns[0..cnt), a copy of p->insns.
 * A relocation nothing in the kernel answers poisons its instruction (see
 * CORE_POISON); an object whose records make no sense is refused.
 */
int core_apply(const struct spec *s, const struct spec_prog *p, struct bpf_insn *insns, size_t cnt,
	       struct diag *d);

/*
 * After the verifier refused p with log: if it stopped at a poisoned
 * instruction, d says which relocation, and where in the source, and 1 is
 * returned; else 0 and d is left alone.
 */
int core_explain(const struct spec *s, const struct spec_prog *p, const char *log, struct diag *d);

/*
 * The id of the type of kind (BTF_KIND_FUNC, BTF_KIND_TYPEDEF) called name
 * in the kernel's BTF, for a program's attach_btf_id; -ENOENT when there is
 * none, or -errno with d saying why the kernel's BTF cannot be read.
 */
int core_kernel_type_id(const char *name, int kind, struct diag *d);

/*
 * fentry/fexit name a kernel FUNC; tp_btf/<name> the typedef
 * btf_trace_<name> that DEFINE_EVENT declares for each tracepoint
 * (include/trace/bpf_probe.h).  The id of prog's, for its attach_btf_id, as
 * core_kernel_type_id() gives it; -ENAMETOOLONG for a target too long.
 */
int core_tracing_target_id(const struct spec_prog *prog, struct diag *d);

/*
 * The fd_array of BPF_PROG_LOAD when a kfunc call names a module's BTF by
 * its index there (insn->off), else NULL; valid until core_release().
 */
const int *core_fd_array(void);

/* Frees the kernel's BTF, read once for all programs. */
void core_release(void);

#endif
