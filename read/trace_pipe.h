/* SPDX-License-Identifier: MIT */
/*
 * bpf_printk()'s lines: the kernel writes them into its trace buffer
 * (bpf_trace_printk(), kernel/trace/bpf_trace.c), which tracefs's
 * trace_pipe hands out, each line once, to whoever reads it.  The buffer
 * is the whole machine's: other programs' bpf_printk lines come too.
 */
#ifndef MINI_TRACE_TRACE_PIPE_H
#define MINI_TRACE_TRACE_PIPE_H

#include <stddef.h>

#include "diag.h"
#include "output.h"

struct trace_pipe {
	int fd; /* -1: not open */
	size_t len;
	char buf[4096]; /* a line not yet ended */
};

/* Opens tracefs's trace_pipe, non-blocking, and drops what was there before. */
int trace_pipe_open(struct trace_pipe *t, const char *tracefs, struct diag *d);

/* Prints each bpf_trace_printk line as "printk: TEXT"; 0 or -errno. */
int trace_pipe_consume(struct trace_pipe *t, struct session *ss);

void trace_pipe_close(struct trace_pipe *t);

#endif
