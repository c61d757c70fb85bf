/*
 * getfd TARGET
 *
 * A child opens the target and waits; the parent, which never opens it,
 * takes the child's fd with pidfd_getfd(2) (5.6) and reads it.  Exits 1 if
 * that failed.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	int ready[2], fd, pidfd, ok = 0;
	char buf[64];
	pid_t child;

	if (argc != 2) {
		fprintf(stderr, "usage: %s TARGET\n", argv[0]);
		return 2;
	}
	if (pipe(ready))
		return 1;
	child = fork();
	if (child == 0) {
		fd = open(argv[1], O_RDONLY);
		if (write(ready[1], &fd, sizeof(fd)) != sizeof(fd))
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(ready[0], &fd, sizeof(fd)) == sizeof(fd) && fd >= 0) {
		pidfd = syscall(SYS_pidfd_open, child, 0);
		fd = pidfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pidfd, fd, 0);
		ok = fd >= 0 && read(fd, buf, sizeof(buf)) > 0;
	}
	kill(child, SIGKILL);
	wait(NULL);
	return ok ? 0 : 1;
}
