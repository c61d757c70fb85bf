// SPDX-License-Identifier: MIT
/*
 * The command after "--": mini-trace's one child that is not a helper.  See
 * child.h for its life: spawned after the attach, reaped, stopped when the
 * run ends first.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <spawn.h>
#include <sys/wait.h>

#include "child.h"

extern char **environ;

int child_spawn(struct child *c, char **argv)
{
	posix_spawnattr_t attr;
	sigset_t empty, dfl;
	int err;

	/*
	 * mini-trace blocks the signals it reads from a signalfd and ignores
	 * SIGPIPE; an exec keeps both, so both are undone for the command.
	 */
	sigemptyset(&empty);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &empty);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	*c = (struct child){ 0 };
	err = posix_spawnp(&c->pid, argv[0], NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (err)
		c->pid = 0;
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
