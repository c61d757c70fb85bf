// SPDX-License-Identifier: MIT
/*
 * empty: attach programs that do nothing to a set of tracepoints, for the
 * floor of the attach mechanism in the overhead benchmark.
 *
 *   empty [--raw-tp] [--like OBJ] [CATEGORY/NAME...] [-- CMD ARGS]
 *
 * The tracepoints are named on the command line, or taken from the sections
 * of a BPF object with --like (build/password.bpf.o: the same tracepoints as
 * mini-trace's password tool, whatever it currently attaches to).  Each one
 * gets empty.bpf.c's do-nothing program through a perf event, the way
 * mini-trace and libbpf attach classic tracepoints.
 *
 * With --raw-tp the same set is attached as raw tracepoints instead: every
 * syscalls/sys_enter_* becomes the one raw tracepoint sys_enter (which fires
 * for every syscall), every syscalls/sys_exit_* becomes sys_exit, and
 * CATEGORY/NAME becomes NAME.
 *
 * Without CMD it prints "ready" on stdout once everything is attached and
 * waits for SIGINT or SIGTERM.  With -- CMD it attaches, runs CMD, and exits
 * when CMD exits, with CMD's exit status.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>

#include "empty.skel.h"

#define MAX_TARGETS 256

extern char **environ;

struct targets {
	char *name[MAX_TARGETS];	/* "category/name", or "name" for raw */
	size_t cnt;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: empty [--raw-tp] [--like OBJ] [CATEGORY/NAME...] [-- CMD ARGS]\n");
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, args);
}

/* Adds a target once; raw tracepoints collapse the syscall ones into two. */
static int add_target(struct targets *t, const char *tp, bool raw)
{
	const char *name = tp;

	if (raw) {
		if (!strncmp(tp, "syscalls/sys_enter_", 19))
			name = "sys_enter";
		else if (!strncmp(tp, "syscalls/sys_exit_", 18))
			name = "sys_exit";
		else if (strchr(tp, '/'))
			name = strchr(tp, '/') + 1;
	} else if (!strchr(tp, '/')) {
		fprintf(stderr, "empty: '%s': want CATEGORY/NAME\n", tp);
		return -EINVAL;
	}
	for (size_t i = 0; i < t->cnt; i++)
		if (!strcmp(t->name[i], name))
			return 0;
	if (t->cnt == MAX_TARGETS)
		return -E2BIG;
	t->name[t->cnt] = strdup(name);
	if (!t->name[t->cnt])
		return -ENOMEM;
	t->cnt++;
	return 0;
}

/* The tracepoint of every "tracepoint/C/N" or "tp/C/N" program in obj_path. */
static int add_targets_like(struct targets *t, const char *obj_path, bool raw)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	int err = 0;

	obj = bpf_object__open_file(obj_path, NULL);
	if (!obj)
		return -errno;
	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);

		if (!strncmp(sec, "tracepoint/", 11))
			err = add_target(t, sec + 11, raw);
		else if (!strncmp(sec, "tp/", 3))
			err = add_target(t, sec + 3, raw);
		if (err)
			break;
	}
	bpf_object__close(obj);
	return err;
}

static struct bpf_link *attach(struct empty_bpf *skel, const char *target, bool raw)
{
	char category[128];
	const char *slash;

	if (raw)
		return bpf_program__attach_raw_tracepoint(skel->progs.empty_raw_tp, target);
	slash = strchr(target, '/');
	snprintf(category, sizeof(category), "%.*s", (int)(slash - target), target);
	return bpf_program__attach_tracepoint(skel->progs.empty_tp, category, slash + 1);
}

/* Runs CMD with an empty signal mask; returns its exit status, or 1. */
static int run(char **cmd)
{
	posix_spawnattr_t attr;
	sigset_t empty;
	int wstatus, err;
	pid_t child;

	sigemptyset(&empty);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &empty);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	err = posix_spawnp(&child, cmd[0], NULL, &attr, cmd, environ);
	posix_spawnattr_destroy(&attr);
	if (err) {
		fprintf(stderr, "empty: cannot run '%s': %s\n", cmd[0], strerror(err));
		return 1;
	}
	if (waitpid(child, &wstatus, 0) != child || !WIFEXITED(wstatus))
		return 1;
	return WEXITSTATUS(wstatus);
}

int main(int argc, char **argv)
{
	struct bpf_link *links[MAX_TARGETS] = { 0 };
	struct targets t = { .cnt = 0 };
	struct empty_bpf *skel = NULL;
	const char *like = NULL;
	char **cmd = NULL;
	bool raw = false;
	sigset_t mask;
	int status = 1, sig, i, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--raw-tp")) {
			raw = true;
		} else if (!strcmp(argv[i], "--like") && i + 1 < argc) {
			like = argv[++i];
		} else if (!strcmp(argv[i], "--")) {
			cmd = &argv[i + 1];
			break;
		} else if (argv[i][0] == '-') {
			usage(stderr);
			return 2;
		}
	}
	/* Named targets second, so that --raw-tp applies to them whatever the order. */
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--like"))
			i++;
		else if (argv[i][0] != '-' && add_target(&t, argv[i], raw))
			return 2;
	}
	libbpf_set_print(libbpf_print);
	if (like) {
		err = add_targets_like(&t, like, raw);
		if (err) {
			fprintf(stderr, "empty: %s: %s\n", like, strerror(-err));
			return 1;
		}
	}
	if (!t.cnt || (cmd && !*cmd)) {
		usage(stderr);
		return 2;
	}

	/* SIGINT, SIGTERM and SIGCHLD are waited for with sigwait. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	skel = empty_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "empty: load: %s\n", strerror(errno));
		goto out;
	}
	for (size_t k = 0; k < t.cnt; k++) {
		links[k] = attach(skel, t.name[k], raw);
		if (!links[k]) {
			fprintf(stderr, "empty: attach %s: %s\n", t.name[k], strerror(errno));
			goto out;
		}
	}

	if (!cmd) {
		printf("ready\n");
		fflush(stdout);
		do
			sigwait(&mask, &sig);
		while (sig == SIGCHLD);
		status = 0;
		goto out;
	}

	status = run(cmd);

out:
	for (size_t k = 0; k < t.cnt; k++) {
		bpf_link__destroy(links[k]);
		free(t.name[k]);
	}
	empty_bpf__destroy(skel);
	return status;
}
