// SPDX-License-Identifier: MIT
/*
 * The BPF ring buffer.  Where the perf buffer gives each CPU a ring of its
 * own, a BPF_MAP_TYPE_RINGBUF is one ring for all of them: records keep the
 * order in which programs reserved them, and no CPU's ring sits idle while
 * another overflows.  A program copies a record in (bpf_ringbuf_output), or
 * reserves space, fills it in place and then submits or discards it
 * (bpf_ringbuf_reserve/submit/discard).  User space reads the map's own
 * memory: no perf event, no system call per record.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "bpf.h"
#include "ringbuf.h"
#include "syscalls.h"

/*
 * The map's memory (struct bpf_ringbuf, kernel/bpf/ringbuf.c), by mmap()
 * offset into the map fd:
 *
 *	0			consumer_pos	one page, the only one we may
 *						map writable
 *	page			producer_pos	one page (since 6.10 pending_pos
 *						too, the producers' business)
 *	2 pages			data		data_size bytes
 *	2 pages + data_size	data again	the same pages, mapped twice
 *
 * The kernel maps the data pages twice, back to back, and lets us map them
 * the same way: a record that runs off the end of the data area continues
 * byte for byte into the second copy, so the reader never joins two parts
 * (perfbuf.c has to).  Only the consumer page may be mapped writable
 * (ringbuf_map_mmap_kern), hence two mappings.
 *
 * consumer_pos and producer_pos are byte counts that only grow, taken modulo
 * data_size.  They are unsigned longs and wrap on a 32-bit kernel, so they
 * are compared by their difference, never with <.  Between them lie records,
 * each starting 8-byte aligned:
 *
 *	struct bpf_ringbuf_hdr {
 *		u32 len;	payload bytes, | BPF_RINGBUF_BUSY_BIT (31)
 *				| BPF_RINGBUF_DISCARD_BIT (30)
 *		u32 pg_off;	the kernel's way back from record to ring
 *	};
 *	payload			len bytes, padded to a multiple of 8
 *
 * A producer reserves under a spinlock: it writes len | BUSY and moves
 * producer_pos past the record.  Committing clears BUSY, and sets DISCARD
 * for bpf_ringbuf_discard().  Producers on other CPUs reserve and commit
 * later records meanwhile, so a BUSY record can sit in front of finished
 * ones: the reader stops at it and waits, which is what keeps the order.
 * The ring is full when a record would put producer_pos data_size or more
 * ahead of consumer_pos, so the largest payload is data_size - 16 bytes.
 * bpf_ringbuf_output() then returns -EAGAIN and bpf_ringbuf_reserve() NULL;
 * unlike perf, nothing counts the loss for us.
 *
 * Kernel and reader run on different CPUs, so the order of their accesses
 * is a contract (__bpf_ringbuf_reserve(), bpf_ringbuf_commit()):
 *
 *	producer				reader
 *
 *	LOAD-ACQUIRE ->consumer_pos	(A)	LOAD-ACQUIRE ->producer_pos	(C)
 *	STORE hdr->len = len | BUSY		LOAD-ACQUIRE hdr->len		(D)
 *	STORE-RELEASE ->producer_pos	(B)	if BUSY: stop
 *	STORE $data				LOAD $data
 *	XCHG hdr->len = len [| DISCARD]	(E)	STORE-RELEASE ->consumer_pos	(F)
 *
 * B pairs with C: every header below a producer_pos we have seen is written,
 * BUSY or not.  E, a full barrier, pairs with D: once we see BUSY clear, we
 * see the whole payload.  F pairs with A: we are done with a record before
 * its space is handed out again.
 *
 * Wakeups ride on the same positions.  A commit wakes the map fd's pollers
 * only if its record is at consumer_pos, that is if the reader has caught up
 * with it (or the program passed BPF_RB_FORCE_WAKEUP; BPF_RB_NO_WAKEUP never
 * wakes).  So consumer_pos is released after every record, as libbpf does:
 * the space comes back sooner, and when we stop at a BUSY record,
 * consumer_pos already points at it and its commit wakes us.
 */

/* The ring bytes a record takes: header, payload, padding to 8. */
static size_t record_size(__u32 len)
{
	len &= ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
	return ((size_t)len + BPF_RINGBUF_HDR_SZ + 7) & ~(size_t)7;
}

int ringbuf_open(struct ringbuf *rb, int map_fd, const struct ringbuf_ops *ops, struct diag *d)
{
	struct bpf_map_info info;
	__u32 info_len = sizeof(info);
	const char *step;
	show_time t;
	void *ptr;
	int err;

	/* Everything ringbuf_close() looks at, in a closable state. */
	memset(rb, 0, sizeof(*rb));
	rb->map_fd = map_fd;
	if (ops)
		rb->ops = *ops;
	rb->page_size = sysconf(_SC_PAGESIZE);

	/* Zeroed: the kernel insists on zeroes past the fields it knows. */
	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info_by_fd(map_fd, &info, &info_len);
	if (err < 0)
		return diag(d, err, "ringbuf: map fd %d: info: %s", map_fd, strerror(-err));
	if (info.type != BPF_MAP_TYPE_RINGBUF)
		return diag(d, -EINVAL, "ringbuf: map '%s' is not a ringbuf (type %u)", info.name,
			    info.type);
	/*
	 * BPF_F_RB_OVERWRITE (1 << 19, newer than 6.18) lets producers run over
	 * records not yet read, which breaks the contract above: accept no flag
	 * but NUMA placement.
	 */
	if (info.map_flags & ~BPF_F_NUMA_NODE)
		return diag(d, -EOPNOTSUPP,
			    "ringbuf: map '%s': flags %#x: not a mode this reader knows", info.name,
			    info.map_flags);
	/* The kernel's own rule (ringbuf_map_alloc): anything else is not a ring we know. */
	if (!info.max_entries || (info.max_entries & (info.max_entries - 1)) ||
	    info.max_entries % rb->page_size)
		return diag(d, -EINVAL,
			    "ringbuf: map '%s': %u bytes: not a power-of-two number of pages",
			    info.name, info.max_entries);
	if (info.max_entries > (SIZE_MAX - rb->page_size) / 2)
		return diag(d, -E2BIG, "ringbuf: map '%s': %u bytes: too big to map twice",
			    info.name, info.max_entries);
	rb->data_size = info.max_entries;

	step = "mmap consumer page";
	t = show_start(); /* -vv */
	ptr = mmap(NULL, rb->page_size, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	show_mmap(t, rb->page_size, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0, ptr);
	if (ptr == MAP_FAILED) {
		err = -errno;
		goto err;
	}
	rb->consumer = ptr;

	step = "mmap producer page and data";
	t = show_start();
	ptr = mmap(NULL, rb->page_size + 2 * rb->data_size, PROT_READ, MAP_SHARED, map_fd,
		   rb->page_size);
	show_mmap(t, rb->page_size + 2 * rb->data_size, PROT_READ, MAP_SHARED, map_fd,
		  rb->page_size, ptr);
	if (ptr == MAP_FAILED) {
		err = -errno;
		goto err;
	}
	rb->producer = ptr;
	return 0;

err:
	ringbuf_close(rb);
	return diag(d, err, "ringbuf: map '%s': %s: %s", info.name, step, strerror(-err));
}

/*
 * Hands each committed record between consumer_pos and a snapshot of
 * producer_pos to the callback, skipping discarded ones, and gives each
 * record's space back once the callback returns.  Records committed after
 * the snapshot are left for the next call: a busy producer cannot keep us
 * here forever.
 */
int ringbuf_consume(struct ringbuf *rb)
{
	unsigned long *consumer_pos = rb->consumer;
	const unsigned long *producer_pos = rb->producer;
	const unsigned char *data = (const unsigned char *)rb->producer + rb->page_size;
	unsigned long cons, prod;
	int cnt = 0, err = 0;

	cons = *consumer_pos;					/* only we write it */
	prod = __atomic_load_n(producer_pos, __ATOMIC_ACQUIRE); /* C */
	/* The kernel never lets producer_pos get data_size ahead of us. */
	if (cons % 8 || prod - cons > rb->data_size)
		return -EINVAL;

	while (cons != prod && cnt < INT_MAX) { /* the count is our return value */
		/* 8-byte aligned records: a header never wraps. */
		const unsigned char *rec = data + (cons & (rb->data_size - 1));
		__u32 len = __atomic_load_n((const __u32 *)rec, __ATOMIC_ACQUIRE); /* D */
		size_t size = record_size(len);

		if (len & BPF_RINGBUF_BUSY_BIT)
			break;
		/*
		 * A record ends at or before producer_pos.  A length that says
		 * otherwise is corrupt, and trusting it could carry the walk
		 * past the second copy of the data.
		 */
		if (size > prod - cons) {
			err = -EINVAL;
			break;
		}
		if (len & BPF_RINGBUF_DISCARD_BIT) {
			rb->discarded++;
		} else {
			rb->samples++;
			cnt++;
			if (rb->ops.sample)
				err = rb->ops.sample(rb->ops.ctx, rec + BPF_RINGBUF_HDR_SZ, len);
		}
		cons += size;
		__atomic_store_n(consumer_pos, cons, __ATOMIC_RELEASE); /* F */
		if (err < 0)
			break;
	}
	return err < 0 ? err : cnt;
}

void ringbuf_close(struct ringbuf *rb)
{
	/* Leaves rb zeroed: closing twice is harmless. */
	if (rb->producer)
		munmap(rb->producer, rb->page_size + 2 * rb->data_size);
	if (rb->consumer)
		munmap(rb->consumer, rb->page_size);
	memset(rb, 0, sizeof(*rb));
}
