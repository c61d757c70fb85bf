// SPDX-License-Identifier: MIT
/*
 * A trace_pipe line (kernel/trace/trace_output.c, the default format):
 *
 *	  cat-4242    [001] d..31  1234.567890: bpf_trace_printk: TEXT
 *
 * Only lines with the "bpf_trace_printk: " marker are bpf_printk's; the
 * rest (other tracers' events) are skipped.  Newer kernels print the same
 * marker for bpf_trace_vprintk.  A read never blocks (O_NONBLOCK): the
 * event loop polls the fd with the rings.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "trace_pipe.h"

#define MARK "bpf_trace_printk: "

int trace_pipe_open(struct trace_pipe *t, const char *tracefs, struct diag *d)
{
	char path[4096 + 16];
	int err;

	t->len = 0;
	fmt(path, sizeof(path), "%s/trace_pipe", tracefs);
	t->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		err = -errno;
		return diag(d, err, "bpf_printk: open %s: %s", path, strerror(-err));
	}
	/* Lines from before this run are not its programs'. */
	while (read(t->fd, t->buf, sizeof(t->buf)) > 0)
		;
	return 0;
}

/* MARK in the line, or NULL (memmem(3) would link 800 bytes of libc more). */
static const char *find_mark(const char *s, size_t n)
{
	for (size_t i = 0; i + strlen(MARK) <= n; i++)
		if (!memcmp(s + i, MARK, strlen(MARK)))
			return s + i;
	return NULL;
}

static int print_line(struct session *ss, const char *line, size_t n)
{
	const char *m = find_mark(line, n);

	if (!m)
		return 0;
	m += strlen(MARK);
	n -= m - line;
	/* The program chose the text: escaped like any data. */
	out_puts(ss, ss->opt->json ? "{\"printk\":\"" : "printk: ");
	put_escaped(ss, (const unsigned char *)m, n, ss->opt->json);
	if (ss->opt->json)
		out_puts(ss, "\"}");
	return end_line(ss);
}

int trace_pipe_consume(struct trace_pipe *t, struct session *ss)
{
	for (;;) {
		ssize_t r;
		char *nl;
		int err;

		while ((nl = memchr(t->buf, '\n', t->len))) {
			size_t n = nl - t->buf;

			err = print_line(ss, t->buf, n);
			memmove(t->buf, nl + 1, t->len - n - 1);
			t->len -= n + 1;
			if (err)
				return err;
		}
		if (t->len == sizeof(t->buf)) {
			/* A line longer than the buffer: shown in pieces. */
			err = print_line(ss, t->buf, t->len);
			t->len = 0;
			if (err)
				return err;
		}
		if (ss->done || output_full(ss))
			return 0;
		r = read(t->fd, t->buf + t->len, sizeof(t->buf) - t->len);
		if (r < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		if (r == 0)
			return 0;
		t->len += r;
	}
}

void trace_pipe_close(struct trace_pipe *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}
