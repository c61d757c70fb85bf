// SPDX-License-Identifier: MIT
/*
 * storm_lines N EVERY TARGET: N reads of TARGET as fast as it can, each
 * after an lseek to its start, of 1 to 8 bytes (1 + i % 8); after every
 * EVERY reads, one line of its own on stdout, written with one write(2):
 *
 *	storm_lines 000100 xxxx...x	(80 bytes with the newline)
 *
 * Traced with "mini-trace password --file TARGET -- storm_lines ...", its
 * stdout is mini-trace's: the two write into one pipe or file at once, and
 * every line of either must come out whole.  Exits 1 on a short read.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n, every;
	char buf[8], line[81];
	int fd;

	if (argc != 4 || (n = atol(argv[1])) <= 0 || (every = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: storm_lines N EVERY TARGET\n");
		return 2;
	}
	fd = open(argv[3], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[3]);
		return 1;
	}
	for (long i = 0; i < n; i++) {
		if (lseek(fd, 0, SEEK_SET) < 0 || read(fd, buf, 1 + i % 8) < 1 + i % 8) {
			fprintf(stderr, "storm_lines: %s: short read\n", argv[3]);
			return 1;
		}
		if ((i + 1) % every == 0) {
			int len = snprintf(line, sizeof(line), "storm_lines %06ld ", i + 1);

			memset(line + len, 'x', sizeof(line) - 2 - len);
			line[sizeof(line) - 2] = '\n';
			if (write(STDOUT_FILENO, line, sizeof(line) - 1) != sizeof(line) - 1)
				return 1;
		}
	}
	return 0;
}
