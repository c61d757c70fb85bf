/* SPDX-License-Identifier: MIT */
/*
 * A verifier rejection in a learner's words: the source line where
 * verification stopped, the verifier's own message, and a hint for the
 * common causes.  Pure: the verifier's log in, the explanation out.
 */
#ifndef MINI_TRACE_EXPLAIN_H
#define MINI_TRACE_EXPLAIN_H

#include <stddef.h>

struct explained {
	char file[128];	   /* "ex.bpf.c", as the line info names it */
	unsigned line;	   /* 0: the log has no line info (no .BTF.ext) */
	char source[256];  /* the text of that line, as clang recorded it */
	char message[256]; /* the verifier's last word */
	const char *hint;  /* NULL when no known cause matches */
};

/* 0 when the log ends in a rejection message; -ENOENT otherwise. */
int verifier_explain(const char *log, struct explained *x);

#endif
