// SPDX-License-Identifier: MIT
/*
 * reads N PATH: N one-byte read(2)s of PATH (meant for /dev/zero), timed.
 *
 * The overhead workload: every read passes the read tracepoints of whatever
 * is attached, and none of them is of the traced file, so what is measured
 * is the cost of being looked at, not of reporting.  Prints one line:
 *
 *   reads=N ns_per_read=X.X cpu_ns_per_read=Y.Y total_ns=T mono_start_ns=S mono_end_ns=E
 *
 * reads N getppid: N getppid(2)s instead, a syscall no password tool
 * follows: what being looked at costs the syscalls nobody traces.  The line
 * is the same ("reads" counts the calls).
 *
 * S and E are CLOCK_MONOTONIC at the start and end of the loop: the harness
 * checks that no other process had BPF programs attached in between.
 * Both clocks run around the loop only: process start-up is not counted.
 * ns_per_read is wall time; cpu_ns_per_read is the process's CPU time
 * (CLOCK_PROCESS_CPUTIME_ID), user and system, which the programs attached
 * to the read tracepoints are charged to, since they run in the reading
 * task.  On a shared, busy machine the CPU time is the steadier of the two:
 * it leaves out the time the reader waited for a CPU.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static long long now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long n, i, t0, t1, c0, c1;
	bool unrelated;
	char c;
	int fd;

	if (argc != 3 || (n = atoll(argv[1])) <= 0) {
		fprintf(stderr, "usage: reads N PATH|getppid\n");
		return 2;
	}
	unrelated = !strcmp(argv[2], "getppid");
	fd = unrelated ? -1 : open(argv[2], O_RDONLY | O_CLOEXEC);
	if (!unrelated && fd < 0) {
		perror(argv[2]);
		return 1;
	}
	t0 = now_ns(CLOCK_MONOTONIC);
	c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	for (i = 0; i < n; i++) {
		if (unrelated) {
			syscall(SYS_getppid); /* not getppid(): no libc may cache it */
			continue;
		}
		if (read(fd, &c, 1) != 1) {
			perror("read");
			return 1;
		}
	}
	c1 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	t1 = now_ns(CLOCK_MONOTONIC);
	printf("reads=%lld ns_per_read=%.1f cpu_ns_per_read=%.1f total_ns=%lld"
	       " mono_start_ns=%lld mono_end_ns=%lld\n", n,
	       (double)(t1 - t0) / n, (double)(c1 - c0) / n, t1 - t0, t0, t1);
	return 0;
}
