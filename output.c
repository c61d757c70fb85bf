// SPDX-License-Identifier: MIT
/*
 * Events to lines.  Each command decodes the records of its own programs
 * (include/events.h) and prints one event per line on stdout, written out
 * at the end of each pass over the rings so a script reading a pipe sees
 * it at once:
 *
 *	exit		comm=exit_with_code pid=4242 code=42
 *	password	pid=4243 tid=4243 comm=cat fd=3 len=8 data="hunter2\n"
 *			(with shown=N when fewer than len bytes could be sent, and
 *			complete=no when some of the read's chunks were lost)
 *	run		submit: 42 / debug: "hello" / debug: struct 2a000000
 *
 * or, with --json, one object per line with the same fields.  Nothing here
 * talks to BPF or perf, and nothing prints to stderr: problems are counted
 * in the session or returned to main.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "output.h"

/* The built-in commands' BPF objects, embedded packed by objects.S. */
extern const unsigned char exit_bpf_o[], exit_bpf_o_end[];
extern const unsigned char password_bpf_o[], password_bpf_o_end[];

/* ---- shared ---------------------------------------------------------------- */

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
 * recovers the exact bytes with a Latin-1 encode.
 */
static void put_escaped(struct session *ss, const unsigned char *p, size_t n, bool json)
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
 * Ends an output line.  When it does not fit beside the whole lines
 * already waiting, they are written first; a batch that is full, or a
 * single line longer than PIPE_BUF, is written at once.
 */
static int end_line(struct session *ss)
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
	out_puts(ss, json ? "{\"comm\":\"" : "comm=");
	put_comm(ss, e.comm, json);
	put_uint(ss, json ? "\",\"pid\":" : " pid=", e.pid);
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
	int err = password_size_tables(s);

	if (err < 0)
		return diag(d, err, "password: the object has no fd_tables map");
	return spec_set_var(s, "target_path", opt->file, strlen(opt->file) + 1, d);
}

static int password_loaded(const struct object *o, const struct options *opt, struct diag *d)
{
	return password_seed(o, opt->file, d);
}

static const struct missed password_missed[] = {
	{ "tables_full", "processes holding the file were not followed (counted at each open "
			 "and fork): the fd table map was full" },
	{ "calls_full", "syscalls were not followed: too many at once (opens of any file, "
			"reads and dups of this one)" },
	{ NULL, NULL },
};

static int password_emit(struct session *ss, const struct password_event *e,
			 const unsigned char *data, size_t n, bool complete)
{
	bool json = ss->opt->json;
	bool truncated = e->flags & PASSWORD_TRUNCATED;

	put_uint(ss, json ? "{\"pid\":" : "pid=", e->pid);
	put_uint(ss, json ? ",\"tid\":" : " tid=", e->tid);
	out_puts(ss, json ? ",\"comm\":\"" : " comm=");
	put_comm(ss, e->comm, json);
	put_int(ss, json ? "\",\"fd\":" : " fd=", e->fd);
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
		if (ss->opt->json)
			out_printf(ss, "{\"map\":\"%s\",\"len\":%u,\"hex\":\"", m->name, size);
		else
			out_printf(ss, "event: %s: ", m->name);
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
		size_t n = trim_nuls(a->data, a->len);

		if (n != strlen(want) || memcmp(a->data, want, n))
			return diag(d, -EINVAL, "expect: wrong answer: got \"%.*s\", wanted \"%s\"",
				    (int)n, a->data, want);
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
		.loaded = password_loaded,
		.missed = password_missed,
	},
	{
		.name = "run",
		.summary = "run an exercise-style BPF object (SUBMIT_*/DEBUG_* output)",
		.print = run_print,
		.finish = run_finish,
	},
};

const size_t command_cnt = sizeof(commands) / sizeof(commands[0]);
