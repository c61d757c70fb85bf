// SPDX-License-Identifier: MIT
/*
 * The command after "--": mini-trace's one child that is not a helper.  See
 * child.h for its life: spawned after the attach, reaped, stopped when the
 * run ends first.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <unistd.h>
#include <sys/wait.h>

#include "child.h"

/*
 * fork(2) and execvp(3), not posix_spawnp(3): the same, for 1.5 KB less of
 * musl in the static binary.  An exec that fails says its errno through a
 * close-on-exec pipe, which a successful exec closes empty.
 */
int child_spawn(struct child *c, char **argv)
{
	sigset_t empty;
	int p[2], err = 0;
	ssize_t n;
	pid_t pid;

	*c = (struct child){ 0 };
	if (pipe(p))
		return -errno;
	/* pipe2(2) is a GNU name to glibc; no thread forks meanwhile. */
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	pid = fork();
	if (!pid) {
		/*
		 * mini-trace blocks the signals it reads from a signalfd and
		 * ignores SIGPIPE; an exec keeps both, so both are undone for
		 * the command.
		 */
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&empty);
		sigprocmask(SIG_SETMASK, &empty, NULL);
		execvp(argv[0], argv);
		err = errno;
		n = write(p[1], &err, sizeof(err));
		_exit(n == sizeof(err) ? 127 : 126);
	}
	err = pid < 0 ? errno : 0;
	close(p[1]);
	if (pid > 0) {
		do
			n = read(p[0], &err, sizeof(err));
		while (n < 0 && errno == EINTR);
		if (n == sizeof(err)) /* the exec failed: the child is reaped */
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
		else
			c->pid = pid, err = 0;
	}
	close(p[0]);
	return -err;
}

bool child_reap(struct child *c)
{
	pid_t r;
	int st;

	if (c->pid <= 0)
		return true;
	do
		r = waitpid(c->pid, &st, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return false;
	if (r == c->pid) {
		c->exited = true;
		c->status = st;
	}
	c->pid = 0; /* reaped, or (ECHILD) not ours to wait for */
	return true;
}

void child_stop(struct child *c, bool grace_first, long long now_ns)
{
	if (c->pid <= 0)
		return;
	if (c->next_ns)
		c->next_ns = now_ns; /* asked again: no more waiting */
	else
		c->next_ns = now_ns + (grace_first ? CHILD_GRACE_MS * 1000000LL : 0);
}

int child_stop_step(struct child *c, long long now_ns)
{
	static const int sigs[] = { SIGTERM, SIGKILL };
	int sig;

	if (c->pid <= 0 || !c->next_ns || now_ns < c->next_ns)
		return 0;
	if (c->signals_sent == 2)
		return -ETIMEDOUT;
	sig = sigs[c->signals_sent++];
	kill(c->pid, sig);
	c->next_ns = now_ns + CHILD_GRACE_MS * 1000000LL;
	return sig;
}

int child_next_ms(const struct child *c, long long now_ns)
{
	if (c->pid <= 0 || !c->next_ns)
		return -1;
	if (c->next_ns <= now_ns)
		return 0;
	return (c->next_ns - now_ns + 999999) / 1000000;
}

int child_exit_status(const struct child *c)
{
	if (WIFSIGNALED(c->status))
		return 128 + WTERMSIG(c->status);
	return WEXITSTATUS(c->status);
}
