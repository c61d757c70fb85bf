/*
 * big_read TARGET
 *
 * Reads the whole target with a single read() into a buffer one byte larger
 * than the file, as Python's read() does.  For a 64 KiB target that is one
 * read the password tracer must send in several chunks; past
 * PASSWORD_CHUNK * PASSWORD_MAX_CHUNKS bytes it sends that much, flagged
 * truncated, with the read's true length.  Exits 1 on a short read.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s TARGET\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(argv[1]);
		return 1;
	}
	buf = malloc(st.st_size + 1);
	if (!buf)
		return 1;
	n = read(fd, buf, st.st_size + 1);
	if (n != st.st_size) {
		fprintf(stderr, "read %zd of %lld bytes\n", n, (long long)st.st_size);
		return 1;
	}
	free(buf);
	close(fd);
	return 0;
}
