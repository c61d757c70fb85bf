// SPDX-License-Identifier: MIT
/*
 * perf events: a tracepoint's id (kfiles.c) becomes, through
 * perf_event_open(2), an fd a BPF program can be attached to, and closing
 * that fd detaches it.  The per-CPU events that carry what programs send
 * are perfbuf.c's.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "perf_event.h"

int perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
		    unsigned long flags)
{
	int fd = syscall(__NR_perf_event_open, attr, pid, cpu, group_fd, flags);

	return fd < 0 ? -errno : fd;
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
	int fd, err;

	fd = perf_event_open(&attr, -1 /* pid */, 0 /* cpu */, -1 /* group */,
			     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return fd;

	/*
	 * Program first, then enable: the event is never live without it.  The
	 * program hangs off the tracepoint and runs from SET_BPF on, enabled
	 * or not; ENABLE adds the event's own sampling of the hits the program
	 * returns non-zero for (perf_trace_run_bpf_submit(), kernel/events/core.c).
	 */
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0 ||
	    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		err = -errno;
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
