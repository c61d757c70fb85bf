/* SPDX-License-Identifier: MIT */
/*
 * Messages on stderr, one write(2) each: error() always, narrate() with -v.
 * Every name an object or a traced process chose is shown through esc(),
 * and any other byte that is not printable is escaped on the way out.
 */
#ifndef MINI_TRACE_LOG_H
#define MINI_TRACE_LOG_H

enum log_level { LOG_ERROR, LOG_INFO };

/* -v counted: 0 errors and warnings only, 1 the narration of each step. */
void log_set_verbose(int level);
int log_verbose(void);

__attribute__((format(printf, 2, 3))) void say(enum log_level level, const char *f, ...);

#define error(...) say(LOG_ERROR, __VA_ARGS__)
#define narrate(...) say(LOG_INFO, __VA_ARGS__)

/*
 * A name an object or a traced process chose, escaped for a message:
 * "map '%s'", esc(m->name).  A few calls may share one message.
 */
const char *esc(const char *name);

/* The tail of a verifier log (all of it with -v), its bytes escaped. */
void print_log(const char *log);

#endif
