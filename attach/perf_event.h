/* SPDX-License-Identifier: MIT */
/*
 * perf events, the kernel's side door for BPF: perf_event_open(2), and a
 * program attached to a tracepoint's event.  Every function returns a value
 * >= 0 or -errno; none prints.
 */
#ifndef MINI_TRACE_PERF_EVENT_H
#define MINI_TRACE_PERF_EVENT_H

#include <stddef.h>
#include <sys/types.h>
#include <linux/perf_event.h>

/* perf_event_open(2); glibc and musl have no wrapper for it.  An fd, or -errno. */
int perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
		    unsigned long flags);

/* ioctl(2) on a perf event fd (PERF_EVENT_IOC_*): 0 or -errno. */
int perf_event_ioctl(int fd, unsigned long request, unsigned long arg);

/*
 * Opens the tracepoint's perf event, attaches prog_fd and enables it.  One
 * event (on CPU 0) is enough: the program hangs off the tracepoint itself and
 * runs wherever it fires.  Returns the event fd; closing it detaches.
 */
int perf_attach_tracepoint(int tp_id, int prog_fd);

/*
 * The same for any event attr describes (a kprobe's or uprobe's, probe.c):
 * opened for all processes, on CPU 0, prog_fd attached, enabled.
 */
int perf_attach_event(struct perf_event_attr *attr, int prog_fd);

/*
 * Closes n attached tracepoint events (-1 entries skipped) and waits for
 * all of them to be detached.
 */
void perf_detach_all(const int *fds, size_t n);

/*
 * The same, by a child process, so that the caller can exit at once; every
 * entry of links is closed and set to -1 here.  After the closes the child
 * calls then(arg), if given: what can only be undone once the events are
 * gone.  Returns the child's pid, or -errno (-ENOENT: nothing attached) with
 * links untouched.
 */
pid_t perf_detach_in_background(int *links, size_t n, int sigfd, void (*then)(void *arg),
				void *arg);

#endif
