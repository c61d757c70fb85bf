/* SPDX-License-Identifier: MIT */
/*
 * The event loop (loop.c): records read from every channel and printed by
 * the command, until the command exits, a signal, --once or --timeout.
 */
#ifndef MINI_TRACE_LOOP_H
#define MINI_TRACE_LOOP_H

#include <stddef.h>

#include "channel.h"
#include "child.h"
#include "command.h"
#include "output.h"

/*
 * How long lines may still be written once a signal or --timeout has
 * stopped the run: what stdout has not taken by then is counted, not
 * waited for.
 */
#define STOP_GRACE_MS 500

/* What the loop reads from and writes to; the pipeline owns all of it. */
struct loop {
	const struct options *opt;
	struct session *ss;
	struct channel *chs;
	size_t ch_cnt;
	int sigfd;
	struct child *cmd; /* the command after --; pid 0 if none */
};

/*
 * Runs until the run is over; CMD, if it still runs, is then stopped
 * (SIGTERM, SIGKILL a second later) and reaped.  Returns 0 or -errno.
 */
int event_loop(struct loop *p);

/* How CMD ended, for -v. */
void narrate_child(const struct child *c);

#endif
