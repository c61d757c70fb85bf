// SPDX-License-Identifier: MIT
/*
 * The perf-or-ring choice, made once: every other file reads channels.
 */
#include <errno.h>

#include "channel.h"
#include "command.h"

static bool is_ring(const struct channel *ch)
{
	return ch->map && ch->map->type == BPF_MAP_TYPE_RINGBUF;
}

/* bpf_printk's lines: no map, the trace buffer's pipe. */
static bool is_printk(const struct channel *ch)
{
	return !ch->map;
}

int channel_open_printk(struct channel *ch, const char *tracefs, struct diag *d)
{
	ch->map = NULL;
	return trace_pipe_open(&ch->tp, tracefs, d);
}

bool is_channel(const struct spec_map *m)
{
	return m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY || m->type == BPF_MAP_TYPE_RINGBUF;
}

static int channel_sample(struct channel *ch, const void *data, __u32 size)
{
	struct session *ss = ch->ss;

	/* --once is satisfied, or stdout takes no more for now: leave the rest. */
	if (ss->done || output_full(ss))
		return -ECANCELED;
	return ss->opt->cmd->print(ss, ch->map, data, size)
		       ?: (ss->done || output_full(ss) ? -ECANCELED : 0);
}

static int perf_sample(void *ctx, int cpu, const void *data, __u32 size)
{
	(void)cpu;
	return channel_sample(ctx, data, size);
}

static int ring_sample(void *ctx, const void *data, __u32 size)
{
	return channel_sample(ctx, data, size);
}

static int perf_lost(void *ctx, int cpu, __u64 lost)
{
	struct channel *ch = ctx;

	output_flush(ch->ss); /* the lines before the loss come first */
	if (ch->on_lost)
		ch->on_lost(ch, cpu, lost);
	return 0;
}

int channel_open(struct channel *ch, int map_fd, size_t pages, struct diag *d)
{
	const struct perf_buffer_ops ops = { perf_sample, perf_lost, ch };
	size_t try = pages ?: DEFAULT_BUFFER_PAGES;
	int err;

	if (is_ring(ch))
		return ringbuf_open(&ch->rb, map_fd, &(struct ringbuf_ops){ ring_sample, ch }, d);
	while ((err = perf_buffer_open(&ch->pb, map_fd, try, &ops, d)) == -EPERM && !pages &&
	       try > MIN_AUTO_PAGES)
		try /= 2;
	return err;
}

void channel_describe(const struct channel *ch, char *buf, size_t size)
{
	char name[4 * 64 + 1];

	if (is_printk(ch)) {
		fmt(buf, size, "bpf_printk: the kernel's trace_pipe, fd %d", ch->tp.fd);
		return;
	}
	escape_name(name, sizeof(name), ch->map->name); /* the object chose it */
	if (is_ring(ch))
		fmt(buf, size, "ring buffer '%s': %zu bytes", name, ch->rb.data_size);
	else
		fmt(buf, size, "perf buffer '%s': %zu rings of %zu bytes", name, ch->pb.ring_cnt,
		    ch->pb.data_size);
}

int channel_consume(struct channel *ch)
{
	int err = is_printk(ch) ? trace_pipe_consume(&ch->tp, ch->ss)
		  : is_ring(ch) ? ringbuf_consume(&ch->rb)
				: perf_buffer_consume(&ch->pb);

	/* A count of records is no error, and neither is --once stopping it. */
	return err == -ECANCELED || err > 0 ? 0 : err;
}

/* A perf buffer's rings share one epoll fd; a ring buffer is its map fd. */
int channel_fd(const struct channel *ch)
{
	return is_printk(ch) ? ch->tp.fd : is_ring(ch) ? ch->rb.map_fd : ch->pb.epoll_fd;
}

__u64 channel_lost(const struct channel *ch)
{
	return ch->pb.lost;
}

void channel_close(struct channel *ch)
{
	if (is_printk(ch)) {
		trace_pipe_close(&ch->tp);
		return;
	}
	perf_buffer_close(&ch->pb);
	ringbuf_close(&ch->rb);
}
