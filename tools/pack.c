// SPDX-License-Identifier: MIT
/*
 * pack IN OUT: the build step that compresses a BPF object for objects.S.
 * OUT is IN's size (4 bytes, little-endian) and one block in LZ4's block
 * format, which lz4.c decodes when mini-trace starts.
 *
 * The parse is optimal for the format's costs, which is cheap at these sizes
 * (tens of KiB): for every position, the longest match within the 64 KiB
 * window is found through hash chains, then a pass from the end picks, at
 * each position, a literal or a match of some length, whichever leads to the
 * fewest bytes from there on.  The format's rules for the end of a block are
 * kept: the last 5 bytes are literals, and no match starts in the last 12.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_MATCH 4
#define WINDOW 65535
#define HASH_BITS 16
#define LAST_LITERALS 5
#define MFLIMIT 12

static unsigned hash4(const unsigned char *p)
{
	unsigned v = p[0] | p[1] << 8 | p[2] << 16 | (unsigned)p[3] << 24;

	return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* Bytes to write a length beyond a nibble: 0 below 15, then one per 255. */
static size_t ext_bytes(size_t len)
{
	return len < 15 ? 0 : (len - 15) / 255 + 1;
}

static void put_length(unsigned char **op, size_t len)
{
	if (len < 15)
		return;
	for (len -= 15; len >= 255; len -= 255)
		*(*op)++ = 255;
	*(*op)++ = (unsigned char)len;
}

static unsigned char *encode(const unsigned char *in, size_t n, size_t *out_len)
{
	size_t *best_len = calloc(n + 1, sizeof(size_t)), *best_off = calloc(n + 1, sizeof(size_t));
	size_t *cost = calloc(n + 1, sizeof(size_t)), *step = calloc(n + 1, sizeof(size_t));
	long *head = malloc((1u << HASH_BITS) * sizeof(long)),
	     *prev = malloc((n + 1) * sizeof(long));
	unsigned char *out = malloc(n + n / 255 + 16), *op = out;
	size_t limit = n > MFLIMIT ? n - MFLIMIT : 0, lit = 0, i;

	if (!best_len || !best_off || !cost || !step || !head || !prev || !out)
		return NULL;
	memset(head, -1, (1u << HASH_BITS) * sizeof(long));

	/* The longest match at each position where one may start. */
	for (i = 0; i < limit; i++) {
		unsigned h = hash4(in + i);
		size_t max = n - LAST_LITERALS - i;

		for (long j = head[h]; j >= 0 && i - (size_t)j <= WINDOW; j = prev[j]) {
			size_t len = 0;

			while (len < max && in[j + len] == in[i + len])
				len++;
			if (len >= MIN_MATCH && len > best_len[i]) {
				best_len[i] = len;
				best_off[i] = i - j;
			}
		}
		prev[i] = head[h];
		head[h] = (long)i;
	}

	/*
	 * cost[i]: bytes to encode in[i..n).  A literal costs its byte; a match
	 * its token, offset and length bytes (the token it shares with the
	 * literals before it is counted with the match).
	 */
	for (i = n; i-- > 0;) {
		cost[i] = cost[i + 1] + 1;
		step[i] = 0;
		for (size_t len = MIN_MATCH; len <= best_len[i]; len++) {
			size_t c = 3 + ext_bytes(len - MIN_MATCH) + cost[i + len];

			if (c < cost[i]) {
				cost[i] = c;
				step[i] = len;
			}
		}
	}

	/* Emit the chosen sequences. */
	op += 4;
	for (i = 0;;) {
		size_t start = i, len, off;

		while (i < n && !step[i])
			i++;
		lit = i - start;
		len = i < n ? step[i] : 0;
		off = i < n ? best_off[i] : 0;
		*op++ = (unsigned char)((lit < 15 ? lit : 15) << 4 |
					(!len			? 0
					 : len - MIN_MATCH < 15 ? len - MIN_MATCH
								: 15));
		put_length(&op, lit);
		memcpy(op, in + start, lit);
		op += lit;
		if (i == n)
			break;
		*op++ = off & 0xff;
		*op++ = off >> 8;
		put_length(&op, len - MIN_MATCH);
		i += len;
	}
	out[0] = n & 0xff;
	out[1] = n >> 8 & 0xff;
	out[2] = n >> 16 & 0xff;
	out[3] = n >> 24 & 0xff;
	*out_len = op - out;
	free(best_len);
	free(best_off);
	free(cost);
	free(step);
	free(head);
	free(prev);
	return out;
}

int main(int argc, char **argv)
{
	FILE *f;
	unsigned char *in, *out;
	long n;
	size_t out_len;

	if (argc != 3) {
		fprintf(stderr, "usage: pack IN OUT\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		perror(argv[1]);
		return 1;
	}
	in = malloc(n + 1);
	if (!in || fread(in, 1, n, f) != (size_t)n) {
		fprintf(stderr, "pack: %s: cannot read\n", argv[1]);
		return 1;
	}
	fclose(f);
	out = encode(in, n, &out_len);
	f = fopen(argv[2], "wb");
	if (!out || !f || fwrite(out, 1, out_len, f) != out_len || fclose(f)) {
		fprintf(stderr, "pack: %s: cannot write\n", argv[2]);
		return 1;
	}
	return 0;
}
