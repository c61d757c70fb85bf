// SPDX-License-Identifier: MIT
/*
 * Messages on stderr.  Lower layers never print: they return -errno and a
 * line of neutral text (diag.h), and the steps main narrates say it here,
 * with errors and warnings always and the narration with -v.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "log.h"
#include "output.h"

/* -v: 0 errors and warnings only, 1 the narration of each step. */
static int verbose;

void log_set_verbose(int level)
{
	verbose = level;
}

int log_verbose(void)
{
	return verbose;
}

/*
 * One message, one write(2): a line of ours is never split by another's.
 * Names an object chose are escaped where they are formatted (esc());
 * whatever else of theirs a lower layer put in a message has its bytes
 * that are not printable escaped here, so none reaches a terminal raw
 * and no message runs onto a second line.
 */
void say(enum log_level level, const char *f, ...)
{
	char msg[1024], shown[4 * sizeof(msg)];
	va_list ap;
	int n;

	if ((int)level > verbose)
		return;
	va_start(ap, f);
	n = fmt_v(msg, sizeof(msg), f, ap);
	va_end(ap);
	n = escape(shown, msg, n < (int)sizeof(msg) ? n : (int)sizeof(msg) - 1, 0, false);
	fmt_write(STDERR_FILENO, "mini-trace: %.*s\n", n, shown);
}

/*
 * A name an object or a traced process chose, escaped for a message:
 * "map '%s'", esc(m->name).  Each call takes the next of a few buffers, so
 * one message can show several names.
 */
const char *esc(const char *name)
{
	static char bufs[4][4 * 64 + 1];
	static unsigned next;

	return escape_name(bufs[next++ % 4], sizeof(bufs[0]), name);
}

/*
 * A verifier log can run to a million lines; the reason is at its end.  So
 * the last LOG_TAIL lines are shown, and all of them with -v.
 */
#define LOG_TAIL 40

void print_log(const char *log)
{
	const char *start;
	int lines = 0;

	if (!log || !*log)
		return;
	start = log + strlen(log);
	while (start > log && (verbose || lines <= LOG_TAIL))
		if (*--start == '\n')
			lines++;
	if (start > log) {
		fmt_write(STDERR_FILENO, "mini-trace: verifier log, last %d lines (all with -v):\n",
			  LOG_TAIL);
		start++;
	}
	/* The log quotes the object's source lines: their bytes are escaped. */
	while (*start) {
		char shown[4 * 1024 + 1];
		size_t line = strcspn(start, "\n"), take = line < 1024 ? line : 1024;
		size_t n = escape(shown, start, take, 0, false);

		if (take == line && start[line] == '\n') {
			shown[n++] = '\n';
			take++;
		}
		if (write_all(STDERR_FILENO, shown, n))
			break;
		start += take;
	}
}
