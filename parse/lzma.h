/* SPDX-License-Identifier: MIT */
/*
 * The embedded BPF objects are stored compressed (objects.S): ELF objects are
 * mostly zeros, section headers and BTF strings, and shrink to a quarter.
 * The format is LZMA's (lzma.c), made at build time by xz(1)
 * (tools/pack.sh).
 */
#ifndef MINI_TRACE_LZMA_H
#define MINI_TRACE_LZMA_H

#include <stddef.h>

/*
 * A packed object is its size as 4 bytes, little-endian, LZMA's properties
 * byte (lc + lp * 9 + pb * 45), then a raw LZMA stream that ends with the
 * end marker.  Returns the unpacked bytes (malloc'd) and their count in
 * *size, or NULL if the input is not a well-formed packed object or memory
 * runs out.
 */
void *lzma_unpack(const unsigned char *src, size_t src_len, size_t *size);

#endif
