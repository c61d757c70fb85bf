/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CO-RE test objects are written as a libbpf user writes them: the
 * kernel's types from a vmlinux.h (bpftool btf dump ... format c), helpers
 * and CO-RE macros from libbpf-dev's <bpf/...>.  This header is all they
 * share: each sends one answer the way "mini-trace run" reads it (the
 * exercise record of include/events.h, in a ring buffer named
 * _ep_debug_events), from the
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

/* SUBMIT_NUM's record (include/events.h): kind 2 | answer 0x80, counter, size, value. */
static __always_inline void submit(__s64 n)
{
	unsigned char *r = bpf_ringbuf_reserve(&_ep_debug_events, 3 + sizeof(n), 0);

	if (!r)
		return;
	r[0] = 2 | 0x80;
	r[1] = 0;
	r[2] = sizeof(n);
	__builtin_memcpy(r + 3, &n, sizeof(n));
	bpf_ringbuf_submit(r, 0);
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
