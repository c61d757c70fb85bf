/* SPDX-License-Identifier: MIT */
/*
 * The embedded BPF objects are stored compressed (objects.S): ELF objects are
 * mostly zeros, section headers and BTF strings, and shrink to a third.  The
 * format is LZ4's block format, decoded here; tools/pack.c encodes it at
 * build time.
 */
#ifndef MINI_TRACE_LZ4_H
#define MINI_TRACE_LZ4_H

#include <stddef.h>

/*
 * A packed object is its size as 4 bytes, little-endian, then one LZ4 block.
 * Returns the unpacked bytes (malloc'd) and their count in *size, or NULL if
 * the input is not a well-formed packed object or memory runs out.
 */
void *lz4_unpack(const unsigned char *src, size_t src_len, size_t *size);

#endif
