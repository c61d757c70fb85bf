/* SPDX-License-Identifier: MIT */
/*
 * The last step: each command decodes the records its own programs send and
 * prints them, one event per line, as text or JSON.  The commands differ
 * only here and in the object they load and the constants they patch into it.
 */
#ifndef MINI_TRACE_OUTPUT_H
#define MINI_TRACE_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "diag.h"
#include "events.h"
#include "spec.h"

/* What the command line asked for. */
struct options {
	const struct command *cmd;
	const char *object;	/* run: the object file */
	const char *comm;	/* exit: --comm */
	const char *file;	/* password: --file */
	const char *expect;	/* run: --expect */
	bool json;
	bool once;
	long long timeout_ms;	/* --timeout; < 0: none */
	size_t buffer_pages;	/* --buffer-pages; 0: the default */
	char **argv;		/* the command after "--", or NULL */
};

/* A read of the password file being put back together from its chunks. */
struct pending_read;

/*
 * Lines on their way to stdout: buf[0..line) holds whole lines not yet
 * written (about PIPE_BUF bytes of them at most: past that the output is
 * full), and buf[line..len) the line being built.
 */
struct out_buf {
	char *buf;
	size_t len, line, cap;
	size_t cut;		/* bytes of buf[0]'s line written already */
	int kind;		/* stdout's file type (S_IFMT bits); 0: not looked at yet */
	bool nomem;		/* a line could not be built: the run stops */
};

/* What printing needs across records. */
struct session {
	const struct options *opt;
	struct out_buf out;
	__u64 events;		/* lines printed */
	__u64 malformed;	/* records too short or inconsistent to decode */
	bool done;		/* --once has what it wanted, or stdout is gone */
	bool broken_pipe;	/* the reader went away: a quiet end */
	int write_err;		/* errno of a failed write to stdout: status 1 */
	bool cut_left;		/* ... and it left a line cut short in the file */
	bool abandoned;		/* stdout is given up on: lines are only counted */
	__u64 unwritten;	/* lines built but never written */
	struct pending_read *pending;
	size_t pending_cnt;
	__u64 answers;		/* run: SUBMIT_* records */
	struct mt_answer {
		__u8 kind;
		__u16 len;
		unsigned char data[MT_DATA_MAX];
	} answer;		/* run: the first of them */
};

struct command {
	const char *name;
	const char *summary;
	const unsigned char *obj, *obj_end;	/* embedded, packed; NULL: the object file */
	int (*configure)(struct spec *s, const struct options *opt, struct diag *d);
	/* Tracepoints some kernels or architectures lack: skipped, not fatal. */
	const char *const *optional;
	/* One record from the perf or ring buffer of map m; -errno stops the run. */
	int (*print)(struct session *ss, const struct spec_map *m, const void *data, __u32 size);
	/* After the last record: what is pending, and the verdict (--expect). */
	int (*finish)(struct session *ss, struct diag *d);
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

/*
 * name escaped into buf (NUL-terminated, cut short before an escape that
 * does not fit) for a message: "map '%s'", escape_name(b, sizeof(b), name).
 */
const char *escape_name(char *buf, size_t size, const char *name);

extern const struct command commands[];
extern const size_t command_cnt;

#endif
