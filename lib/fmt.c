// SPDX-License-Identifier: MIT
/*
 * The conversions fmt.h lists, one pass over the format.  Numbers are built
 * backwards in a small buffer, then padded: spaces before the sign, zeros
 * after it (as printf does: "%05d" of -3 is "-0003").
 */
#include <string.h>
#include <unistd.h>

#include "fmt.h"

struct out {
	char *p;     /* where the next byte goes */
	size_t room; /* bytes left in the buffer, the NUL's included */
	size_t len;  /* bytes the whole result has */
};

static void put(struct out *o, const char *s, size_t n, char pad_char, size_t pad)
{
	for (size_t i = 0; i < pad + n; i++, o->len++) {
		if (o->room <= 1)
			continue;
		*o->p++ = i < pad ? pad_char : s[i - pad];
		o->room--;
	}
}

/* A decimal number at *f, as for a width or precision; *f moves past it. */
static int number(const char **f)
{
	int n = 0;

	while (**f >= '0' && **f <= '9')
		n = n * 10 + *(*f)++ - '0';
	return n;
}

char *fmt_digits(char *end, unsigned long long v, unsigned base)
{
	do
		*--end = "0123456789abcdef"[v % base];
	while (v /= base);
	return end;
}

int fmt_v(char *buf, size_t size, const char *f, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *f; f++) {
		char digits[24], *s, *end = digits + sizeof(digits);
		int minus = 0, zero = 0, alt = 0, width = 0, prec = -1, size_mod = 0;
		const char *prefix = "";
		unsigned long long u;
		unsigned base = 10;
		size_t n, pad;

		if (*f != '%') {
			put(&o, f, 1, 0, 0);
			continue;
		}
		for (f++;; f++) {
			if (*f == '-')
				minus = 1;
			else if (*f == '0')
				zero = 1;
			else if (*f == '#')
				alt = 1;
			else
				break;
		}
		if (*f == '*' && f++)
			width = va_arg(ap, int);
		else
			width = number(&f);
		if (width < 0) {
			minus = 1;
			width = -width;
		}
		if (*f == '.') {
			f++;
			if (*f == '*' && f++)
				prec = va_arg(ap, int);
			else
				prec = number(&f);
		}
		for (; *f == 'l'; f++)
			size_mod++;
		if (*f == 'z' && f++)
			size_mod = 3;

		switch (*f) {
		case 's':
			s = va_arg(ap, char *);
			s = s ? s : "(null)";
			n = prec >= 0 ? strnlen(s, prec) : strlen(s);
			zero = 0;
			break;
		case 'c':
			digits[0] = (char)va_arg(ap, int);
			s = digits;
			n = 1;
			zero = 0;
			break;
		case 'd':
		case 'i': {
			long long v = size_mod == 0   ? va_arg(ap, int)
				      : size_mod == 1 ? va_arg(ap, long)
				      : size_mod == 2 ? va_arg(ap, long long)
						      : (long long)va_arg(ap, size_t);

			u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
			prefix = v < 0 ? "-" : "";
			goto digits;
		}
		case 'x':
			base = 16;
			/* fall through */
		case 'u':
			u = size_mod == 0   ? va_arg(ap, unsigned)
			    : size_mod == 1 ? va_arg(ap, unsigned long)
			    : size_mod == 2 ? va_arg(ap, unsigned long long)
					    : va_arg(ap, size_t);
			if (alt && base == 16 && u)
				prefix = "0x";
		digits:
			s = fmt_digits(end, u, base);
			n = end - s;
			break;
		case '%':
			s = "%";
			n = 1;
			zero = 0;
			break;
		default: /* not one of ours: show it, and do not read past the end */
			s = "?";
			n = 1;
			zero = 0;
			if (!*f)
				f--;
			break;
		}

		pad = (size_t)width > n + strlen(prefix) ? width - n - strlen(prefix) : 0;
		if (minus) {
			put(&o, prefix, strlen(prefix), 0, 0);
			put(&o, s, n, 0, 0);
			put(&o, "", 0, ' ', pad);
		} else if (zero) {
			put(&o, prefix, strlen(prefix), 0, 0);
			put(&o, s, n, '0', pad);
		} else {
			put(&o, prefix, strlen(prefix), ' ', pad);
			put(&o, s, n, 0, 0);
		}
	}
	if (size)
		*o.p = '\0';
	return (int)o.len;
}

int fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = fmt_v(buf, size, f, ap);
	va_end(ap);
	return n;
}

int fmt_write(int fd, const char *f, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, f);
	n = fmt_v(buf, sizeof(buf), f, ap);
	va_end(ap);
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	return (int)write(fd, buf, n);
}

/*
 * Text mode quotes bytes C-style: printable ASCII as is, \n \t \r \\ \" and
 * \xNN for the rest.  JSON mode escapes per RFC 8259 and gives each byte
 * >= 0x80 as the code point of the same value (\u0080..\u00ff), so a reader
 * recovers the exact bytes with a Latin-1 encode.  Whatever a traced
 * process or an object chose is printed through here, and messages too
 * (loader.c): no byte of theirs reaches a terminal raw, and no quote of
 * theirs ends a field early.
 */
size_t escape(char *dst, const void *src, size_t n, char quote, bool json)
{
	const unsigned char *p = src;
	char *o = dst;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		char esc = c == '\n'					       ? 'n'
			   : c == '\t'					       ? 't'
			   : c == '\r'					       ? 'r'
			   : quote && (c == (unsigned char)quote || c == '\\') ? (char)c
									       : 0;

		if (esc) {
			*o++ = '\\';
			*o++ = esc;
		} else if (c >= 0x20 && c < 0x7f) {
			*o++ = c;
		} else {
			*o++ = '\\';
			if (json) {
				*o++ = 'u';
				*o++ = '0';
				*o++ = '0';
			} else {
				*o++ = 'x';
			}
			*o++ = "0123456789abcdef"[c >> 4];
			*o++ = "0123456789abcdef"[c & 15];
		}
	}
	return o - dst;
}
