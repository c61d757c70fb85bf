/*
 * pread_readv TARGET
 *
 * Reads the target (at least 16 bytes long) with the syscalls other than
 * read(2), each a separate report:
 *
 * 1. pread64 of bytes 4..11 (8 bytes at offset 4);
 * 2. readv from offset 0 into three buffers of 3, 0 and 5 bytes: bytes 0..7;
 * 3. preadv at offset 8 into two buffers of 4 and 4 bytes: bytes 8..15.
 *
 * The password tracer must report the bytes at those offsets of the file, in
 * that order, each read as one sequence of chunks.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char a[8], b[3], c[5], d[4], e[4];
	struct iovec v3[] = { { b, sizeof(b) }, { c, 0 }, { c, sizeof(c) } };
	struct iovec v2[] = { { d, sizeof(d) }, { e, sizeof(e) } };
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s TARGET\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	if (pread(fd, a, sizeof(a), 4) != sizeof(a) || readv(fd, v3, 3) != sizeof(b) + sizeof(c) ||
	    preadv(fd, v2, 2, 8) != sizeof(d) + sizeof(e)) {
		perror("short read");
		return 1;
	}
	close(fd);
	return 0;
}
