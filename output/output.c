// SPDX-License-Identifier: MIT
/*
 * Lines on stdout.  The commands (cmd_*.c) build one event per line with
 * the helpers here, text or JSON, everything a traced process chose
 * escaped; the lines are written out at the end of each pass over the
 * rings so a script reading a pipe sees them at once.  Nothing here talks
 * to BPF or perf, and nothing prints to stderr: problems are counted in
 * the session or returned to main.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"
#include "output.h"

/*
 * Lines are written in batches of whole lines, each batch one write(2) of
 * at most PIPE_BUF bytes, once the next line would not fit and at the end
 * of every pass over the rings (loader.c).  The traced command often shares
 * our stdout: a pipe never splits a write of up to PIPE_BUF bytes
 * (pipe(7)), and writes to a regular file through one shared file offset
 * land whole (f_pos_lock, since 3.14), so its lines and ours never cut
 * into each other.  A line longer than PIPE_BUF gets a write of its own.
 * One write per line was that safe too, but a storm of events outran it.
 */

/* Writes all n bytes to stdout; a pipe may take a long write in parts. */
static int out_write(struct session *ss, const char *p, size_t n)
{
	struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };

	while (n && !ss->broken_pipe) {
		ssize_t w = write(STDOUT_FILENO, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		/* A non-blocking stdout (inherited O_NONBLOCK) is waited for. */
		if (w < 0 && errno == EAGAIN && poll(&pfd, 1, -1) >= 0)
			continue;
		if (w <= 0) {
			/* A closed stdout (a pipe into head, say) ends the run. */
			ss->broken_pipe = true;
			ss->done = true;
			break;
		}
		p += w;
		n -= (size_t)w;
	}
	return ss->broken_pipe ? -EPIPE : 0;
}

int output_flush(struct session *ss)
{
	struct out_buf *o = &ss->out;
	int err;

	if (!o->line)
		return ss->broken_pipe ? -EPIPE : 0;
	err = out_write(ss, o->buf, o->line);
	memmove(o->buf, o->buf + o->line, o->len - o->line);
	o->len -= o->line;
	o->line = 0;
	return err;
}

void output_close(struct session *ss)
{
	output_flush(ss);
	free(ss->out.buf);
	ss->out = (struct out_buf){ 0 };
}

/* Room for n more bytes of the line being built, or NULL (nomem is set). */
static char *out_room(struct session *ss, size_t n)
{
	struct out_buf *o = &ss->out;
	size_t cap = o->cap ? o->cap : 2 * PIPE_BUF;
	char *grown;

	if (o->nomem)
		return NULL;
	while (cap - o->len < n)
		cap *= 2;
	if (cap != o->cap) {
		grown = realloc(o->buf, cap);
		if (!grown) {
			o->nomem = true;
			return NULL;
		}
		o->buf = grown;
		o->cap = cap;
	}
	return o->buf + o->len;
}

void out_put(struct session *ss, const void *p, size_t n)
{
	char *room = out_room(ss, n);

	if (room) {
		memcpy(room, p, n);
		ss->out.len += n;
	}
}

void out_puts(struct session *ss, const char *s)
{
	out_put(ss, s, strlen(s));
}

void out_putc(struct session *ss, char c)
{
	out_put(ss, &c, 1);
}

void out_printf(struct session *ss, const char *fmt, ...)
{
	struct out_buf *o = &ss->out;
	size_t want = 64;
	va_list ap;
	int n;

	/* Twice at most: the second time with room for all of it. */
	while (out_room(ss, want)) {
		va_start(ap, fmt);
		n = fmt_v(o->buf + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < o->cap - o->len) {
			o->len += n;
			return;
		}
		want = (size_t)n + 1;
	}
}

/*
 * The literal before, then v in decimal.  printf() would do, but a storm
 * of events spent most of the reader's time in it: parsing the format
 * again for every field of every line.
 */
void put_uint(struct session *ss, const char *before, unsigned long long v)
{
	char digits[20], *p = fmt_digits(digits + sizeof(digits), v, 10);

	out_puts(ss, before);
	out_put(ss, p, digits + sizeof(digits) - p);
}

void put_int(struct session *ss, const char *before, long long v)
{
	out_puts(ss, before);
	if (v < 0)
		out_putc(ss, '-');
	put_uint(ss, "", v < 0 ? -(unsigned long long)v : (unsigned long long)v);
}

static const char hex_digits[] = "0123456789abcdef";

/*
 * Text mode quotes bytes C-style: printable ASCII as is, \n \t \r \\ \" and
 * \xNN for the rest.  JSON mode escapes per RFC 8259 and gives each byte
 * >= 0x80 as the code point of the same value (\u0080..\u00ff), so a reader
 * recovers the exact bytes with a Latin-1 encode.
 */
void put_escaped(struct session *ss, const unsigned char *p, size_t n, bool json)
{
	/* The longest escape: \xNN, 4 bytes; in JSON \u00XX, 6. */
	char *start = n ? out_room(ss, (json ? 6 : 4) * n) : NULL, *o = start;

	if (!start)
		return;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		char esc = c == '"' ? '"' : c == '\\' ? '\\' : c == '\n' ? 'n' :
			   c == '\t' ? 't' : c == '\r' ? 'r' : 0;

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
			*o++ = hex_digits[c >> 4];
			*o++ = hex_digits[c & 15];
		}
	}
	ss->out.len += o - start;
}

/* comm is at most 16 bytes, NUL-terminated unless it fills them all. */
void put_comm(struct session *ss, const char comm[TASK_COMM_LEN], bool json)
{
	put_escaped(ss, (const unsigned char *)comm, strnlen(comm, TASK_COMM_LEN), json);
}

void put_hex(struct session *ss, const unsigned char *p, size_t n)
{
	char *start = n ? out_room(ss, 2 * n) : NULL, *o = start;

	if (!start)
		return;
	for (size_t i = 0; i < n; i++) {
		*o++ = hex_digits[p[i] >> 4];
		*o++ = hex_digits[p[i] & 15];
	}
	ss->out.len += o - start;
}

/*
 * Ends an output line.  When it does not fit beside the whole lines
 * already waiting, they are written first; a batch that is full, or a
 * single line longer than PIPE_BUF, is written at once.
 */
int end_line(struct session *ss)
{
	struct out_buf *o = &ss->out;
	int err = 0;

	out_putc(ss, '\n');
	if (o->nomem)
		return -ENOMEM;
	if (o->line && o->len > PIPE_BUF)
		err = output_flush(ss);
	o->line = o->len;
	if (!err && o->len >= PIPE_BUF) {
		err = output_flush(ss);
		/* Give back the room a long line took. */
		if (o->cap > 2 * PIPE_BUF) {
			free(o->buf);
			*o = (struct out_buf){ 0 };
		}
	}
	if (err)
		return err;
	ss->events++;
	if (ss->opt->once)
		ss->done = true;
	return 0;
}
