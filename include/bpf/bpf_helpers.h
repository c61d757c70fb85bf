/* SPDX-License-Identifier: MIT */
/*
 * <bpf/bpf_helpers.h> as an exercise includes it: mini-trace's own helper
 * declarations (../bpf_helpers.h), plus what exercise files reach for that
 * the built-in programs do not: bpf_printk(), the kernel-side string copy,
 * the current task, and the attributes kfunc declarations carry.
 */
#ifndef MINI_TRACE_BPF_BPF_HELPERS_H
#define MINI_TRACE_BPF_BPF_HELPERS_H

#include "../bpf_helpers.h"

/* Helpers uapi.h does not list, by their enum bpf_func_id number. */
#define MT_FUNC_get_current_task 35
#define MT_FUNC_get_current_task_btf 158 /* 5.11 */

static __u64 (*bpf_get_current_task)(void) = (void *)MT_FUNC_get_current_task;
static struct task_struct *(*bpf_get_current_task_btf)(void) = (void *)MT_FUNC_get_current_task_btf;
static long (*bpf_probe_read_kernel_str)(void *dst, __u32 size, const void *unsafe_ptr) = (void *)
	BPF_FUNC_probe_read_kernel_str;

/*
 * bpf_printk("fmt", args...): up to three arguments, written by the kernel
 * into its trace buffer (kernel/trace/bpf_trace.c, bpf_trace_printk), which
 * "mini-trace run" shows beside its own lines.  The format must be on the
 * program's stack or in .rodata; a local array is both old- and new-kernel
 * safe.
 */
#define bpf_printk(fmt, ...)                                               \
	({                                                                 \
		char ____fmt[] = fmt;                                      \
		bpf_trace_printk(____fmt, sizeof(____fmt), ##__VA_ARGS__); \
	})

/*
 * A kernel function (kfunc) or variable the loader resolves by name in the
 * kernel's BTF: "extern int bpf_strstr(...) __ksym __weak;" (kfuncs.h).
 */
#ifndef __ksym
#define __ksym __attribute__((section(".ksyms")))
#endif
#ifndef __weak
#define __weak __attribute__((weak))
#endif
#ifndef __kconfig
#define __kconfig __attribute__((section(".kconfig")))
#endif

#endif
