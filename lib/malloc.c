// SPDX-License-Identifier: MIT
/*
 * malloc(), free(), calloc() and realloc() for the static binary, in place
 * of musl's (mallocng: a third of musl's share of the binary).  mini-trace
 * allocates some hundreds of blocks, most of them freed only at exit, so
 * the simplest allocator that reuses memory is enough:
 *
 *	small blocks	a power-of-two class of 16 bytes to 64 KiB, cut from
 *			256 KiB chunks that come from mmap(2) and are never
 *			returned; a freed block waits on its class's list for
 *			the next request of that class
 *	large blocks	mmap(2) each, munmap(2) on free
 *
 * Every block starts with a 16-byte header holding its usable size, so the
 * caller's bytes are 16-byte aligned, as malloc() promises (max_align_t).
 * A spinlock keeps the lists whole if a thread allocates (attach/ starts
 * threads that only close files).  musl's own code calls these too; its
 * internal __libc_malloc is a bump allocator that never frees.
 *
 * Built into the shipped binary only (the Makefile): the sanitizer builds
 * keep their libc's allocator, whose checks are the point of them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HDR 16
#define MIN_SHIFT 4  /* 16 bytes, header included */
#define MAX_SHIFT 16 /* 64 KiB */
#define CHUNK (256u << 10)

struct free_block {
	struct free_block *next;
};

static struct free_block *free_list[MAX_SHIFT + 1];
static unsigned char *chunk, *chunk_end;
static volatile int lock;

static void acquire(void)
{
	while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
		;
}

static void release(void)
{
	__atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}

static size_t *header(void *p)
{
	return (size_t *)((unsigned char *)p - HDR);
}

/* Not called malloc: the compiler turns malloc() + memset() into calloc(). */
static void *alloc(size_t n)
{
	unsigned int shift = MIN_SHIFT;
	unsigned char *p;

	if (n > SIZE_MAX / 2 - HDR - 4096) {
		errno = ENOMEM;
		return NULL;
	}
	while (shift <= MAX_SHIFT && ((size_t)1 << shift) < n + HDR)
		shift++;
	if (shift > MAX_SHIFT) {
		size_t len = (n + HDR + 4095) & ~(size_t)4095;

		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		*(size_t *)p = len - HDR;
		return p + HDR;
	}
	acquire();
	if (free_list[shift]) {
		p = (unsigned char *)free_list[shift];
		free_list[shift] = free_list[shift]->next;
	} else {
		if (!chunk || (size_t)(chunk_end - chunk) < ((size_t)1 << shift)) {
			chunk = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (chunk == MAP_FAILED) {
				chunk = NULL;
				release();
				return NULL;
			}
			chunk_end = chunk + CHUNK;
		}
		p = chunk + HDR;
		chunk += (size_t)1 << shift;
		*header(p) = ((size_t)1 << shift) - HDR;
	}
	release();
	return p;
}

void *malloc(size_t n)
{
	return alloc(n);
}

void free(void *p)
{
	size_t size;
	unsigned int shift = MIN_SHIFT;

	if (!p)
		return;
	size = *header(p);
	if (size + HDR > ((size_t)1 << MAX_SHIFT)) {
		munmap(header(p), size + HDR);
		return;
	}
	while (((size_t)1 << shift) < size + HDR)
		shift++;
	acquire();
	((struct free_block *)p)->next = free_list[shift];
	free_list[shift] = p;
	release();
}

void *calloc(size_t m, size_t n)
{
	void *p;

	if (n && m > SIZE_MAX / n) {
		errno = ENOMEM;
		return NULL;
	}
	p = alloc(m * n);
	return p ? memset(p, 0, m * n) : NULL;
}

void *realloc(void *p, size_t n)
{
	void *q;

	if (p && n <= *header(p))
		return p;
	q = alloc(n);
	if (q && p) {
		memcpy(q, p, *header(p));
		free(p);
	}
	return q;
}
