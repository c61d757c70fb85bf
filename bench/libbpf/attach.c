// SPDX-License-Identifier: MIT
/*
 * libbpf-attach: the libbpf peer of "mini-trace run OBJ -- CMD" for the
 * attach-kinds benchmark: open any object file, load it, auto-attach every
 * program by its section name (bpf_program__attach: uprobes through the
 * uprobe PMU, raw tracepoints through BPF_RAW_TRACEPOINT_OPEN), then run
 * CMD and wait for it.  Events are not read: only the time until attached
 * is measured.
 *
 *   libbpf-attach OBJ -- CMD ARGS
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>

extern char **environ;

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	int status, err;
	pid_t pid;

	if (argc < 4 || strcmp(argv[2], "--")) {
		fprintf(stderr, "usage: libbpf-attach OBJ -- CMD ARGS\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "libbpf-attach: open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "libbpf-attach: load: %s\n", strerror(-err));
		return 1;
	}
	bpf_object__for_each_program(prog, obj)
	{
		if (!bpf_program__attach(prog)) {
			fprintf(stderr, "libbpf-attach: attach %s: %s\n", bpf_program__name(prog),
				strerror(errno));
			return 1;
		}
	}
	err = posix_spawn(&pid, argv[3], NULL, NULL, argv + 3, environ);
	if (err) {
		fprintf(stderr, "libbpf-attach: %s: %s\n", argv[3], strerror(err));
		return 1;
	}
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	/* The links go with the process, as mini-trace's do. */
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
