/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for the ebpf.party site's own ep_platform.h, written for the
 * tests: the site's record conventions ([kind | 0x80, __COUNTER__, size,
 * value] in a ring buffer named _ep_debug_events, a u8 counter, the value
 * copied with bpf_probe_read_kernel into a reservation of fixed size) and
 * nothing of ours: no label section.  tests/e2e_party.sh builds solutions
 * with -I tests/party/site first, so this file shadows include/'s.
 */
#ifndef SITE_EP_PLATFORM_H
#define SITE_EP_PLATFORM_H

#include "task.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16384);
} _ep_debug_events SEC(".maps");

#define SITE_NUM 0x02
#define SITE_STR 0x03
#define SITE_STRUCT 0x04
#define SITE_ANSWER 0x80

static __always_inline void site_record(__u8 type, __u8 counter, const void *p, __u8 valid)
{
	unsigned char *r = bpf_ringbuf_reserve(&_ep_debug_events, 255 + 3, 0);

	if (!r)
		return;
	r[0] = type;
	r[1] = counter;
	r[2] = valid;
	bpf_probe_read_kernel(r + 3, valid, p);
	bpf_ringbuf_submit(r, 0);
}

#define DEBUG_NUM(label, v)                                          \
	do {                                                         \
		__typeof__(v) _v = (v);                              \
		site_record(SITE_NUM, __COUNTER__, &_v, sizeof(_v)); \
	} while (0)
#define SUBMIT_NUM(v)                                                              \
	do {                                                                       \
		__typeof__(v) _v = (v);                                            \
		site_record(SITE_NUM | SITE_ANSWER, __COUNTER__, &_v, sizeof(_v)); \
	} while (0)
#define DEBUG_STR(label, s) site_record(SITE_STR, __COUNTER__, &(s), sizeof(s))
#define SUBMIT_STR(s) site_record(SITE_STR | SITE_ANSWER, __COUNTER__, &(s), sizeof(s))
#define DEBUG_STR_LEN(label, p, len) site_record(SITE_STR, __COUNTER__, (p), (len)&0xff)
#define SUBMIT_STR_LEN(p, len) site_record(SITE_STR | SITE_ANSWER, __COUNTER__, (p), (len)&0xff)
#define DEBUG_STRUCT(label, s) site_record(SITE_STRUCT, __COUNTER__, &(s), sizeof(s))

#endif
