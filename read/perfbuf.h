/* SPDX-License-Identifier: MIT */
/*
 * The perf buffer (BPF_MAP_TYPE_PERF_EVENT_ARRAY): one ring per CPU, each
 * the mmap of a perf event of that CPU, which bpf_perf_event_output() writes
 * into.  Records keep their order within a CPU's ring; consume merges the
 * rings by the time the kernel stamps on each.  Every function returns a
 * value >= 0 or -errno; none prints.
 *
 * The rings are pollable through one fd: pb->epoll_fd is readable when any
 * ring has passed its wakeup mark (a share of its bytes, see perfbuf.c), so
 * poll it, or add it to an epoll set with other fds, then call
 * perf_buffer_consume().  Records below the mark wake no one: consume on a
 * timeout too.
 */
#ifndef MINI_TRACE_PERFBUF_H
#define MINI_TRACE_PERFBUF_H

#include <stddef.h>
#include <linux/types.h>

#include "diag.h"

/*
 * Called for each record, oldest first.  data points into the ring (or into
 * scratch, when the record wraps) and is valid only until the call returns.
 * A negative return stops consuming; perf_buffer_consume() passes it on.
 */
struct perf_buffer_ops {
	int (*sample)(void *ctx, int cpu, const void *data, __u32 size);
	int (*lost)(void *ctx, int cpu, __u64 lost);
	void *ctx;
};

struct perf_ring {
	int cpu;
	int fd;
	void *base;	  /* the mmap: one metadata page, then data pages */
	__u64 head, tail; /* during a pass: where the kernel was, where we are */
};

struct perf_buffer {
	int map_fd;   /* the BPF_MAP_TYPE_PERF_EVENT_ARRAY; still the caller's */
	int epoll_fd; /* readable when any ring has data */
	struct perf_ring *rings;
	size_t ring_cnt;
	size_t page_size;
	size_t data_size;	/* bytes in each ring's data area */
	unsigned char *scratch; /* a record that wraps the ring's end */
	size_t scratch_size;
	struct perf_buffer_ops ops;
	__u64 samples; /* records delivered */
	__u64 lost;    /* records the kernel dropped, from PERF_RECORD_LOST */
};

/*
 * One PERF_COUNT_SW_BPF_OUTPUT event per online CPU, each with a ring of
 * "pages" data pages (a power of two), stored into map_fd at its CPU index.
 * -EPERM when the rings are more memory than this user may lock.
 */
int perf_buffer_open(struct perf_buffer *pb, int map_fd, size_t pages,
		     const struct perf_buffer_ops *ops, struct diag *d);

/* Reads every complete record from every ring, oldest first; returns records read. */
int perf_buffer_consume(struct perf_buffer *pb);

/* Unmaps and closes the rings; safe on a zeroed or half-opened buffer.  map_fd stays open. */
void perf_buffer_close(struct perf_buffer *pb);

#endif
