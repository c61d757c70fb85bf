/* SPDX-License-Identifier: MIT */
/*
 * The BPF ring buffer (BPF_MAP_TYPE_RINGBUF, Linux 5.8): one ring shared by
 * every CPU that bpf_ringbuf_output() and bpf_ringbuf_reserve()/submit()
 * write into, read by mmap'ing the map itself.  Records come out in the order
 * they were reserved, across CPUs.  Every function returns a value >= 0 or
 * -errno; none prints.
 *
 * There is no fd of our own to wait on: the map fd is pollable.  It reports
 * EPOLLIN while the kernel's producer position is ahead of our consumer
 * position (kernel/bpf/ringbuf.c, ringbuf_map_poll_kern), so poll rb->map_fd,
 * or add it to an epoll set with other fds, then call ringbuf_consume().  It
 * can be readable while the oldest record is still being written; consume
 * then delivers nothing, and the commit of that record wakes the fd again.
 */
#ifndef MINI_TRACE_RINGBUF_H
#define MINI_TRACE_RINGBUF_H

#include <stddef.h>
#include <linux/types.h>

#include "diag.h"

/*
 * Called for each record, in ring order.  data points into the ring, 8-byte
 * aligned, and is valid only until the call returns.  A negative return stops
 * consuming; ringbuf_consume() passes it on.
 */
struct ringbuf_ops {
	int (*sample)(void *ctx, const void *data, __u32 size);
	void *ctx;
};

struct ringbuf {
	int map_fd;	/* the BPF_MAP_TYPE_RINGBUF; still the caller's */
	void *consumer; /* one page, read-write: consumer_pos */
	void *producer; /* read-only: producer_pos page, then the data area mapped twice */
	size_t page_size;
	size_t data_size; /* max_entries of the map: a power-of-two multiple of the page size */
	struct ringbuf_ops ops;
	__u64 samples;	 /* records delivered */
	__u64 discarded; /* records the program discarded (BPF_RINGBUF_DISCARD_BIT), skipped */
};

/*
 * Maps the ring of map_fd, sized from the map's max_entries.  The caller
 * keeps map_fd open while the ring is, and closes it after.
 */
int ringbuf_open(struct ringbuf *rb, int map_fd, const struct ringbuf_ops *ops, struct diag *d);

/*
 * Reads every record committed before the call, up to the first one still
 * being written; returns records delivered.  -EINVAL if the ring's positions
 * or a record's length make no sense.
 */
int ringbuf_consume(struct ringbuf *rb);

/* Unmaps the ring; safe on a zeroed or half-opened one.  map_fd stays open. */
void ringbuf_close(struct ringbuf *rb);

#endif
