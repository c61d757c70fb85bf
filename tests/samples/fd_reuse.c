/*
 * fd_reuse TARGET DECOY
 *
 * Reads the target, closes it, then opens the decoy, which the kernel gives
 * the lowest free fd: the number the target just had.  The password tracer
 * must report the target's bytes only: the mark must not outlive the close.
 * Exits 1 if the decoy did not get the same fd, as the test then proves
 * nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int read_all(int fd)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	return n < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	int target, decoy;

	if (argc != 3) {
		fprintf(stderr, "usage: %s TARGET DECOY\n", argv[0]);
		return 2;
	}
	target = open(argv[1], O_RDONLY);
	if (target < 0 || read_all(target) < 0) {
		perror(argv[1]);
		return 1;
	}
	close(target);

	decoy = open(argv[2], O_RDONLY);
	if (decoy < 0 || read_all(decoy) < 0) {
		perror(argv[2]);
		return 1;
	}
	if (decoy != target) {
		fprintf(stderr, "decoy got fd %d, not %d\n", decoy, target);
		return 1;
	}
	close(decoy);
	return 0;
}
