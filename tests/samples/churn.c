// SPDX-License-Identifier: MIT
/*
 * Many short-lived processes: churn N PROGRAM [FILE].  Each child opens
 * FILE, if given, and leaves it open, then execs PROGRAM, which exits
 * without closing it.  Up to 32 children run at once.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[1]) : 0, running = 0, failed = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: churn N PROGRAM [FILE]\n");
		return 2;
	}
	for (int i = 0; i < n || running;) {
		int status;

		if (i < n && running < 32) {
			pid_t pid = fork();

			if (pid == 0) {
				if (argc > 3 && open(argv[3], O_RDONLY) < 0)
					_exit(1);
				execl(argv[2], argv[2], (char *)NULL);
				_exit(1);
			}
			if (pid > 0) {
				running++;
				i++;
				continue;
			}
		}
		if (wait(&status) > 0) {
			running--;
			failed += !WIFEXITED(status) || WEXITSTATUS(status);
		}
	}
	return failed ? 1 : 0;
}
