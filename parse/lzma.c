// SPDX-License-Identifier: MIT
/*
 * LZMA, decoded (the LZMA SDK's doc/lzma-specification.txt, whose names
 * this follows).  It packs the embedded objects two fifths smaller than
 * LZ4 did, for about 2 KB of decoder.  The stream is a range coder's:
 * every bit is decoded against a probability that adapts to the bits seen
 * in the same context, and the bits spell, one after another,
 *
 *   literal    a byte, in the context of the byte before it (after a
 *              match, of the byte the last distance points at too)
 *   match      a length and a distance back into the output
 *   rep        a length, with one of the last four distances reused
 *   short rep  one byte, at the last distance
 *
 * A state of 12 values remembers the kinds of the last few packets, and
 * with the position's low bits (pb) picks the probabilities that say which
 * kind comes next.  tools/pack.sh makes the input with xz(1).
 */
#include <stdint.h>
#include <stdlib.h>

#include "lzma.h"

#define PROB_BITS 11
#define PROB_INIT (1u << (PROB_BITS - 1))
#define MOVE_BITS 5

/* Offsets in the one array of probabilities (pb up to 4: 16 states). */
enum {
	IS_MATCH = 0,		       /* [12][16] */
	IS_REP = IS_MATCH + 192,       /* [12] */
	IS_REP_G0 = IS_REP + 12,       /* [12] */
	IS_REP_G1 = IS_REP_G0 + 12,    /* [12] */
	IS_REP_G2 = IS_REP_G1 + 12,    /* [12] */
	IS_REP0_LONG = IS_REP_G2 + 12, /* [12][16] */
	POS_SLOT = IS_REP0_LONG + 192, /* [4][64] */
	POS_SPECIAL = POS_SLOT + 256,  /* 115: distance bits below slot 14 */
	ALIGN = POS_SPECIAL + 115,     /* [16]: a long distance's low 4 bits */
	LEN = ALIGN + 16,	       /* a length coder: 514 */
	REP_LEN = LEN + 514,	       /* another, for reps */
	LITERAL = REP_LEN + 514,       /* [0x300 << (lc + lp)] */
	/* Within a length coder. */
	CHOICE = 0,
	CHOICE2 = 1,
	LOW = 2,	 /* [16][8]: lengths 2 to 9 */
	MID = LOW + 128, /* [16][8]: 10 to 17 */
	HIGH = MID + 128 /* [256]: 18 to 273 */
};

struct rc {
	const unsigned char *ip, *end;
	uint32_t range, code;
	uint16_t *p;
	int bad; /* read past the input */
};

static unsigned char next(struct rc *rc)
{
	if (rc->ip == rc->end) {
		rc->bad = 1;
		return 0;
	}
	return *rc->ip++;
}

static void normalize(struct rc *rc)
{
	if (rc->range < 1u << 24) {
		rc->range <<= 8;
		rc->code = rc->code << 8 | next(rc);
	}
}

static unsigned bit(struct rc *rc, unsigned i)
{
	uint16_t *p = &rc->p[i];
	uint32_t bound = (rc->range >> PROB_BITS) * *p;
	unsigned b = rc->code >= bound;

	if (b) {
		rc->range -= bound;
		rc->code -= bound;
		*p -= *p >> MOVE_BITS;
	} else {
		rc->range = bound;
		*p += ((1u << PROB_BITS) - *p) >> MOVE_BITS;
	}
	normalize(rc);
	return b;
}

/* n bits, high first, through a tree of probabilities at base. */
static unsigned tree(struct rc *rc, unsigned base, int n)
{
	unsigned m = 1;

	for (int i = 0; i < n; i++)
		m = m << 1 | bit(rc, base + m);
	return m - (1u << n);
}

/* n bits, low first. */
static unsigned tree_rev(struct rc *rc, unsigned base, int n)
{
	unsigned m = 1, v = 0;

	for (int i = 0; i < n; i++) {
		unsigned b = bit(rc, base + m);

		m = m << 1 | b;
		v |= b << i;
	}
	return v;
}

/* A length less 2, from the coder at base, for position state ps. */
static unsigned length(struct rc *rc, unsigned base, unsigned ps)
{
	if (!bit(rc, base + CHOICE))
		return tree(rc, base + LOW + ps * 8, 3);
	if (!bit(rc, base + CHOICE2))
		return 8 + tree(rc, base + MID + ps * 8, 3);
	return 16 + tree(rc, base + HIGH, 8);
}

/* A match's distance less 1; 0xffffffff is the end marker. */
static uint32_t distance(struct rc *rc, unsigned len)
{
	unsigned slot = tree(rc, POS_SLOT + (len < 3 ? len : 3) * 64, 6), n;
	uint32_t d;

	if (slot < 4)
		return slot;
	n = (slot >> 1) - 1;
	d = (2 | (slot & 1)) << n;
	if (slot < 14)
		return d + tree_rev(rc, POS_SPECIAL + d - slot, n);
	/* The middle bits at probability one half, the low four modelled. */
	for (n -= 4; n; n--) {
		rc->range >>= 1;
		uint32_t t = rc->code >= rc->range;

		rc->code -= rc->range & -t;
		d += t << (n + 3);
		normalize(rc);
	}
	return d + tree_rev(rc, ALIGN, 4);
}

void *lzma_unpack(const unsigned char *src, size_t src_len, size_t *size)
{
	struct rc rc = { .ip = src + 5, .end = src + src_len, .range = 0xffffffff };
	unsigned lc, lp, pb, state = 0, len;
	uint32_t rep[4] = { 0 }, d;
	unsigned char *out = NULL;
	size_t n = 0, np, i;

	if (src_len < 10 || src[4] >= 9 * 5 * 5)
		return NULL;
	lc = src[4] % 9;
	lp = src[4] / 9 % 5;
	pb = src[4] / 45;
	if (lc + lp > 4)
		return NULL;
	*size = src[0] | src[1] << 8 | src[2] << 16 | (size_t)src[3] << 24;
	np = LITERAL + (0x300u << (lc + lp));
	rc.p = malloc(np * sizeof(*rc.p));
	out = malloc(*size ?: 1);
	if (!rc.p || !out || next(&rc))
		goto bad;
	for (i = 0; i < np; i++)
		rc.p[i] = PROB_INIT;
	for (i = 0; i < 4; i++)
		rc.code = rc.code << 8 | next(&rc);

	/* Packets until the end marker, which must come right at *size. */
	while (!rc.bad) {
		unsigned ps = n & ((1u << pb) - 1);

		if (!bit(&rc, IS_MATCH + state * 16 + ps)) {
			if (n == *size)
				goto bad;
			unsigned prev = n ? out[n - 1] : 0, sym = 1;
			unsigned base = LITERAL + 0x300 * (((n & ((1u << lp) - 1)) << lc) +
							   (prev >> (8 - lc)));
			if (state >= 7) {
				/* After a match: the byte at the last distance guides. */
				unsigned m = out[n - rep[0] - 1], mb;

				do {
					mb = m >> 7 & 1;
					m <<= 1;
					sym = sym << 1 | bit(&rc, base + ((1 + mb) << 8) + sym);
				} while (sym < 0x100 && (sym & 1) == mb);
			}
			while (sym < 0x100)
				sym = sym << 1 | bit(&rc, base + sym);
			out[n++] = sym;
			state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
			continue;
		}
		if (bit(&rc, IS_REP + state)) {
			if (!n || n == *size)
				goto bad;
			if (!bit(&rc, IS_REP_G0 + state)) {
				if (!bit(&rc, IS_REP0_LONG + state * 16 + ps)) {
					state = state < 7 ? 9 : 11;
					out[n] = out[n - rep[0] - 1];
					n++;
					continue;
				}
			} else {
				if (!bit(&rc, IS_REP_G1 + state)) {
					d = rep[1];
				} else {
					if (!bit(&rc, IS_REP_G2 + state)) {
						d = rep[2];
					} else {
						d = rep[3];
						rep[3] = rep[2];
					}
					rep[2] = rep[1];
				}
				rep[1] = rep[0];
				rep[0] = d;
			}
			len = length(&rc, REP_LEN, ps);
			state = state < 7 ? 8 : 11;
		} else {
			rep[3] = rep[2];
			rep[2] = rep[1];
			rep[1] = rep[0];
			len = length(&rc, LEN, ps);
			state = state < 7 ? 7 : 10;
			rep[0] = distance(&rc, len);
			if (rep[0] == 0xffffffff)
				break; /* the end marker */
			if (rep[0] >= n)
				goto bad;
		}
		for (len += 2; len; len--, n++) {
			if (n == *size)
				goto bad;
			out[n] = out[n - rep[0] - 1];
		}
	}
	/* The encoder's last bytes leave the code at 0 (the spec's end). */
	if (n == *size && !rc.bad && !rc.code && rc.ip == rc.end) {
		free(rc.p);
		return out;
	}
bad:
	free(rc.p);
	free(out);
	return NULL;
}
