/* SPDX-License-Identifier: MIT */
/*
 * What a BPF program built for mini-trace includes: section markers, the
 * BTF-defined map macros and the helper functions, written the way libbpf's
 * bpf_helpers.h spells them so the same source builds against either.
 *
 * A helper is not linked: the program calls a constant address that is the
 * helper's number in enum bpf_func_id, and the verifier rewrites the call
 * (kernel/bpf/verifier.c, fixup_bpf_calls).  The numbers are in uapi.h, so
 * nothing from the installed kernel headers is needed.
 */
#ifndef MINI_TRACE_BPF_HELPERS_H
#define MINI_TRACE_BPF_HELPERS_H

#include "uapi.h"

/*
 * The ELF section a function or variable lands in is the loader's only hint
 * of what it is: "tracepoint/<category>/<name>" is a program to attach there,
 * ".maps" holds map definitions, "license" the licence string.
 */
#define SEC(name) __attribute__((section(name), used))

/*
 * BTF-defined maps: each field of the anonymous struct is a pointer whose type
 * carries the value, so the numbers survive into .BTF with no data at all.
 * __uint(max_entries, 1024) is "int (*max_entries)[1024]": a pointer to an
 * array whose element count is the value.  __type(key, T) is "T *key": the
 * loader takes sizeof(T) from the pointee.
 */
#define __uint(name, val) int(*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]

/*
 * __always_inline is spelled as include/uapi/linux/stddef.h spells it, a
 * plain __inline__: that definition came first through <linux/bpf.h> when
 * these headers still included it, so every program here was built and
 * verified with it.  clang then inlines what is small and keeps a large
 * function that many programs call as one BPF-to-BPF call: forcing every
 * inline (__attribute__((always_inline))) makes password.bpf.o 3,205
 * instructions instead of 1,962.
 */
#ifndef __always_inline
#define __always_inline __inline__
#endif
#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif

/*
 * barrier_var(v): an empty asm that clang must assume changes v.  It emits
 * nothing, but clang knows nothing of v's value after it, so a test or a mask
 * applied to v from then on stays where it is written.
 *
 * Why that matters: the verifier learns a range at a comparison only for the
 * register compared and the copies made of it by a plain move (same id,
 * find_equal_scalars() in kernel/bpf/verifier.c).  clang freely tests one
 * register and then uses the same value computed again into another, or
 * reloaded from a stack slot it spilled before the test, and 6.1 or 6.12
 * know no range for that copy: "R1 min value is outside of the allowed memory
 * range", "R0 unbounded memory access", "math between map_value pointer and
 * register with unbounded min value is not allowed".  The remedy is a new
 * value made from the tested one by a mask or a clamp, after barrier_var(),
 * right where it is used: clang can neither drop that as redundant nor use
 * an older copy in its place.  (libbpf's bpf_helpers.h has the same macro
 * under the same name.)
 */
#define barrier_var(var) asm volatile("" : "+r"(var))

static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)BPF_FUNC_map_lookup_elem;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value,
				   __u64 flags) = (void *)BPF_FUNC_map_update_elem;
static long (*bpf_map_delete_elem)(void *map, const void *key) = (void *)BPF_FUNC_map_delete_elem;
static __u64 (*bpf_get_current_pid_tgid)(void) = (void *)BPF_FUNC_get_current_pid_tgid;
static long (*bpf_get_current_comm)(void *buf,
				    __u32 size_of_buf) = (void *)BPF_FUNC_get_current_comm;
static __u64 (*bpf_ktime_get_ns)(void) = (void *)BPF_FUNC_ktime_get_ns;
static long (*bpf_get_ns_current_pid_tgid)(__u64 dev, __u64 ino, struct bpf_pidns_info *nsdata,
					   __u32 size) = (void *)BPF_FUNC_get_ns_current_pid_tgid;
static long (*bpf_probe_read_user)(void *dst, __u32 size,
				   const void *unsafe_ptr) = (void *)BPF_FUNC_probe_read_user;
static long (*bpf_probe_read_user_str)(void *dst, __u32 size, const void *unsafe_ptr) = (void *)
	BPF_FUNC_probe_read_user_str;
static long (*bpf_probe_read_kernel)(void *dst, __u32 size,
				     const void *unsafe_ptr) = (void *)BPF_FUNC_probe_read_kernel;
static long (*bpf_perf_event_output)(void *ctx, void *map, __u64 flags, void *data,
				     __u64 size) = (void *)BPF_FUNC_perf_event_output;
static long (*bpf_ringbuf_output)(void *ringbuf, void *data, __u64 size,
				  __u64 flags) = (void *)BPF_FUNC_ringbuf_output;
static void *(*bpf_ringbuf_reserve)(void *ringbuf, __u64 size,
				    __u64 flags) = (void *)BPF_FUNC_ringbuf_reserve;
static void (*bpf_ringbuf_submit)(void *data, __u64 flags) = (void *)BPF_FUNC_ringbuf_submit;
static void (*bpf_ringbuf_discard)(void *data, __u64 flags) = (void *)BPF_FUNC_ringbuf_discard;
static long (*bpf_trace_printk)(const char *fmt, __u32 fmt_size,
				...) = (void *)BPF_FUNC_trace_printk;

/*
 * Since 5.17: calls fn(i, ctx) for i from 0 until nr or until fn returns 1.
 * The verifier checks fn once, as a function of an unknown i, where a loop
 * in the program is checked once per turn.  fn must be a static function,
 * and ctx may point to the caller's stack.
 */
static long (*bpf_loop)(__u32 nr, void *fn, void *ctx, __u64 flags) = (void *)BPF_FUNC_loop;

/*
 * Since 5.17: strncmp(s1, s2, s1_sz), where s2 must point into a frozen
 * read-only map (a .rodata string) and s1 into memory the program may read.
 * On older kernels mini-trace's loader turns each call into a call to a
 * byte loop of its own (load.c), so programs use it everywhere.
 */
static long (*bpf_strncmp)(const char *s1, __u32 s1_sz, const char *s2) = (void *)BPF_FUNC_strncmp;

#endif
