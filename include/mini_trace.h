/* SPDX-License-Identifier: MIT */
/*
 * The exercise API, for programs run with "mini-trace run": answers go out
 * with SUBMIT_NUM(n), SUBMIT_STR(array) or SUBMIT_STR_LEN(ptr, len), and
 * debugging output with DEBUG_NUM, DEBUG_STR, DEBUG_STR_LEN and
 * DEBUG_STRUCT(s).  None of them needs the program's context: records go
 * through a BPF ring buffer (Linux 5.8+), not a perf buffer.
 *
 *	#include "mini_trace.h"
 *
 *	SEC("tracepoint/syscalls/sys_enter_exit_group")
 *	int on_exit(struct trace_event_raw_sys_enter *ctx)
 *	{
 *		SUBMIT_NUM(ctx->args[0]);
 *		return 0;
 *	}
 */
#ifndef MINI_TRACE_H
#define MINI_TRACE_H

#include "bpf_helpers.h"
#include "tracepoint.h"
#include "events.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} mt_events SEC(".maps");

/* In .bss: the records this object made, and those the full ring refused. */
static __u64 mt_seq;
DEFINE_EVENTS_LOST;

static __always_inline void mt_num(__u8 answer, __s64 n)
{
	struct mt_record *r = bpf_ringbuf_reserve(&mt_events, sizeof(*r) + sizeof(n), 0);

	if (!r) {
		__sync_fetch_and_add(&events_lost, 1);
		return;
	}
	/* An atomic add (BPF_XADD works on every kernel), then a read. */
	__sync_fetch_and_add(&mt_seq, 1);
	r->seq = mt_seq;
	r->kind = MT_NUM;
	r->answer = answer;
	r->len = sizeof(n);
	r->truncated = 0;
	__builtin_memcpy(r->data, &n, sizeof(n));
	bpf_ringbuf_submit(r, 0);
}

/*
 * Copies len bytes from p, which may point into the program's stack or a
 * map (kernel memory) or into the traced process (user memory): the kernel
 * read is tried first, then the user one.
 */
static __always_inline void mt_bytes(__u8 kind, __u8 answer, const void *p, __u64 len, __u64 max)
{
	struct mt_record *r = bpf_ringbuf_reserve(&mt_events, sizeof(*r) + MT_DATA_MAX, 0);
	__u64 n = len < max ? len : max;

	if (!r) {
		__sync_fetch_and_add(&events_lost, 1);
		return;
	}
	barrier_var(n); /* the bound below reaches the verifier */
	if (n > MT_DATA_MAX)
		n = MT_DATA_MAX;
	if (n && bpf_probe_read_kernel(r->data, n, p) && bpf_probe_read_user(r->data, n, p))
		n = 0;
	__sync_fetch_and_add(&mt_seq, 1);
	r->seq = mt_seq;
	r->kind = kind;
	r->answer = answer;
	r->len = n;
	r->truncated = len - n;
	bpf_ringbuf_submit(r, 0);
}

#define SUBMIT_NUM(n) mt_num(1, (__s64)(n))
#define DEBUG_NUM(n) mt_num(0, (__s64)(n))
#define SUBMIT_STR(arr) mt_bytes(MT_STR, 1, (arr), sizeof(arr), MT_STR_MAX)
#define DEBUG_STR(arr) mt_bytes(MT_STR, 0, (arr), sizeof(arr), MT_STR_MAX)
#define SUBMIT_STR_LEN(ptr, len) mt_bytes(MT_STR, 1, (ptr), (len), MT_STR_MAX)
#define DEBUG_STR_LEN(ptr, len) mt_bytes(MT_STR, 0, (ptr), (len), MT_STR_MAX)
#define DEBUG_STRUCT(s) mt_bytes(MT_STRUCT, 0, &(s), sizeof(s), MT_DATA_MAX)

#endif
