/*
 * failed_read TARGET MISSING
 *
 * Syscalls on the target that fail, or read nothing, which the password
 * tracer must not report:
 *
 * 1. open(MISSING), a path that does not exist: ENOENT;
 * 2. read from the target opened O_WRONLY: EBADF;
 * 3. read from the target into a buffer it may not write (PROT_NONE): EFAULT;
 * 4. read at the end of the target: 0 bytes.
 *
 * Exits 0 if every call failed or came back empty as expected, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static int expect(const char *what, ssize_t ret, int err)
{
	if (ret == (err ? -1 : 0) && (!err || errno == err))
		return 0;
	fprintf(stderr, "%s: returned %zd, errno %d\n", what, ret, errno);
	return 1;
}

int main(int argc, char **argv)
{
	char buf[64], *no_access;
	int fd, bad = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s TARGET MISSING\n", argv[0]);
		return 2;
	}
	bad |= expect("open missing", open(argv[2], O_RDONLY) < 0 ? -1 : 0, ENOENT);

	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	bad |= expect("read write-only fd", read(fd, buf, sizeof(buf)), EBADF);
	close(fd);

	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	no_access = mmap(NULL, sizeof(buf), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (no_access == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	bad |= expect("read into bad buffer", read(fd, no_access, sizeof(buf)), EFAULT);
	lseek(fd, 0, SEEK_END);
	bad |= expect("read at end", read(fd, buf, sizeof(buf)), 0);
	close(fd);
	return bad;
}
