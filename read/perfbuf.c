// SPDX-License-Identifier: MIT
/*
 * The perf buffer.  Where the BPF ring buffer is one ring for all CPUs
 * (ringbuf.c), a BPF_MAP_TYPE_PERF_EVENT_ARRAY holds one perf event per CPU,
 * a software event whose mmap'ed ring bpf_perf_event_output() writes into on
 * the CPU it runs on.  Each ring keeps its CPU's order; the reader merges
 * them by the time stamped on every record.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "bpf.h"
#include "kfiles.h"
#include "perf_event.h"
#include "perfbuf.h"
#include "syscalls.h"

/*
 * The ring (perf_event_open(2), "MMAP layout"): mmap() of 1 + 2^n pages.
 * The first page is struct perf_event_mmap_page; the data area follows it
 * (the kernel reports data_offset = one page and data_size = 2^n pages).
 * data_head and data_tail are byte counts that only grow, taken modulo the
 * size.  The kernel appends at data_head; because we map the ring writable,
 * it never passes data_tail, which we advance as we read, and counts what it
 * could not write as lost.
 *
 * Kernel and reader run on different CPUs, so the order of their accesses
 * is a contract (perf_output_put_handle(), kernel/events/ring_buffer.c):
 *
 *	kernel				user
 *
 *	if (LOAD ->data_tail) {		LOAD ->data_head
 *			(A)		smp_rmb()	(C)
 *		STORE $data		LOAD $data
 *		smp_wmb()	(B)	smp_mb()	(D)
 *		STORE ->data_head	STORE ->data_tail
 *	}
 *
 * B pairs with C: bytes below a head we have seen are already written.  D
 * pairs with A: we finish reading a record before we hand its space back,
 * and the kernel writes nothing until the tail says there is room.  A
 * load-acquire of data_head gives C and a store-release of data_tail gives
 * D, as tools/include/linux/ring_buffer.h does.
 */

/*
 * Our events' records: sample_type is PERF_SAMPLE_TIME | PERF_SAMPLE_RAW,
 * whose fields come in that order (perf_event_open(2), PERF_RECORD_SAMPLE).
 */
struct sample_raw {
	struct perf_event_header header;
	__u64 time;  /* perf_clock() at the output */
	__u32 size;  /* rounded up to keep the record 8-byte aligned; */
	__u8 data[]; /* the padding is stale ring bytes, not zeroes */
};

struct lost_record {
	struct perf_event_header header;
	__u64 id;
	__u64 lost; /* records dropped while the ring was full */
};

/*
 * When the ring makes poll() readable.  Each wakeup is charged to the
 * traced task: the kernel queues an irq_work on its CPU, whose interrupt
 * wakes the reader (perf_output_wakeup(), kernel/events/ring_buffer.c).
 * Woken for every record (wakeup_events = 1), a task reading the watched
 * file in a tight loop took twice the CPU per read.  With watermark set,
 * wakeup_watermark counts bytes instead of records: the reader is woken
 * each time that many more have been written.  A 32nd of the ring is
 * 32 KiB of the default 256 pages, some 400 of the password command's
 * smallest records, so the traced task pays for one wakeup in 400; and
 * the reader, once woken, may wait for a CPU while the other 31 parts
 * fill before the kernel must drop anything.  Records that never reach
 * the mark are picked up by the run loop, whose poll() times out
 * (loader.c).
 */
#define WAKEUP_FRACTION 32

static int ring_open(struct perf_buffer *pb, struct perf_ring *ring, int cpu, struct diag *d)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_TIME | PERF_SAMPLE_RAW,
		.sample_period = 1,
		.watermark = 1,
		.wakeup_watermark = pb->data_size / WAKEUP_FRACTION,
		.disabled = 1,
	};
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = cpu };
	__u32 key = cpu;
	const char *step;
	show_time t;
	void *base;
	int err;

	step = "perf_event_open";
	ring->fd = perf_event_open(&attr, -1 /* pid */, cpu, -1 /* group */, PERF_FLAG_FD_CLOEXEC);
	if (ring->fd < 0) {
		err = ring->fd;
		goto err;
	}

	step = "mmap ring";
	t = show_start(); /* -vv */
	base = mmap(NULL, pb->page_size + pb->data_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    ring->fd, 0);
	show_mmap(t, pb->page_size + pb->data_size, PROT_READ | PROT_WRITE, MAP_SHARED, ring->fd, 0,
		  base);
	if (base == MAP_FAILED && errno == EPERM)
		/* Ring pages are locked memory, charged against perf_event_mlock_kb. */
		return diag(d, -EPERM,
			    "perf: cpu %d: mmap ring of %zu KiB: more memory than this "
			    "user may lock",
			    cpu, pb->data_size >> 10);
	if (base == MAP_FAILED) {
		err = -errno;
		goto err;
	}
	ring->base = base;

	/* bpf_perf_event_output(BPF_F_CURRENT_CPU) looks its CPU up here. */
	step = "store in map";
	err = bpf_map_update_elem(pb->map_fd, &key, &ring->fd, BPF_ANY);
	if (err < 0)
		goto err;

	/* Until enabled, the event is not on its CPU and output fails. */
	step = "enable";
	err = perf_event_ioctl(ring->fd, PERF_EVENT_IOC_ENABLE, 0);
	if (err)
		goto err;

	step = "epoll_ctl";
	if (epoll_ctl(pb->epoll_fd, EPOLL_CTL_ADD, ring->fd, &ev) < 0) {
		err = -errno;
		goto err;
	}
	return 0;

err:
	return diag(d, err, "perf: cpu %d: %s: %s", cpu, step, strerror(-err));
}

int perf_buffer_open(struct perf_buffer *pb, int map_fd, size_t pages,
		     const struct perf_buffer_ops *ops, struct diag *d)
{
	__u8 *online = NULL;
	int cpu, possible, err;

	/* Everything perf_buffer_close() looks at, in a closable state. */
	memset(pb, 0, sizeof(*pb));
	pb->map_fd = map_fd;
	pb->epoll_fd = -1;
	if (ops)
		pb->ops = *ops;
	pb->page_size = sysconf(_SC_PAGESIZE);

	if (!pages || (pages & (pages - 1)) || pages >= SIZE_MAX / pb->page_size)
		return diag(d, -EINVAL, "perf: %zu pages per ring: not a power of two, or too many",
			    pages);
	pb->data_size = pages * pb->page_size;

	possible = cpus_possible();
	if (possible < 0)
		return diag(d, possible, "perf: possible cpus: %s", strerror(-possible));

	/* header.size is a __u16: no record is bigger than that. */
	pb->scratch_size = pb->data_size < UINT16_MAX ? pb->data_size : UINT16_MAX;
	pb->scratch = malloc(pb->scratch_size);
	pb->rings = calloc(possible, sizeof(*pb->rings));
	online = calloc(possible, 1);
	if (!pb->scratch || !pb->rings || !online) {
		err = diag(d, -ENOMEM, "perf: %d rings: %s", possible, strerror(ENOMEM));
		goto out;
	}

	err = cpus_online(online, possible);
	if (err < 0) {
		diag(d, err, "perf: online cpus: %s", strerror(-err));
		goto out;
	}

	pb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (pb->epoll_fd < 0) {
		err = -errno;
		diag(d, err, "perf: epoll_create1: %s", strerror(-err));
		goto out;
	}

	for (cpu = 0; cpu < possible; cpu++) {
		struct perf_ring *ring = &pb->rings[pb->ring_cnt];

		if (!online[cpu])
			continue;
		ring->cpu = cpu;
		ring->fd = -1;
		pb->ring_cnt++;
		err = ring_open(pb, ring, cpu, d);
		if (err < 0)
			goto out;
	}
	err = 0;

out:
	free(online);
	if (err < 0)
		perf_buffer_close(pb);
	return err;
}

static int record_handle(struct perf_buffer *pb, int cpu, const void *rec)
{
	const struct perf_event_header *header = rec;
	const struct sample_raw *sample = rec;
	const struct lost_record *lost = rec;
	const size_t raw = offsetof(struct sample_raw, data); /* 20: sizeof pads to 24 */

	switch (header->type) {
	case PERF_RECORD_SAMPLE:
		if (header->size < raw || sample->size > header->size - raw)
			return -EINVAL;
		pb->samples++;
		if (!pb->ops.sample)
			return 0;
		return pb->ops.sample(pb->ops.ctx, cpu, sample->data, sample->size);
	case PERF_RECORD_LOST:
		if (header->size < sizeof(*lost))
			return -EINVAL;
		pb->lost += lost->lost;
		if (!pb->ops.lost)
			return 0;
		return pb->ops.lost(pb->ops.ctx, cpu, lost->lost);
	}
	return 0;
}

/*
 * The record at ring's tail, checked to lie below its head, and its time:
 * a sample's, or 0 for a record that carries none (PERF_RECORD_LOST), which
 * then goes first.  8-byte aligned records: neither the header nor the time
 * behind it is ever split by the ring's end.
 */
static struct perf_event_header *ring_peek(struct perf_buffer *pb, struct perf_ring *ring,
					   __u64 *time)
{
	unsigned char *data = (unsigned char *)ring->base + pb->page_size;
	size_t off = ring->tail & (pb->data_size - 1);
	struct perf_event_header *header = (void *)(data + off);

	if (header->size < sizeof(*header) || header->size % 8 ||
	    header->size > ring->head - ring->tail)
		return NULL;
	*time = 0;
	if (header->type == PERF_RECORD_SAMPLE && header->size >= offsetof(struct sample_raw, data))
		memcpy(time, data + ((off + sizeof(*header)) & (pb->data_size - 1)), sizeof(*time));
	return header;
}

/*
 * Hands the record at ring's tail to the callbacks and moves the tail past
 * it.  Its data (in the ring, or in scratch when the record runs off the
 * end) is only valid until the callback returns.
 */
static int ring_take(struct perf_buffer *pb, struct perf_ring *ring,
		     struct perf_event_header *header)
{
	unsigned char *data = (unsigned char *)ring->base + pb->page_size;
	size_t off = ring->tail & (pb->data_size - 1);
	void *rec = header;

	if (off + header->size > pb->data_size) {
		/* The record runs off the end: join its two parts. */
		size_t part = pb->data_size - off;

		memcpy(pb->scratch, rec, part);
		memcpy(pb->scratch + part, data, header->size - part);
		rec = pb->scratch;
	}
	ring->tail += header->size;
	return record_handle(pb, ring->cpu, rec);
}

/*
 * One ring per CPU keeps that CPU's records in order, but says nothing of
 * how they fall among the other CPUs'.  So a pass takes, one at a time, the
 * oldest of the records at the rings' tails, by the clock the kernel stamps
 * on every sample (PERF_SAMPLE_TIME: perf_clock(), one clock for all CPUs):
 * a process that exits after its sibling, on another CPU, is reported after
 * it.  Each ring's head is read once, so the pass ends; the space of what
 * was read is given back at its end.
 */
int perf_buffer_consume(struct perf_buffer *pb)
{
	int cnt = 0, err = 0;
	size_t i;

	for (i = 0; i < pb->ring_cnt; i++) {
		struct perf_ring *ring = &pb->rings[i];
		struct perf_event_mmap_page *meta = ring->base;

		ring->head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE); /* C */
		ring->tail = meta->data_tail; /* only we write it */
		if (ring->head - ring->tail > pb->data_size)
			return -EINVAL;
	}
	while (err >= 0) {
		struct perf_event_header *header, *oldest_header = NULL;
		struct perf_ring *oldest = NULL;
		__u64 time, oldest_time = 0;

		for (i = 0; i < pb->ring_cnt; i++) {
			struct perf_ring *ring = &pb->rings[i];

			if (ring->tail == ring->head)
				continue;
			header = ring_peek(pb, ring, &time);
			if (!header) {
				err = -EINVAL;
				break;
			}
			if (!oldest || time < oldest_time) {
				oldest = ring;
				oldest_header = header;
				oldest_time = time;
			}
		}
		if (err < 0 || !oldest)
			break;
		err = ring_take(pb, oldest, oldest_header);
		cnt++;
	}
	for (i = 0; i < pb->ring_cnt; i++) {
		struct perf_event_mmap_page *meta = pb->rings[i].base;

		__atomic_store_n(&meta->data_tail, pb->rings[i].tail, __ATOMIC_RELEASE); /* D */
	}
	return err < 0 ? err : cnt;
}

void perf_buffer_close(struct perf_buffer *pb)
{
	size_t i;

	/*
	 * A zeroed buffer has no rings, and open allocates them before any fd,
	 * so fd 0 is never taken for ours.  Leaves pb zeroed: closing twice is
	 * harmless.
	 */
	if (pb->rings) {
		for (i = 0; i < pb->ring_cnt; i++) {
			if (pb->rings[i].base)
				munmap(pb->rings[i].base, pb->page_size + pb->data_size);
			if (pb->rings[i].fd >= 0)
				close(pb->rings[i].fd);
		}
		if (pb->epoll_fd >= 0)
			close(pb->epoll_fd);
	}
	free(pb->rings);
	free(pb->scratch);
	memset(pb, 0, sizeof(*pb));
}
