// SPDX-License-Identifier: MIT
/*
 * storm N PATH: N reads of PATH (meant for the traced file), timed.
 *
 * The delivery workload: every read is of the target, so every read is one
 * event that a password tool must deliver.  The file is opened once; each
 * turn seeks back to its start and reads 1 to 8 bytes (1 + i % 8), so every
 * read returns data as long as the file holds 8 bytes ("hunter2\n").  A
 * turn is lseek + read: the lseek is not traced by any of the tools, but is
 * counted in the time, traced and untraced alike.  Prints one line:
 *
 *   reads=N ns_per_read=X.X cpu_ns_per_read=Y.Y total_ns=T bytes=B
 *   mono_start_ns=S mono_end_ns=E
 *
 * ns_per_read is wall time, cpu_ns_per_read the process's CPU time (see
 * reads.c), B the bytes the reads returned: a tool that delivers everything
 * prints N events carrying B bytes in all.  S and E are CLOCK_MONOTONIC at
 * the start and end of the loop (see reads.c).  Waking the reader is charged
 * to the reading task, so its cost shows in both times.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long n, i, t0, t1, c0, c1, bytes = 0;
	char buf[8];
	ssize_t r;
	int fd;

	if (argc != 3 || (n = atoll(argv[1])) <= 0) {
		fprintf(stderr, "usage: storm N PATH\n");
		return 2;
	}
	fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	t0 = now_ns(CLOCK_MONOTONIC);
	c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	for (i = 0; i < n; i++) {
		if (lseek(fd, 0, SEEK_SET) < 0 || (r = read(fd, buf, 1 + i % 8)) < 1) {
			fprintf(stderr, "storm: %s: short file or read error\n", argv[2]);
			return 1;
		}
		bytes += r;
	}
	c1 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	t1 = now_ns(CLOCK_MONOTONIC);
	printf("reads=%lld ns_per_read=%.1f cpu_ns_per_read=%.1f total_ns=%lld bytes=%lld"
	       " mono_start_ns=%lld mono_end_ns=%lld\n", n,
	       (double)(t1 - t0) / n, (double)(c1 - c0) / n, t1 - t0, bytes, t0, t1);
	return 0;
}
