// SPDX-License-Identifier: MIT
/*
 * perf events: a tracepoint's id (kfiles.c) becomes, through
 * perf_event_open(2), an fd a BPF program can be attached to, and closing
 * that fd detaches it.  The per-CPU events that carry what programs send
 * are perfbuf.c's.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "perf_event.h"
#include "syscalls.h"

int perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
		    unsigned long flags)
{
	show_time t = show_start(); /* -vv */
	int fd = syscall(__NR_perf_event_open, attr, pid, cpu, group_fd, flags);

	fd = fd < 0 ? -errno : fd;
	show_perf_event_open(t, attr, pid, cpu, group_fd, flags, fd);
	return fd;
}

int perf_event_ioctl(int fd, unsigned long request, unsigned long arg)
{
	show_time t = show_start(); /* -vv */
	int err = ioctl(fd, request, arg) < 0 ? -errno : 0;

	show_ioctl(t, fd, request, arg, err);
	return err;
}

int perf_attach_tracepoint(int tp_id, int prog_fd)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = tp_id,
		.sample_period = 1,
		.wakeup_events = 1,
		.disabled = 1,
	};

	return perf_attach_event(&attr, prog_fd);
}

int perf_attach_event(struct perf_event_attr *attr, int prog_fd)
{
	int fd, err;

	fd = perf_event_open(attr, -1 /* pid */, 0 /* cpu */, -1 /* group */, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return fd;

	/*
	 * Program first, then enable: the event is never live without it.  The
	 * program hangs off the tracepoint (or the probe) itself and runs from
	 * SET_BPF on, enabled or not; ENABLE adds the event's own sampling of
	 * the hits the program returns non-zero for
	 * (perf_trace_run_bpf_submit(), kernel/events/core.c).
	 */
	err = perf_event_ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd);
	err = err ?: perf_event_ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/*
 * Detaching is slow: closing a tracepoint event waits for a tasks-trace RCU
 * grace period to drop the program (perf_event_detach_bpf_prog()) and for
 * more to unregister the probe (tracepoint_synchronize_unregister()), tens
 * of milliseconds per event.  Closed one after another the waits add up;
 * closed from one thread each, grace periods already under way serve
 * several waiters at once.
 */
static void *close_one(void *fd)
{
	close(*(const int *)fd);
	return NULL;
}

void perf_detach_all(const int *fds, size_t n)
{
	pthread_t *threads = calloc(n ? n : 1, sizeof(*threads));
	size_t started = 0;

	for (size_t i = 0; i < n; i++) {
		if (fds[i] < 0)
			continue;
		/* Without a thread, close here: slower, never leaked. */
		if (threads && !pthread_create(&threads[started], NULL, close_one, (void *)&fds[i]))
			started++;
		else
			close(fds[i]);
	}
	while (started)
		pthread_join(threads[--started], NULL);
	free(threads);
}

/*
 * Closing an attached tracepoint event is the slow part of exiting: the
 * last close runs perf_trace_destroy() (kernel/trace/trace_event_perf.c),
 * which holds event_mutex while tracepoint_synchronize_unregister() waits
 * for RCU grace periods, tens of milliseconds per tracepoint.  Nobody needs
 * to wait for that once every line is out.  So a child takes the events
 * over: fork() gives it references to the same open files, the parent drops
 * its own (a close that is not the last one is instant) and exits, and the
 * child's closes, now the last ones, do the detaching.  The child holds
 * nothing of the caller's, so a pipe or $(...) reading our output sees EOF
 * when the parent exits.  Everything is still released, only a little
 * later: even a killed child releases its files as it dies.
 *
 * (PERF_EVENT_IOC_DISABLE first would change nothing: it takes the event
 * off the tracepoint's list of enabled events, but the program hangs off
 * the tracepoint itself, and perf_trace_run_bpf_submit() runs it either way
 * until the event is destroyed.  What it sends meanwhile goes to rings
 * nobody reads any more.)
 *
 * sigfd is the caller's signalfd, closed in the child.  then(arg) runs
 * in the child once every event is closed: a legacy kprobe's entry in
 * kprobe_events can only be removed then (attach/probe.c).  Returns the
 * child's pid, with every entry of links closed and set to -1
 * here, or -errno, with links untouched, for the caller to close them itself.
 */
pid_t perf_detach_in_background(int *links, size_t n, int sigfd, void (*then)(void *arg), void *arg)
{
	size_t attached = 0;
	int ready[2], err;
	pid_t pid;
	char c;

	for (size_t i = 0; i < n; i++)
		attached += links[i] >= 0;
	if (!attached)
		return -ENOENT;
	if (pipe(ready) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(ready[0]);
		close(ready[1]);
		return err;
	}
	if (pid == 0) {
		/* Our streams are the caller's: let go of them at once. */
		close(STDIN_FILENO);
		close(STDOUT_FILENO);
		close(STDERR_FILENO);
		close(sigfd);
		close(ready[1]);
		/* Its own session: the terminal's signals and hangup are not for it. */
		setsid();
		/* SIGTERM and SIGINT were ours to read; a kill now ends it, which releases all the same. */
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/*
		 * Until the parent has closed its copies, a close here might not
		 * be the last one, and the detaching would happen in the parent's
		 * exit.  EOF on the pipe says they are gone.
		 */
		while (read(ready[0], &c, 1) < 0 && errno == EINTR)
			;
		perf_detach_all(links, n);
		if (then)
			then(arg);
		_exit(0); /* the rest closes with the process; no atexit work */
	}
	close(ready[0]);
	for (size_t i = 0; i < n; i++) {
		if (links[i] >= 0)
			close(links[i]);
		links[i] = -1;
	}
	close(ready[1]);
	return pid;
}
