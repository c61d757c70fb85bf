/*
 * read_target_and_decoy TARGET DECOY
 *
 * Reads two files through two fds open at once, a few bytes from one, then a
 * few from the other, until both are exhausted.  The password tracer must
 * report the target's bytes, in order, and nothing of the decoy's.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#define STEP 7 /* small, so that the reads interleave */

int main(int argc, char **argv)
{
	char buf[STEP];
	int target, decoy, target_done = 0, decoy_done = 0;
	ssize_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: %s TARGET DECOY\n", argv[0]);
		return 2;
	}
	decoy = open(argv[2], O_RDONLY);
	target = open(argv[1], O_RDONLY);
	if (decoy < 0 || target < 0) {
		perror("open");
		return 1;
	}
	while (!target_done || !decoy_done) {
		if (!decoy_done) {
			n = read(decoy, buf, sizeof(buf));
			if (n < 0)
				return 1;
			decoy_done = n == 0;
		}
		if (!target_done) {
			n = read(target, buf, sizeof(buf));
			if (n < 0)
				return 1;
			target_done = n == 0;
		}
	}
	close(target);
	close(decoy);
	return 0;
}
