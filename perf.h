/* SPDX-License-Identifier: MIT */
/*
 * perf events: finding a tracepoint in tracefs, attaching a BPF program to
 * it, and the per-CPU mmap rings that bpf_perf_event_output() writes into.
 * Every function returns a value >= 0 or -errno; none prints.
 */
#ifndef MINI_TRACE_PERF_H
#define MINI_TRACE_PERF_H

#include <stddef.h>
#include <linux/types.h>

#include "diag.h"

/*
 * Finds the tracefs mount (/sys/kernel/tracing, then
 * /sys/kernel/debug/tracing) and mounts it at /sys/kernel/tracing when neither
 * is there.  Writes the directory into path.
 */
int tracefs_find(char *path, size_t len);

/* The id of "<category>/<name>" from tracefs; -ENOENT if the kernel lacks it. */
int tracepoint_id(const char *tracefs, const char *target);

/*
 * Opens the tracepoint's perf event, attaches prog_fd and enables it.  One
 * event (on CPU 0) is enough: the program hangs off the tracepoint itself and
 * runs wherever it fires.  Returns the event fd; closing it detaches.
 */
int perf_attach_tracepoint(int tp_id, int prog_fd);

/*
 * Closes n attached tracepoint events (-1 entries skipped) and waits for
 * all of them to be detached.
 */
void perf_detach_all(const int *fds, size_t n);

/* CPU counts from /sys/devices/system/cpu/{possible,online}. */
int cpus_possible(void);

/* Called for each record, oldest first.  A negative return stops consuming. */
struct perf_buffer_ops {
	int (*sample)(void *ctx, int cpu, const void *data, __u32 size);
	int (*lost)(void *ctx, int cpu, __u64 lost);
	void *ctx;
};

struct perf_ring {
	int cpu;
	int fd;
	void *base;		/* the mmap: one metadata page, then data pages */
	__u64 head, tail;	/* during a pass: where the kernel was, where we are */
};

struct perf_buffer {
	int map_fd;		/* the BPF_MAP_TYPE_PERF_EVENT_ARRAY */
	int epoll_fd;		/* readable when any ring has data */
	struct perf_ring *rings;
	size_t ring_cnt;
	size_t page_size;
	size_t data_size;	/* bytes in each ring's data area */
	unsigned char *scratch;	/* a record that wraps the ring's end */
	size_t scratch_size;
	struct perf_buffer_ops ops;
	__u64 samples;		/* records delivered */
	__u64 lost;		/* records the kernel dropped, from PERF_RECORD_LOST */
};

/*
 * One PERF_COUNT_SW_BPF_OUTPUT event per online CPU, each with a ring of
 * "pages" data pages (a power of two), stored into map_fd at its CPU index.
 */
int perf_buffer_open(struct perf_buffer *pb, int map_fd, size_t pages,
		     const struct perf_buffer_ops *ops, struct diag *d);

/* Reads every complete record from every ring, oldest first; returns records read. */
int perf_buffer_consume(struct perf_buffer *pb);

/* Safe on a zeroed or half-opened buffer. */
void perf_buffer_close(struct perf_buffer *pb);

#endif
