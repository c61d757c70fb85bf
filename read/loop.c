// SPDX-License-Identifier: MIT
/*
 * The one poll loop of the read step: the signalfd, every channel's fd and
 * stdout wake the same poll(), so a signal, the command's exit, --timeout,
 * --once and a reader that stalls or goes away are all seen where events
 * are, and no call but poll() ever blocks.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include "log.h"
#include "loop.h"

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One pass over every channel, then its lines written out, even after an error. */
static int drain(struct loop *p)
{
	int err = 0;

	for (size_t i = 0; i < p->ch_cnt && !err; i++)
		err = channel_consume(&p->chs[i]);
	output_flush(p->ss); /* a failed write ends the run: ss.done */
	return err;
}

/*
 * What the signalfd said.  A signal also starts stopping CMD (child.h);
 * SIGCHLD reaps it.
 */
enum stop { GO_ON, STOP_DONE /* the command exited */, STOP_NOW /* a signal */ };

static enum stop read_signals(struct loop *p)
{
	struct signalfd_siginfo si;
	enum stop stop = GO_ON;

	while (read(p->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGCHLD) {
			narrate("%s: stopping", strsignal(si.ssi_signo));
			child_stop(p->cmd, si.ssi_signo == SIGINT, now_ns());
			stop = STOP_NOW;
		} else if (p->cmd->pid > 0 && child_reap(p->cmd)) {
			stop = stop ?: STOP_DONE;
		}
	}
	return stop;
}

/*
 * The perf rings wake us only once a part of them has filled (perf.c), so
 * a trickle of events could wait there unseen: poll() never sleeps longer
 * than this, which bounds how late a line is printed.  Under load the
 * rings wake us long before it; when idle it costs ten wakeups a second.
 */
#define POLL_TICK_MS 100

/* Starts stopping CMD, if it runs, and takes the step of it that is due. */
static void stop_child(struct loop *p, int why)
{
	int sent;

	if (p->cmd->pid <= 0)
		return;
	if (!p->cmd->next_ns)
		child_stop(p->cmd, why == SIGINT, now_ns());
	sent = child_stop_step(p->cmd, now_ns());
	if (sent > 0)
		narrate("command still running: sent %s", sent == SIGKILL ? "SIGKILL" : "SIGTERM");
}

/*
 * The run is over: CMD, if it still runs, is stopped and reaped (SIGTERM,
 * SIGKILL a second later), or given up on a second after that.
 */
static void end_child(struct loop *p)
{
	while (!child_reap(p->cmd)) {
		struct pollfd pfd = { .fd = p->sigfd, .events = POLLIN };
		struct signalfd_siginfo si;
		int next;

		stop_child(p, SIGTERM);
		if (child_stop_step(p->cmd, now_ns()) == -ETIMEDOUT) {
			error("warning: the command (pid %d) is still there after SIGKILL; left behind",
			      (int)p->cmd->pid);
			return;
		}
		next = child_next_ms(p->cmd, now_ns());
		/* SIGCHLD wakes us; another signal takes the next step at once. */
		if (poll(&pfd, 1, next < 0 ? POLL_TICK_MS : next) > 0)
			while (read(p->sigfd, &si, sizeof(si)) == sizeof(si))
				if (si.ssi_signo != SIGCHLD)
					child_stop(p->cmd, false, now_ns());
	}
}

/* How CMD ended, for -v. */
void narrate_child(const struct child *c)
{
	if (!c->exited)
		return;
	if (WIFSIGNALED(c->status))
		narrate("command killed by signal %d (%s): status %d", WTERMSIG(c->status),
			strsignal(WTERMSIG(c->status)), child_exit_status(c));
	else
		narrate("command exited: status %d", child_exit_status(c));
}

/*
 * The event loop.  Signals arrive through a signalfd, so SIGINT, SIGTERM,
 * SIGHUP and SIGCHLD wake the same poll() that waits for the rings and for
 * stdout, and a stop is always followed by one last pass over every ring.
 * Nothing in it blocks but poll(): lines are written only when stdout
 * takes them (output.c), and while it takes none the rings are not read.
 * So a reader that stalls can delay the end by STOP_GRACE_MS at most after
 * a signal or --timeout; a reader that goes away shows as POLLERR on a
 * pipe (pipe_poll(), fs/pipe.c) or POLLHUP on a socket, and ends the run
 * at once.  After the command exits, its lines are waited for.
 *
 * When the run ends first (a signal, --once, --timeout, an error), CMD is
 * sent SIGTERM at once (after SIGINT, a second later: child.h), and once
 * the last lines are out, waited for, then killed, so it never outlives us.
 */
int event_loop(struct loop *p)
{
	const struct options *opt = p->opt;
	struct session *ss = p->ss;
	long long deadline = 0, give_up = 0;
	bool stop = false, last_pass = false, watch = output_watchable(ss);
	size_t n = p->ch_cnt;
	struct pollfd fds[n + 2];
	int err = 0;

	if (opt->timeout_ms >= 0)
		deadline = now_ns() + opt->timeout_ms * 1000000;
	fds[0] = (struct pollfd){ .fd = p->sigfd, .events = POLLIN };
	for (size_t i = 0; i < n; i++)
		fds[i + 1] = (struct pollfd){ .fd = channel_fd(&p->chs[i]) };
	fds[n + 1] = (struct pollfd){ .fd = STDOUT_FILENO };
	for (;;) {
		int timeout_ms = POLL_TICK_MS;
		long long t = now_ns(), until = give_up ?: deadline;
		enum stop why;

		if (stop || ss->done || err)
			stop_child(p, SIGTERM);

		/*
		 * Once stopped: one whole pass over the rings that stdout did
		 * not cut short, and every line written.  (The exit and read
		 * tracepoints run in the traced task before it can be reaped,
		 * so once waitpid() has returned its events are in the rings.)
		 */
		if (stop && !ss->done && !last_pass && !output_full(ss)) {
			err = drain(p);
			last_pass = !output_full(ss);
		}
		if (err || ss->broken_pipe || ss->write_err ||
		    ((stop || ss->done) && (last_pass || ss->done) && !output_pending(ss)))
			break;
		if (until && t >= until) {
			if (give_up)
				break;
			/* --timeout: stop, with a little time to write what is left. */
			stop = true;
			give_up = t + STOP_GRACE_MS * 1000000LL;
			continue;
		}
		if (until && until - t < POLL_TICK_MS * 1000000LL)
			timeout_ms = (until - t + 999999) / 1000000; /* rounded up */
		/* The rings are read until the stop, and while stdout takes lines. */
		for (size_t i = 0; i < n; i++)
			fds[i + 1].events = stop || ss->done || output_full(ss) ? 0 : POLLIN;
		fds[n + 1].events = output_pending(ss) ? POLLOUT : 0;
		fds[n + 1].fd = watch || output_pending(ss) ? STDOUT_FILENO : -1;
		if (poll(fds, n + 2, timeout_ms) < 0 && errno != EINTR) {
			err = -errno;
			break; /* CMD is still ended below */
		}
		if ((fds[n + 1].revents & (POLLERR | POLLHUP)) && !output_pending(ss))
			output_gone(ss);
		output_flush(ss);
		if (!stop && !ss->done && !output_full(ss)) {
			err = drain(p);
			if (err)
				break;
		}
		why = fds[0].revents & POLLIN ? read_signals(p) : GO_ON;
		stop = stop || why != GO_ON;
		if (why == STOP_NOW && !give_up)
			give_up = now_ns() + STOP_GRACE_MS * 1000000LL;
	}
	if (!err && !ss->broken_pipe && !ss->write_err && output_pending(ss)) {
		/* stdout took too little: the rest is counted, the rings included. */
		output_abandon(ss);
		if (!last_pass && !ss->done)
			err = drain(p);
	}
	end_child(p);
	return err;
}
