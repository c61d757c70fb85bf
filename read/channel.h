/* SPDX-License-Identifier: MIT */
/*
 * An output channel: where a program's records come out, read the way its
 * map type needs.  A BPF_MAP_TYPE_PERF_EVENT_ARRAY is a ring per CPU
 * (perf.c), a BPF_MAP_TYPE_RINGBUF one ring shared by all (ringbuf.c);
 * the rest of mini-trace sees one kind of thing.  Each record goes to the
 * command's print hook.
 */
#ifndef MINI_TRACE_CHANNEL_H
#define MINI_TRACE_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "output.h"
#include "perfbuf.h"
#include "ringbuf.h"
#include "spec.h"
#include "trace_pipe.h"

/*
 * Per CPU, 1 MiB of ring: at the password command's 80 bytes for a small
 * read, 13,000 records, some 17 ms of a storm of reads for the reader to be
 * late by (a busy machine's scheduler) before any is lost.  Ring pages are
 * locked kernel memory: past perf_event_mlock_kb (516 KiB per CPU by
 * default), mmap() fails with EPERM for a user without CAP_IPC_LOCK
 * (perf_mmap(), kernel/events/core.c), and the default then halves down to
 * MIN_AUTO_PAGES, which always fits.  An explicit --buffer-pages is kept.
 */
#define DEFAULT_BUFFER_PAGES 256
#define MIN_AUTO_PAGES 128

struct channel {
	struct session *ss;
	const struct spec_map *map;
	/* Told of records the kernel dropped, after the lines before them are out. */
	void (*on_lost)(const struct channel *ch, int cpu, __u64 lost);
	struct perf_buffer pb; /* BPF_MAP_TYPE_PERF_EVENT_ARRAY */
	struct ringbuf rb;     /* BPF_MAP_TYPE_RINGBUF */
	struct trace_pipe tp;  /* map NULL: bpf_printk's lines (trace_pipe.h) */
};

/* Whether records of map m can be read through a channel. */
bool is_channel(const struct spec_map *m);

/*
 * Maps the rings of map_fd, ch->ss, ch->map and ch->on_lost set: pages per
 * CPU for a perf buffer if given, else the default, halved while the
 * kernel says EPERM.
 */
int channel_open(struct channel *ch, int map_fd, size_t pages, struct diag *d);

/* A channel of bpf_printk's lines, from tracefs's trace_pipe (no map). */
int channel_open_printk(struct channel *ch, const char *tracefs, struct diag *d);

/* One line for the narration: what was mapped. */
void channel_describe(const struct channel *ch, char *buf, size_t size);

/* Hands every record waiting to the command; 0 also when --once has stopped it. */
int channel_consume(struct channel *ch);

/* The fd poll() waits on for this channel's wakeups. */
int channel_fd(const struct channel *ch);

/* Records the kernel said it dropped (a ring buffer says nothing). */
__u64 channel_lost(const struct channel *ch);

/* Safe on a zeroed or half-opened channel. */
void channel_close(struct channel *ch);

#endif
