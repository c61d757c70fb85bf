// SPDX-License-Identifier: MIT
/*
 * The reference load: the same object loaded by libbpf (libbpf-dev), each
 * program printed as the kernel holds it (prog_dump.h).  tests/e2e_twin.sh
 * diffs this against test_load --dump, mini-trace's load of the object.
 * Test-time only: mini-trace never links libbpf.
 *
 * usage: libbpf_twin OBJECT
 * Exit status: 0 printed; 3 libbpf cannot open or load it (the message on
 * stderr); 1 the kernel would not describe a program.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/libbpf.h>

#include "prog_dump.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct pd_prog progs[64];
	size_t cnt = 0;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: libbpf_twin OBJECT\n");
		return 2;
	}
	libbpf_set_print(quiet);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "libbpf_twin: %s: cannot open\n", argv[1]);
		return 3;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "libbpf_twin: %s: load: %d\n", argv[1], err);
		bpf_object__close(obj);
		return 3;
	}
	bpf_object__for_each_program(prog, obj)
	{
		if (cnt < sizeof(progs) / sizeof(progs[0]))
			progs[cnt++] =
				(struct pd_prog){ bpf_program__name(prog), bpf_program__fd(prog) };
	}
	err = pd_dump_progs(stdout, progs, cnt);
	bpf_object__close(obj);
	return err ? 1 : 0;
}
