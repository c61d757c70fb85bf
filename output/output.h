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
#include "fmt.h"

/*
 * Lines on their way to stdout: buf[0..line) holds whole lines not yet
 * written (about PIPE_BUF bytes of them at most: past that the output is
 * full), and buf[line..len) the line being built.
 */
struct out_buf {
	char *buf;
	size_t len, line, cap;
	size_t cut; /* bytes of buf[0]'s line written already */
	int kind;   /* stdout's file type (S_IFMT bits); 0: not looked at yet */
	bool nomem; /* a line could not be built: the run stops */
};

/* What printing needs across records. */
struct session {
	const struct options *opt;
	struct out_buf out;
	__u64 events;	  /* lines printed */
	__u64 malformed;  /* records too short or inconsistent to decode */
	bool done;	  /* --once has what it wanted, or stdout is gone */
	bool broken_pipe; /* the reader went away: a quiet end */
	int write_err;	  /* errno of a failed write to stdout: status 1 */
	bool cut_left;	  /* ... and it left a line cut short in the file */
	bool abandoned;	  /* stdout is given up on: lines are only counted */
	__u64 unwritten;  /* lines built but never written */
	void *state;	  /* the command's own, from its start hook */
};

/*
 * Writes out the whole lines printed so far, as far as stdout takes them
 * without blocking.  0 (some may be left: output_pending), -EPIPE once the
 * reader has gone, or the -errno of a failed write (ss->write_err).
 */
int output_flush(struct session *ss);

/* Whole lines wait to be written; output_full: so many that reading pauses. */
bool output_pending(const struct session *ss);
bool output_full(const struct session *ss);

/* stdout is a pipe or socket: a reader that goes away shows in poll(). */
bool output_watchable(struct session *ss);

/* The reader has gone (POLLERR/POLLHUP on stdout): a quiet end. */
void output_gone(struct session *ss);

/* Gives up on stdout: what waits, and every line after, is only counted. */
void output_abandon(struct session *ss);

/* Writes what waits, waiting up to wait_ms for stdout; frees the buffer. */
void output_close(struct session *ss, int wait_ms);

/* escape(), the one escaping of what the traced world chose, is lib/fmt.c's. */

/*
 * name escaped into buf (NUL-terminated, cut short before an escape that
 * does not fit) for a message: "map '%s'", escape_name(b, sizeof(b), name).
 */
const char *escape_name(char *buf, size_t size, const char *name);

/* Pieces of the line being built; a failure to grow shows at end_line(). */
void out_put(struct session *ss, const void *p, size_t n);
void out_puts(struct session *ss, const char *s);
void out_putc(struct session *ss, char c);
__attribute__((format(printf, 2, 3))) void out_printf(struct session *ss, const char *fmt, ...);

/* The literal before, then v in decimal. */
void put_uint(struct session *ss, const char *before, unsigned long long v);
void put_int(struct session *ss, const char *before, long long v);

/* Bytes quoted C-style, or JSON-escaped (bytes >= 0x80 as \u0080..\u00ff). */
void put_escaped(struct session *ss, const unsigned char *p, size_t n, bool json);
void put_comm(struct session *ss, const char comm[TASK_COMM_LEN], bool json);
void put_hex(struct session *ss, const unsigned char *p, size_t n);

/*
 * Ends the line: counts the event, writes out a full batch if stdout takes
 * it; -ENOMEM stops the run (a failed write does so through ss->done).
 */
int end_line(struct session *ss);

#endif
