// SPDX-License-Identifier: MIT
/*
 * Lines on stdout.  The commands (cmd_*.c) build one event per line with
 * the helpers here, text or JSON, everything a traced process or an object
 * chose quoted and escaped (escape(), which messages use too); the lines are written out at the end of each pass over the
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
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "command.h"
#include "output.h"

/*
 * Lines are written in batches of whole lines, each batch one write(2) of
 * at most PIPE_BUF bytes, once a batch is full and at the end of every pass
 * over the rings (loader.c).  The traced command often shares our stdout: a
 * pipe never splits a write of up to PIPE_BUF bytes (pipe(7)), and writes
 * to a regular file through one shared file offset land whole (f_pos_lock,
 * since 3.14), so its lines and ours never cut into each other.  A line
 * longer than PIPE_BUF gets writes of its own.  One write per line was that
 * safe too, but a storm of events outran it.
 *
 * Nothing here blocks, whatever the reader does, so that --timeout and
 * signals always take effect.  stdout is not made O_NONBLOCK: that flag is
 * on the open file description, shared with the traced command and the
 * shell, which would see EAGAIN.  Instead each write to anything but a
 * regular file follows a poll() that says POLLOUT, and is at most PIPE_BUF
 * bytes: a pipe reports POLLOUT while a slot of a page is free
 * (pipe_poll(), fs/pipe.c), and a write that fits a free slot never
 * waits.  (Another writer of the same pipe can take that slot between the
 * poll and the write; then the write waits for the reader, as it always
 * did.)  When stdout takes nothing, the lines wait and the loop stops
 * reading the rings; events then pile up there, and what no longer fits is
 * counted as lost by the kernel.
 *
 * What can be promised about a failed write: a pipe takes a batch of up to
 * PIPE_BUF bytes whole or not at all, and fails only with EPIPE, when the
 * reader has gone: then the run ends quietly.  A regular file takes what
 * fits: on a full disk (or past RLIMIT_FSIZE) write(2) returns a short
 * count, and the next write the error (generic_perform_write(),
 * mm/filemap.c).  The cut line is then taken back out with ftruncate(2),
 * when nothing was written to the file after it (its size is still our
 * offset), so the file ends with whole lines; otherwise the error message
 * says a line is cut.  Any error but EPIPE ends the run with status 1.
 */

static bool is_regular(struct session *ss)
{
	struct out_buf *o = &ss->out;
	struct stat st;

	if (!o->kind)
		o->kind = fstat(STDOUT_FILENO, &st) ? S_IFCHR : (int)(st.st_mode & S_IFMT);
	return o->kind == S_IFREG || o->kind == S_IFBLK;
}

bool output_watchable(struct session *ss)
{
	is_regular(ss);
	return ss->out.kind == S_IFIFO || ss->out.kind == S_IFSOCK;
}

bool output_pending(const struct session *ss)
{
	return ss->out.line > 0 && !ss->abandoned;
}

bool output_full(const struct session *ss)
{
	return ss->out.line >= PIPE_BUF && !ss->abandoned;
}

static __u64 count_lines(const char *p, size_t n)
{
	__u64 lines = 0;

	if (!n)
		return 0;
	for (const char *end = p + n; (p = memchr(p, '\n', end - p)); p++)
		lines++;
	return lines;
}

/* Drops the first n bytes of the buffer, whole lines or not. */
static void out_drop(struct out_buf *o, size_t n)
{
	if (!n)
		return;
	memmove(o->buf, o->buf + n, o->len - n);
	o->len -= n;
	o->line -= n;
}

void output_abandon(struct session *ss)
{
	struct out_buf *o = &ss->out;

	if (!ss->broken_pipe)
		ss->unwritten += count_lines(o->buf, o->line);
	out_drop(o, o->line);
	o->cut = 0;
	ss->abandoned = true;
}

void output_gone(struct session *ss)
{
	ss->broken_pipe = true;
	ss->done = true;
	output_abandon(ss);
}

/* After a failed write: the file is to end with whole lines, or say it does not. */
static void write_failed(struct session *ss, int err)
{
	struct out_buf *o = &ss->out;
	struct stat st;
	off_t at;

	if (err == EPIPE) {
		output_gone(ss);
		return;
	}
	ss->write_err = err;
	ss->done = true;
	if (o->cut) {
		at = lseek(STDOUT_FILENO, 0, SEEK_CUR);
		ss->cut_left = !is_regular(ss) || at < (off_t)o->cut || fstat(STDOUT_FILENO, &st) ||
			       st.st_size != at || ftruncate(STDOUT_FILENO, at - o->cut);
	}
	output_abandon(ss);
}

/* The next write: whole lines up to PIPE_BUF, or a piece of a longer line. */
static size_t batch_size(struct session *ss)
{
	struct out_buf *o = &ss->out;
	const char *nl;

	if (o->line <= PIPE_BUF)
		return o->line;
	for (nl = o->buf + PIPE_BUF - 1; nl >= o->buf && *nl != '\n'; nl--)
		;
	if (nl >= o->buf)
		return nl + 1 - o->buf;
	/* A long line: whole to a file, in pieces that never block to a pipe. */
	if (!is_regular(ss))
		return PIPE_BUF;
	return (const char *)memchr(o->buf, '\n', o->line) + 1 - o->buf;
}

int output_flush(struct session *ss)
{
	struct out_buf *o = &ss->out;
	struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };

	while (output_pending(ss)) {
		size_t n = batch_size(ss);
		const char *nl;
		ssize_t w;

		if (!is_regular(ss)) {
			if (poll(&pfd, 1, 0) < 0 && errno != EINTR) {
				write_failed(ss, errno);
				break;
			}
			if (pfd.revents & POLLNVAL) { /* stdout is closed */
				write_failed(ss, EBADF);
				break;
			}
			if (!(pfd.revents & (POLLOUT | POLLERR | POLLHUP)))
				break; /* stdout is full: the lines wait */
		}
		w = write(STDOUT_FILENO, o->buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		/* An inherited O_NONBLOCK stdout says so itself. */
		if (w < 0 && errno == EAGAIN)
			break;
		if (w <= 0) {
			write_failed(ss, w < 0 ? errno : EIO);
			break;
		}
		/* How much of the line now first is out already. */
		for (nl = o->buf + w - 1; nl >= o->buf && *nl != '\n'; nl--)
			;
		o->cut = nl >= o->buf ? (size_t)(o->buf + w - 1 - nl) : o->cut + w;
		out_drop(o, w);
	}
	/* Give back the room a long line took. */
	if (!o->len && o->cap > 2 * PIPE_BUF) {
		free(o->buf);
		*o = (struct out_buf){ .kind = o->kind };
	}
	if (ss->broken_pipe)
		return -EPIPE;
	return ss->write_err ? -ss->write_err : 0;
}

void output_close(struct session *ss, int wait_ms)
{
	struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };
	long long left = wait_ms;
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!output_flush(ss) && output_pending(ss) && left > 0) {
		poll(&pfd, 1, (int)left);
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = wait_ms -
		       ((t.tv_sec - t0.tv_sec) * 1000LL + (t.tv_nsec - t0.tv_nsec) / 1000000);
	}
	output_abandon(ss);
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

const char *escape_name(char *buf, size_t size, const char *name)
{
	size_t n = 0;

	for (; *name && size >= 5 && n < size - 5; name++) /* room for \xNN and the NUL */
		n += escape(buf + n, name, 1, '\'', false);
	if (size)
		buf[n] = 0;
	return buf;
}

void put_escaped(struct session *ss, const unsigned char *p, size_t n, bool json)
{
	/* The longest escape: \xNN, 4 bytes; in JSON \u00XX, 6. */
	char *start = n ? out_room(ss, (json ? 6 : 4) * n) : NULL;

	if (start)
		ss->out.len += escape(start, p, n, '"', json);
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
 * Ends an output line.  A full batch is written at once, if stdout takes
 * it; once stdout is given up on, the line is only counted.
 */
int end_line(struct session *ss)
{
	struct out_buf *o = &ss->out;

	out_putc(ss, '\n');
	if (o->nomem)
		return -ENOMEM;
	o->line = o->len;
	if (ss->abandoned) {
		if (!ss->broken_pipe)
			ss->unwritten++;
		o->len = o->line = 0;
	} else if (o->line >= PIPE_BUF) {
		output_flush(ss); /* a failed write ends the run: ss->done */
	}
	ss->events++;
	if (ss->opt->once)
		ss->done = true;
	return 0;
}
