/*
 * holders TARGET N
 *
 * N processes open the target and hold it open, each with a fd table of
 * its own in the password tracer; once all hold it, one more process opens
 * the target and reads it, and must be reported.  Then the holders are let
 * go.  Exits 1 if a holder could not be made or the read failed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	int ready[2], hold[2], n, i, status, ok = 1;
	char c, buf[4096];
	pid_t pid;

	if (argc != 3 || (n = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: %s TARGET N\n", argv[0]);
		return 2;
	}
	if (pipe(ready) || pipe(hold)) {
		perror("pipe");
		return 1;
	}
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0) {
			perror("fork");
			ok = 0;
			break;
		}
		if (pid == 0) {
			close(hold[1]);
			c = open(argv[1], O_RDONLY) >= 0;
			write(ready[1], &c, 1);
			read(hold[0], &c, 1); /* until the parent closes hold[1] */
			_exit(0);
		}
	}
	close(ready[1]);
	close(hold[0]);
	for (int got = 0; got < i; got++)
		if (read(ready[0], &c, 1) != 1 || !c)
			ok = 0;

	pid = fork();
	if (pid == 0) {
		int fd = open(argv[1], O_RDONLY);

		_exit(fd < 0 || read(fd, buf, sizeof(buf)) <= 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
		ok = 0;

	close(hold[1]);
	while (wait(NULL) > 0)
		;
	return ok ? 0 : 1;
}
