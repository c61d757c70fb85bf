// SPDX-License-Identifier: MIT
/*
 * The LZ4 block format, decoded (lz4/doc/lz4_Block_format.md).  A block is a
 * run of sequences, each a token byte, literals, then a match:
 *
 *   token         high 4 bits: literal count, low 4: match length - 4; a
 *                 nibble of 15 goes on in the following bytes, each added
 *                 to it, until one is not 255
 *   literals      copied as they are
 *   offset        2 bytes, little-endian: how far back the match starts
 *   match length  the rest of the low nibble, extended the same way
 *
 * The last sequence has literals only.  A match may overlap the bytes it
 * produces (offset 1 repeats one byte), so it is copied a byte at a time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lz4.h"

/* A nibble's value, extended by the bytes that follow it. */
static int length(const unsigned char **ip, const unsigned char *end, size_t *len)
{
	unsigned char b;

	if (*len != 15)
		return 0;
	do {
		if (*ip == end)
			return -1;
		b = *(*ip)++;
		*len += b;
	} while (b == 255);
	return 0;
}

void *lz4_unpack(const unsigned char *src, size_t src_len, size_t *size)
{
	const unsigned char *ip = src + 4, *end = src + src_len;
	unsigned char *dst, *op, *oend;
	size_t len, off;

	if (src_len < 5)
		return NULL;
	*size = src[0] | src[1] << 8 | src[2] << 16 | (size_t)src[3] << 24;
	dst = malloc(*size ?: 1);
	if (!dst)
		return NULL;
	op = dst;
	oend = dst + *size;
	while (ip < end) {
		unsigned char token = *ip++;

		len = token >> 4;
		if (length(&ip, end, &len) || len > (size_t)(end - ip) || len > (size_t)(oend - op))
			goto bad;
		memcpy(op, ip, len);
		op += len;
		ip += len;
		if (ip == end)
			break;
		if (end - ip < 2)
			goto bad;
		off = ip[0] | ip[1] << 8;
		ip += 2;
		len = token & 15;
		if (!off || off > (size_t)(op - dst) || length(&ip, end, &len) ||
		    len + 4 > (size_t)(oend - op))
			goto bad;
		for (len += 4; len; len--, op++)
			*op = op[-off];
	}
	if (op == oend)
		return dst;
bad:
	free(dst);
	return NULL;
}
