/* SPDX-License-Identifier: MIT */
/*
 * The command after "--": started once every program is attached, reaped
 * when it exits, and ended if mini-trace stops first, so that it never
 * outlives the run as an orphan.  Its wait status becomes mini-trace's exit
 * status, as with strace and time.  Every function returns a value >= 0 or
 * -errno; none prints.
 */
#ifndef MINI_TRACE_CHILD_H
#define MINI_TRACE_CHILD_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * How long a command has to end after each step of stopping it: SIGTERM,
 * then SIGKILL, then giving up on it (a task in uninterruptible sleep
 * outlives even SIGKILL for as long as it sleeps).
 */
#define CHILD_GRACE_MS 1000

struct child {
	pid_t pid;   /* > 0 while it runs (not yet reaped) */
	bool exited; /* reaped: status is waitpid()'s */
	int status;
	int signals_sent;  /* while stopping: SIGTERM, then SIGKILL */
	long long next_ns; /* while stopping: when the next step is due; 0: not stopping */
};

/* Starts argv with the signal mask and dispositions mini-trace found. */
int child_spawn(struct child *c, char **argv);

/* Reaps the command if it has exited; true once it has (or if there is none). */
bool child_reap(struct child *c);

/*
 * mini-trace stops first: SIGTERM now, or after a grace period when the
 * stop was a SIGINT, which a terminal sends the command too (it is in our
 * process group) and which it may be handling.  Asked again, the next step
 * is taken at once.
 */
void child_stop(struct child *c, bool grace_first, long long now_ns);

/*
 * The step of stopping that is due at now_ns, if any: returns the signal
 * sent (SIGTERM, SIGKILL), 0 for none, -ETIMEDOUT once SIGKILL has had its
 * grace period too.
 */
int child_stop_step(struct child *c, long long now_ns);

/* Milliseconds until the next step of stopping (rounded up), or -1. */
int child_next_ms(const struct child *c, long long now_ns);

/* The status a shell would give: the exit code, or 128 + N for signal N. */
int child_exit_status(const struct child *c);

#endif
