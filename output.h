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
struct object;

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
	/*
	 * After load, before attach: what the command writes into its maps
	 * itself.  0: a line for the -v narration may be left in d; 1: d
	 * holds a warning.
	 */
	int (*loaded)(const struct object *o, const struct options *opt, struct diag *d);
	/* Counts in the object's .bss of what its programs could not follow. */
	const struct missed {
		const char *var;
		const char *what;	/* "warning: N <what>" at the end of a run */
	} *missed;
};

/* Writes out the lines printed so far; -EPIPE once stdout is gone. */
int output_flush(struct session *ss);

/* The same, then frees the buffer. */
void output_close(struct session *ss);

/* password.c: --file in the one spelling the program matches (-errno if none). */
int password_path_normalise(const char *in, char out[PASSWORD_PATH_MAX]);
/* Sizes the fd-table map for the running kernel: 1 if it allocates as it goes. */
int password_size_tables(struct spec *s);
/* Writes the fd tables of the processes that hold file already. */
int password_seed(const struct object *o, const char *file, struct diag *d);

extern const struct command commands[];
extern const size_t command_cnt;

#endif
