// SPDX-License-Identifier: MIT
/*
 * Events to lines.  Each command decodes the records of its own programs
 * (include/events.h) and prints one event per line on stdout, written out
 * at the end of each pass over the rings so a script reading a pipe sees
 * it at once:
 *
 *	exit		comm="exit_with_code" pid=4242 code=42
 *	password	pid=4243 tid=4243 comm="cat" fd=3 len=8 data="hunter2\n"
 *			(with shown=N when fewer than len bytes could be sent, and
 *			complete=no when some of the read's chunks were lost)
 *	run		submit: 42 / debug: "hello" / debug: struct 2a000000
 *			/ event: "samples": 0df0edfe (another map's records)
 *
 * or, with --json, one object per line with the same fields.  Every field
 * a traced process or an object chose is quoted and escaped (escape()), so
 * no name can pass for another field or another line.  Nothing here
 * talks to BPF or perf, and nothing prints to stderr: problems are counted
 * in the session or returned to main.
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

#include "events.h"
#include "output.h"

/* The built-in commands' BPF objects, embedded packed by objects.S. */
extern const unsigned char exit_bpf_o[], exit_bpf_o_end[];
extern const unsigned char password_bpf_o[], password_bpf_o_end[];

/* ---- shared ---------------------------------------------------------------- */

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
		ss->cut_left = !is_regular(ss) || at < (off_t)o->cut ||
			       fstat(STDOUT_FILENO, &st) || st.st_size != at ||
			       ftruncate(STDOUT_FILENO, at - o->cut);
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
			if (pfd.revents & POLLNVAL) {		/* stdout is closed */
				write_failed(ss, EBADF);
				break;
			}
			if (!(pfd.revents & (POLLOUT | POLLERR | POLLHUP)))
				break;		/* stdout is full: the lines wait */
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
		left = wait_ms - ((t.tv_sec - t0.tv_sec) * 1000LL + (t.tv_nsec - t0.tv_nsec) / 1000000);
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

static void out_put(struct session *ss, const void *p, size_t n)
{
	char *room = out_room(ss, n);

	if (room) {
		memcpy(room, p, n);
		ss->out.len += n;
	}
}

static void out_puts(struct session *ss, const char *s)
{
	out_put(ss, s, strlen(s));
}

static void out_putc(struct session *ss, char c)
{
	out_put(ss, &c, 1);
}

__attribute__((format(printf, 2, 3)))
static void out_printf(struct session *ss, const char *fmt, ...)
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
static void put_uint(struct session *ss, const char *before, unsigned long long v)
{
	char digits[20], *p = fmt_digits(digits + sizeof(digits), v, 10);

	out_puts(ss, before);
	out_put(ss, p, digits + sizeof(digits) - p);
}

static void put_int(struct session *ss, const char *before, long long v)
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
		char esc = c == '\n' ? 'n' : c == '\t' ? 't' : c == '\r' ? 'r' :
			   quote && (c == (unsigned char)quote || c == '\\') ? (char)c : 0;

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
	return o - dst;
}

const char *escape_name(char *buf, size_t size, const char *name)
{
	size_t n = 0;

	for (; *name && size >= 5 && n < size - 5; name++)	/* room for \xNN and the NUL */
		n += escape(buf + n, name, 1, '\'', false);
	if (size)
		buf[n] = 0;
	return buf;
}

static void put_escaped(struct session *ss, const unsigned char *p, size_t n, bool json)
{
	/* The longest escape: \xNN, 4 bytes; in JSON \u00XX, 6. */
	char *start = n ? out_room(ss, (json ? 6 : 4) * n) : NULL;

	if (start)
		ss->out.len += escape(start, p, n, '"', json);
}

/* comm is at most 16 bytes, NUL-terminated unless it fills them all. */
static void put_comm(struct session *ss, const char comm[TASK_COMM_LEN], bool json)
{
	put_escaped(ss, (const unsigned char *)comm, strnlen(comm, TASK_COMM_LEN), json);
}

static void put_hex(struct session *ss, const unsigned char *p, size_t n)
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
static int end_line(struct session *ss)
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
		output_flush(ss);	/* a failed write ends the run: ss->done */
	}
	ss->events++;
	if (ss->opt->once)
		ss->done = true;
	return 0;
}

/* ---- mini-trace exit ------------------------------------------------------- */

static int exit_configure(struct spec *s, const struct options *opt, struct diag *d)
{
	return spec_set_var(s, "target_comm", opt->comm, strlen(opt->comm) + 1, d);
}

static int exit_print(struct session *ss, const struct spec_map *m, const void *data, __u32 size)
{
	bool json = ss->opt->json;
	struct exit_event e;

	(void)m;
	if (size < sizeof(e)) {
		ss->malformed++;
		return 0;
	}
	memcpy(&e, data, sizeof(e));
	out_puts(ss, json ? "{\"comm\":\"" : "comm=\"");
	put_comm(ss, e.comm, json);
	put_uint(ss, json ? "\",\"pid\":" : "\" pid=", e.pid);
	put_int(ss, json ? ",\"code\":" : " code=", e.code);
	if (json)
		out_putc(ss, '}');
	return end_line(ss);
}

/* ---- mini-trace password --------------------------------------------------- */

struct pending_read {
	struct password_event head;	/* the first chunk's fields */
	unsigned char *data;
	size_t have;
};

static int password_configure(struct spec *s, const struct options *opt, struct diag *d)
{
	return spec_set_var(s, "target_path", opt->file, strlen(opt->file) + 1, d);
}

static int password_emit(struct session *ss, const struct password_event *e,
			 const unsigned char *data, size_t n, bool complete)
{
	bool json = ss->opt->json;
	bool truncated = e->flags & PASSWORD_TRUNCATED;

	put_uint(ss, json ? "{\"pid\":" : "pid=", e->pid);
	put_uint(ss, json ? ",\"tid\":" : " tid=", e->tid);
	out_puts(ss, json ? ",\"comm\":\"" : " comm=\"");
	put_comm(ss, e->comm, json);
	put_int(ss, json ? "\",\"fd\":" : "\" fd=", e->fd);
	put_uint(ss, json ? ",\"len\":" : " len=", e->len);
	if (json) {
		out_puts(ss, ",\"data\":\"");
		put_escaped(ss, data, n, true);
		out_puts(ss, truncated ? "\",\"truncated\":true" : "\",\"truncated\":false");
		out_puts(ss, complete ? ",\"complete\":true}" : ",\"complete\":false}");
	} else {
		if (n < e->len)
			put_uint(ss, " shown=", n);
		if (!complete)
			out_puts(ss, " complete=no");
		out_puts(ss, " data=\"");
		put_escaped(ss, data, n, false);
		out_putc(ss, '"');
	}
	return end_line(ss);
}

static struct pending_read *pending_find(struct session *ss, __u32 tid)
{
	for (size_t i = 0; i < ss->pending_cnt; i++)
		if (ss->pending[i].head.tid == tid)
			return &ss->pending[i];
	return NULL;
}

static int pending_flush(struct session *ss, struct pending_read *pr, bool complete)
{
	int err = password_emit(ss, &pr->head, pr->data, pr->have, complete);

	free(pr->data);
	*pr = ss->pending[--ss->pending_cnt];
	return err;
}

/*
 * The program sends one read as chunks with rising offsets, back to back
 * from one thread; they are joined here by thread id.  A chunk that does not
 * continue the read in progress means the kernel dropped some (the lost
 * count says how many): what arrived is printed, marked incomplete.
 */
static int password_print(struct session *ss, const struct spec_map *m, const void *data,
			  __u32 size)
{
	const size_t hdr = offsetof(struct password_event, data);
	const unsigned char *bytes = (const unsigned char *)data + hdr;
	struct password_event e;
	struct pending_read *pr;
	__u64 want;
	int err = 0;

	(void)m;
	if (size < hdr) {
		ss->malformed++;
		return 0;
	}
	memcpy(&e, data, hdr);
	if (e.chunk > PASSWORD_CHUNK || hdr + e.chunk > size) {
		ss->malformed++;
		return 0;
	}
	/* What the program sends of this read: all of it, or up to its cap. */
	want = e.len < (__u64)PASSWORD_CHUNK * PASSWORD_MAX_CHUNKS ?
		e.len : (__u64)PASSWORD_CHUNK * PASSWORD_MAX_CHUNKS;

	pr = pending_find(ss, e.tid);
	if (pr && (e.off != pr->have || e.len != pr->head.len)) {
		err = pending_flush(ss, pr, false);
		pr = NULL;
	}
	if (!pr) {
		/* One chunk, an empty one (no bytes to show), or a lost start. */
		if (e.off != 0 || e.chunk == 0 || e.chunk >= want)
			return err ?: password_emit(ss, &e, bytes, e.chunk, e.off == 0);
		pr = realloc(ss->pending, (ss->pending_cnt + 1) * sizeof(*ss->pending));
		if (!pr)
			return -ENOMEM;
		ss->pending = pr;
		pr = &ss->pending[ss->pending_cnt];
		pr->data = malloc(want);
		if (!pr->data)
			return -ENOMEM;
		pr->head = e;
		pr->have = 0;
		ss->pending_cnt++;
	}
	if (e.chunk == 0) {		/* the program could send no more of it */
		pr->head.flags |= e.flags;
		return pending_flush(ss, pr, true);
	}
	if (pr->have + e.chunk > want)
		return pending_flush(ss, pr, false);
	memcpy(pr->data + pr->have, bytes, e.chunk);
	pr->have += e.chunk;
	if (pr->have == want)
		err = pending_flush(ss, pr, true);
	return err;
}

/* Reads still missing chunks when the run ends are shown, not dropped. */
static int password_finish(struct session *ss, struct diag *d)
{
	(void)d;
	while (ss->pending_cnt && !ss->broken_pipe)
		pending_flush(ss, &ss->pending[0], false);
	for (size_t i = 0; i < ss->pending_cnt; i++)
		free(ss->pending[i].data);
	free(ss->pending);
	ss->pending = NULL;
	ss->pending_cnt = 0;
	return 0;
}

/* ---- mini-trace run -------------------------------------------------------- */

static const char *const mt_kind_names[] = {
	[MT_NUM] = "num", [MT_STR] = "str", [MT_STRUCT] = "struct",
};

/* Strings are compared and shown without the NULs that pad their array. */
static size_t trim_nuls(const unsigned char *p, size_t n)
{
	while (n && !p[n - 1])
		n--;
	return n;
}

static int run_print_record(struct session *ss, const struct mt_record *r, const unsigned char *data)
{
	bool json = ss->opt->json;
	__s64 num = 0;
	size_t n = r->len;

	if (r->kind == MT_NUM)
		memcpy(&num, data, sizeof(num));
	else if (r->kind == MT_STR)
		n = trim_nuls(data, n);

	if (json) {
		out_printf(ss, "{\"seq\":%llu,\"answer\":%s,\"kind\":\"%s\",\"value\":",
		       (unsigned long long)r->seq, r->answer ? "true" : "false", mt_kind_names[r->kind]);
		if (r->kind == MT_NUM) {
			out_printf(ss, "%lld", (long long)num);
		} else {
			out_putc(ss, '"');
			if (r->kind == MT_STR)
				put_escaped(ss, data, n, true);
			else
				put_hex(ss, data, n);
			out_putc(ss, '"');
		}
		out_printf(ss, ",\"truncated\":%u}", r->truncated);
	} else {
		out_puts(ss, r->answer ? "submit: " : "debug: ");
		if (r->kind == MT_NUM) {
			out_printf(ss, "%lld", (long long)num);
		} else if (r->kind == MT_STR) {
			out_putc(ss, '"');
			put_escaped(ss, data, n, false);
			out_putc(ss, '"');
		} else {
			out_puts(ss, "struct ");
			put_hex(ss, data, n);
		}
		if (r->truncated)
			out_printf(ss, " (%u more bytes cut)", r->truncated);
	}
	return end_line(ss);
}

/*
 * Records from the exercise API's ring buffer, mt_events, are decoded; any
 * other perf or ring buffer in the object is the program's own, and its
 * records are shown as hex.
 */
static int run_print(struct session *ss, const struct spec_map *m, const void *data, __u32 size)
{
	const size_t hdr = offsetof(struct mt_record, data);
	struct mt_record r;

	if (strcmp(m->name, "mt_events")) {
		out_puts(ss, ss->opt->json ? "{\"map\":\"" : "event: \"");
		put_escaped(ss, (const unsigned char *)m->name, strlen(m->name), ss->opt->json);
		if (ss->opt->json)
			put_uint(ss, "\",\"len\":", size);
		out_puts(ss, ss->opt->json ? ",\"hex\":\"" : "\": ");
		put_hex(ss, data, size);
		if (ss->opt->json)
			out_puts(ss, "\"}");
		return end_line(ss);
	}
	if (size < hdr) {
		ss->malformed++;
		return 0;
	}
	memcpy(&r, data, hdr);
	if (r.kind < MT_NUM || r.kind > MT_STRUCT || r.len > size - hdr || r.len > MT_DATA_MAX ||
	    (r.kind == MT_NUM && r.len != sizeof(__s64))) {
		ss->malformed++;
		return 0;
	}
	if (r.answer && ss->answers++ == 0) {
		ss->answer.kind = r.kind;
		ss->answer.len = r.len;
		memcpy(ss->answer.data, (const unsigned char *)data + hdr, r.len);
	}
	return run_print_record(ss, &r, (const unsigned char *)data + hdr);
}

/* Bytes of a string answer a verdict shows: a message holds 256. */
#define SHOWN 24

/*
 * --expect VALUE: exactly one answer, equal to VALUE, as a number when the
 * answer is one, as text (trailing NULs trimmed) when it is a string.
 */
static int run_finish(struct session *ss, struct diag *d)
{
	const struct mt_answer *a = &ss->answer;
	const char *want = ss->opt->expect;
	char *end;

	if (!want)
		return 0;
	if (ss->answers == 0)
		return diag(d, -ENOENT, "expect: no answer arrived (wanted %s)", want);
	if (ss->answers > 1)
		return diag(d, -E2BIG, "expect: %llu answers arrived, wanted exactly one",
			    (unsigned long long)ss->answers);
	if (a->kind == MT_NUM) {
		__s64 got;
		long long v;

		memcpy(&got, a->data, sizeof(got));
		errno = 0;
		v = strtoll(want, &end, 0);
		if (errno || end == want || *end || v != got)
			return diag(d, -EINVAL, "expect: wrong answer: got %lld, wanted %s",
				    (long long)got, want);
		return 0;
	}
	if (a->kind == MT_STR) {
		size_t n = trim_nuls(a->data, a->len), w = strlen(want);
		/* The program chose these bytes: escaped, cut to what a message holds. */
		char got[4 * SHOWN], wanted[4 * SHOWN];

		if (n != w || memcmp(a->data, want, n))
			return diag(d, -EINVAL, "expect: wrong answer: got \"%.*s\"%s, wanted \"%.*s\"%s",
				    (int)escape(got, a->data, n < SHOWN ? n : SHOWN, '"', false), got,
				    n > SHOWN ? " (cut)" : "",
				    (int)escape(wanted, want, w < SHOWN ? w : SHOWN, '"', false), wanted,
				    w > SHOWN ? " (cut)" : "");
		return 0;
	}
	return diag(d, -EINVAL, "expect: the answer is a struct, not a value");
}

/*
 * open(2) and dup2(2) are legacy syscalls that arm64 and riscv never had
 * (include/uapi/asm-generic/unistd.h); glibc and musl use openat and dup3
 * there, so nothing is missed without them.
 */
static const char *const password_optional[] = {
	"syscalls/sys_enter_open", "syscalls/sys_exit_open",
	"syscalls/sys_enter_dup2", "syscalls/sys_exit_dup2", NULL,
};

const struct command commands[] = {
	{
		.name = "exit",
		.summary = "report the exit code of every process with a given name",
		.obj = exit_bpf_o, .obj_end = exit_bpf_o_end,
		.configure = exit_configure,
		.print = exit_print,
	},
	{
		.name = "password",
		.summary = "report what any process reads from a given file",
		.obj = password_bpf_o, .obj_end = password_bpf_o_end,
		.configure = password_configure,
		.optional = password_optional,
		.print = password_print,
		.finish = password_finish,
	},
	{
		.name = "run",
		.summary = "run an exercise-style BPF object (SUBMIT_*/DEBUG_* output)",
		.print = run_print,
		.finish = run_finish,
	},
};

const size_t command_cnt = sizeof(commands) / sizeof(commands[0]);
