/* SPDX-License-Identifier: MIT */
/*
 * The last step: lines on stdout, built by the commands (cmd_*.c) with the
 * helpers below and written whole, in batches of at most PIPE_BUF bytes.
 */
#ifndef MINI_TRACE_OUTPUT_H
#define MINI_TRACE_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "command.h"
#include "events.h"

/*
 * Lines on their way to stdout: buf[0..line) holds whole lines, at most
 * PIPE_BUF bytes of them, and buf[line..len) the line being built.
 */
struct out_buf {
	char *buf;
	size_t len, line, cap;
	bool nomem;		/* a line could not be built: the run stops */
};

/* What printing needs across records. */
struct session {
	const struct options *opt;
	struct out_buf out;
	__u64 events;		/* lines printed */
	__u64 malformed;	/* records too short or inconsistent to decode */
	bool done;		/* --once has what it wanted, or stdout is gone */
	bool broken_pipe;
	void *state;		/* the command's own, from its start hook */
};

/* Writes out the lines printed so far; -EPIPE once stdout is gone. */
int output_flush(struct session *ss);

/* The same, then frees the buffer. */
void output_close(struct session *ss);

/* Pieces of the line being built; a failure to grow shows at end_line(). */
void out_put(struct session *ss, const void *p, size_t n);
void out_puts(struct session *ss, const char *s);
void out_putc(struct session *ss, char c);
__attribute__((format(printf, 2, 3)))
void out_printf(struct session *ss, const char *fmt, ...);

/* The literal before, then v in decimal. */
void put_uint(struct session *ss, const char *before, unsigned long long v);
void put_int(struct session *ss, const char *before, long long v);

/* Bytes quoted C-style, or JSON-escaped (bytes >= 0x80 as \u0080..\u00ff). */
void put_escaped(struct session *ss, const unsigned char *p, size_t n, bool json);
void put_comm(struct session *ss, const char comm[TASK_COMM_LEN], bool json);
void put_hex(struct session *ss, const unsigned char *p, size_t n);

/* Ends the line: counts the event, writes out a full batch; -errno stops the run. */
int end_line(struct session *ss);

#endif
