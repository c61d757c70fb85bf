/*
 * dup2_over TARGET DECOY
 *
 * Moves open files around with dup2, the way a shell sets up `cmd < file`:
 *
 * 1. The decoy is open on fd d, the target on fd t.  dup2(t, d) makes d a
 *    second fd for the target, closing the decoy.  Reading d to the end must
 *    be reported: the target's bytes, as fd d.
 * 2. The decoy is opened again and dup2'ed over t.  Reading t must not be
 *    reported: t now names the decoy.
 *
 * So the tracer must report the target's bytes exactly once, as fd d.
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
	int d, t, decoy;

	if (argc != 3) {
		fprintf(stderr, "usage: %s TARGET DECOY\n", argv[0]);
		return 2;
	}
	d = open(argv[2], O_RDONLY);
	t = open(argv[1], O_RDONLY);
	if (d < 0 || t < 0) {
		perror("open");
		return 1;
	}

	/* 1: the target replaces the decoy on d. */
	if (dup2(t, d) != d || read_all(d) < 0) {
		perror("dup2 target over decoy");
		return 1;
	}

	/* 2: a decoy replaces the target on t. */
	decoy = open(argv[2], O_RDONLY);
	if (decoy < 0 || dup2(decoy, t) != t || read_all(t) < 0) {
		perror("dup2 decoy over target");
		return 1;
	}
	close(decoy);
	close(t);
	close(d);
	return 0;
}
