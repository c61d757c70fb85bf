/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CO-RE test objects are written as a libbpf user writes them: the
 * kernel's types from a vmlinux.h (bpftool btf dump ... format c), helpers
 * and CO-RE macros from libbpf-dev's <bpf/...>.  This header is all they
 * share: each sends one answer the way "mini-trace run" reads it (a
 * SUBMIT_NUM record, include/events.h, in the ring buffer _ep_debug_events), from the
 * process named core_probe (tests/samples/core_probe.c) when it calls
 * getppid(2).
 */
#ifndef CORE_REPORT_H
#define CORE_REPORT_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} _ep_debug_events SEC(".maps");

/* kind EP_NUM | EP_ANSWER, the call's counter, 8 valid bytes, the number. */
struct answer {
	__u8 kind;
	__u8 counter;
	__u8 len;
	__u8 n[8];
};

static __always_inline void submit(__s64 n)
{
	struct answer *a = bpf_ringbuf_reserve(&_ep_debug_events, sizeof(*a), 0);

	if (!a)
		return;
	a->kind = 2 | 0x80;
	a->counter = 0;
	a->len = sizeof(a->n);
	__builtin_memcpy(a->n, &n, sizeof(n));
	bpf_ringbuf_submit(a, 0);
}

/* The probe is the only process with this name that calls getppid(2). */
static __always_inline int is_probe(void)
{
	static const char want[] = "core_probe";
	char comm[16];

	bpf_get_current_comm(comm, sizeof(comm));
	for (int i = 0; i < (int)sizeof(want); i++)
		if (comm[i] != want[i])
			return 0;
	return 1;
}

#endif
