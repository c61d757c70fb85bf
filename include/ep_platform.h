/* SPDX-License-Identifier: MIT */
/*
 * The exercise API of ebpf.party, for "mini-trace run" and "mini-trace
 * grade": an exercise file from the site builds unchanged against it.
 *
 *	#include "ep_platform.h"
 *	#include "syscalls.h"
 *
 *	SEC("tracepoint/syscalls/sys_enter_exit")
 *	int on_exit(struct trace_event_raw_sys_enter *ctx)
 *	{
 *		int code = ctx->args[0];
 *
 *		DEBUG_NUM("Exit code", code);	-> debug: Exit code = 42
 *		SUBMIT_NUM(code);		-> answer: 42
 *		return 0;
 *	}
 *
 * DEBUG_STR("label", array) and SUBMIT_STR(array) send a char array (or a
 * string literal) whole; DEBUG_STR_LEN("label", p, len) and
 * SUBMIT_STR_LEN(p, len) send len bytes (at most 255) from p, which may
 * point into the program's stack, a map value or the traced process's
 * memory.  DEBUG_STRUCT("label", s) sends a struct's bytes, shown as hex.
 *
 * Records go through a BPF ring buffer (5.8 and later), in the layout
 * events.h describes; labels stay in the object (EP_LABELS_SECTION).
 */
#ifndef MINI_TRACE_EP_PLATFORM_H
#define MINI_TRACE_EP_PLATFORM_H

/*
 * Tracepoint records read through CO-RE (tracepoint.h): ctx->args[1] is
 * right on 32- and 64-bit kernels alike, from one object.
 */
#define MINI_TRACE_TP_CORE
#include "task.h"
#include "events.h"
#include "bpf/bpf_helpers.h"
#include "bpf/bpf_core_read.h"

/*
 * The site's exercise files declare no licence: the header does.  A file
 * that declares its own as well (char LICENSE[] SEC("license") = ...) adds
 * a second string to the section, which holds "GPL\0<theirs>\0"; the
 * kernel reads the first.  GPL, because the helpers the exercises call
 * (bpf_probe_read_*, bpf_trace_printk) are gpl_only (kernel/trace/bpf_trace.c).
 */
static char __ep_license[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} _ep_debug_events SEC(".maps");

/* Records the full ring refused, counted in .bss (events.h). */
DEFINE_EVENTS_LOST;

/*
 * One label entry per call site, in a section of its own.  "used" keeps
 * the unreferenced variable; the struct's layout is events.h's
 * ep_label_hdr followed by the label.
 */
#define __EP_LABEL(counter, label, flags)                             \
	static const struct {                                         \
		__u32 c, f;                                           \
		char l[sizeof(label)];                                \
	} __ep_label __attribute__((section(EP_LABELS_SECTION), used, \
				    aligned(4))) = { (counter), (flags), label }

#define __EP_IS_SIGNED(v) ((__typeof__(v))-1 < (__typeof__(v))0)
#define __EP_IS_ARRAY(x) (!__builtin_types_compatible_p(__typeof__(x), __typeof__(&(x)[0])))

static __always_inline void __ep_num(__u8 kind, __u8 counter, __u64 v, __u8 size)
{
	unsigned char *r = bpf_ringbuf_reserve(&_ep_debug_events, EP_HDR + 8, 0);

	if (!r) {
		__sync_fetch_and_add(&events_lost, 1);
		return;
	}
	r[0] = kind;
	r[1] = counter;
	r[2] = size;
	__builtin_memcpy(r + EP_HDR, &v, 8);
	bpf_ringbuf_submit(r, 0);
}

/*
 * len bytes from p, which may be kernel memory (the stack, a map value) or
 * the traced process's: the kernel read is tried first, then the user one.
 */
static __always_inline void __ep_bytes(__u8 kind, __u8 counter, const void *p, __u64 len)
{
	unsigned char *r = bpf_ringbuf_reserve(&_ep_debug_events, EP_HDR + EP_VALUE_MAX, 0);
	__u64 n = len;

	if (!r) {
		__sync_fetch_and_add(&events_lost, 1);
		return;
	}
	barrier_var(n); /* the bound below reaches the verifier */
	if (n > EP_VALUE_MAX)
		n = EP_VALUE_MAX;
	if (n && bpf_probe_read_kernel(r + EP_HDR, n, p) && bpf_probe_read_user(r + EP_HDR, n, p))
		n = 0;
	r[0] = kind;
	r[1] = counter;
	r[2] = n;
	bpf_ringbuf_submit(r, 0);
}

/* A number of up to 8 bytes, sign- or zero-extended as its type says. */
#define __EP_NUM(label, v, counter, answer)                                                      \
	do {                                                                                     \
		_Static_assert(__builtin_classify_type(v) != 5, "pass a number, not a pointer"); \
		_Static_assert(sizeof(v) <= 8, "numbers are at most 8 bytes");                   \
		__EP_LABEL(counter, label, __EP_IS_SIGNED(v) ? EP_LABEL_SIGNED : 0);             \
		__ep_num(EP_NUM | (answer), (counter), (__u64)(v), sizeof(v));                   \
	} while (0)

#define __EP_ARRAY(label, arr, counter, answer)                                                  \
	do {                                                                                     \
		_Static_assert(__EP_IS_ARRAY(arr), "a pointer has no size: use the _LEN macro"); \
		_Static_assert(sizeof(arr) <= EP_VALUE_MAX, "at most 255 bytes");                \
		__EP_LABEL(counter, label, 0);                                                   \
		__ep_bytes(EP_STR | (answer), (counter), &(arr), sizeof(arr));                   \
	} while (0)

#define __EP_LEN(label, p, len, counter, answer)                      \
	do {                                                          \
		__EP_LABEL(counter, label, 0);                        \
		__ep_bytes(EP_STR | (answer), (counter), (p), (len)); \
	} while (0)

#define __EP_STRUCT(label, s, counter)                                          \
	do {                                                                    \
		_Static_assert(__builtin_classify_type(s) != 5,                 \
			       "pass the struct itself, not a pointer to it");  \
		_Static_assert(sizeof(s) <= EP_VALUE_MAX, "at most 255 bytes"); \
		__EP_LABEL(counter, label, 0);                                  \
		__ep_bytes(EP_STRUCT, (counter), &(s), sizeof(s));              \
	} while (0)

#define DEBUG_NUM(label, n) __EP_NUM(label, n, __COUNTER__, 0)
#define DEBUG_STR(label, arr) __EP_ARRAY(label, arr, __COUNTER__, 0)
#define DEBUG_STR_LEN(label, p, len) __EP_LEN(label, p, len, __COUNTER__, 0)
#define DEBUG_STRUCT(label, s) __EP_STRUCT(label, s, __COUNTER__)
#define SUBMIT_NUM(n) __EP_NUM("answer", n, __COUNTER__, EP_ANSWER)
#define SUBMIT_STR(arr) __EP_ARRAY("answer", arr, __COUNTER__, EP_ANSWER)
#define SUBMIT_STR_LEN(p, len) __EP_LEN("answer", p, len, __COUNTER__, EP_ANSWER)

#endif
