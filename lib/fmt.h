/* SPDX-License-Identifier: MIT */
/*
 * printf's formatting for mini-trace, without stdio: musl's printf weighs
 * 10 KB, most of it for floating point, which mini-trace never prints, and
 * stdio's buffers would only stand between us and write(2), which decides
 * what a reader sees as one piece (output.c).
 *
 * Conversions: %d %i %u %x %c %s %%, with the flags - 0 #, a width and a
 * precision (digits or *; the precision only for %s), and the sizes l, ll
 * and z.  gcc checks every call's arguments against its format, and an
 * unknown conversion prints as '?', never silently as nothing.
 */
#ifndef MINI_TRACE_FMT_H
#define MINI_TRACE_FMT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* As vsnprintf(3): the length the whole result has, buf NUL-terminated. */
int fmt_v(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int fmt(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * v in base 10 or 16, written backwards so that it ends just before end;
 * returns where it starts.  20 bytes hold any 64-bit value.
 */
char *fmt_digits(char *end, unsigned long long v, unsigned base);

/*
 * Formats into a buffer of 4 KiB and writes it to fd with one write(2), cut
 * short if it does not fit.  Returns write's result.
 */
int fmt_write(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The one escaping of bytes that the traced world chose, for stdout and for
 * messages alike: printable ASCII as is, except quote and backslash, which
 * get a backslash; \n \t \r; \xNN (JSON: \u00NN) for every other byte.
 * quote is '"' (data, and all of JSON), '\'' (names in messages), or 0:
 * only the bytes that are not printable are escaped (a whole message whose
 * names are escaped already).  dst has room for 4 * n bytes (JSON: 6 * n);
 * returns the length written, no NUL.
 */
size_t escape(char *dst, const void *src, size_t n, char quote, bool json);

#endif
