// SPDX-License-Identifier: MIT
/*
 * Loader tests against the running kernel (root): the fixture with every kind
 * of global data and .text subprograms is loaded, attached and made to run,
 * and its maps are read back to prove each relocation pointed where clang
 * meant; a program the verifier rejects comes back with its log.
 *
 * usage: test_load BUILD_DIR
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "bpf.h"
#include "check.h"
#include "load.h"
#include "perf.h"
#include "spec.h"

static int map_fd(const struct object *o, const char *name)
{
	const struct spec_map *m = spec_find_map(o->spec, name);

	return m ? o->map_fds[m - o->spec->maps] : -1;
}

static __u64 lookup_u64(int fd, __u32 key)
{
	__u64 v = 0;

	if (bpf_map_lookup_elem(fd, &key, &v))
		return (__u64)-1;
	return v;
}

static void test_globals(const char *dir)
{
	char tracefs[4096];
	struct object o;
	struct spec s;
	struct diag d;
	size_t size;
	void *obj = read_object(dir, "fixtures/globals.bpf.o", &size);
	int err, link = -1, id;
	__u32 answer = 9;
	__u64 calls;

	err = spec_parse(&s, obj, size, &d);
	check(!err, "load: fixture parses", "%s", d.msg);
	if (err)
		goto out_free;
	err = spec_set_var(&s, "answer", &answer, sizeof(answer), &d);
	check(!err, "load: patch const volatile answer", "%s", d.msg);

	err = object_load(&o, &s, &d);
	check(!err, "load: fixture with .data, .bss, literals and subprograms loads", "%s\n%s",
	      d.msg, o.log ? o.log : "");
	if (err)
		goto out;

	/* Frozen: not even user space may write .rodata any more. */
	err = bpf_map_update_elem(map_fd(&o, ".rodata"), &(__u32){ 0 }, &answer, BPF_ANY);
	check(err == -EPERM, "load: .rodata is frozen", "update gave %d", err);

	err = tracefs_find(tracefs, sizeof(tracefs));
	check(!err, "load: tracefs found or mounted", "%s", strerror(-err));
	id = tracepoint_id(tracefs, "syscalls/sys_enter_getppid");
	check(id > 0, "load: tracepoint id", "%d", id);
	check(tracepoint_id(tracefs, "syscalls/sys_enter_no_such_call") == -ENOENT,
	      "load: a missing tracepoint is ENOENT", "wrong error");
	for (size_t i = 0; i < s.prog_cnt; i++)
		if (!strcmp(s.progs[i].name, "on_getppid"))
			link = perf_attach_tracepoint(id, o.prog_fds[i]);
	check(link >= 0, "load: attach on_getppid", "%s", strerror(-link));
	if (link < 0)
		goto out;

	/* Only a thread named fixture_probe takes the subprogram path. */
	prctl(PR_SET_NAME, "fixture_probe");
	syscall(SYS_getppid);
	prctl(PR_SET_NAME, "test_load");
	syscall(SYS_getppid);
	close(link);

	check(lookup_u64(map_fd(&o, "counters"), 0) == 9 &&
	      lookup_u64(map_fd(&o, "counters"), 1) == 9,
	      "load: subprograms ran once, reading the patched .rodata constant",
	      "counters %llu %llu", (unsigned long long)lookup_u64(map_fd(&o, "counters"), 0),
	      (unsigned long long)lookup_u64(map_fd(&o, "counters"), 1));
	calls = lookup_u64(map_fd(&o, ".data"), 0);
	check(calls >= 3, "load: .data global counts calls from its initial value",
	      "calls %llu", (unsigned long long)calls);
	check(lookup_u64(map_fd(&o, ".bss"), 0) == 0, "load: .bss global untouched", "nonzero");
out:
	object_close(&o);
	spec_free(&s);
out_free:
	free(obj);
}

static void test_rejected(const char *dir)
{
	struct object o;
	struct spec s;
	struct diag d;
	size_t size;
	void *obj = read_object(dir, "fixtures/rejected.bpf.o", &size);
	int err;

	err = spec_parse(&s, obj, size, &d);
	check(!err, "load: rejected fixture parses", "%s", d.msg);
	if (!err) {
		err = object_load(&o, &s, &d);
		check(err == -EACCES || err == -EINVAL, "load: verifier rejects", "err %d", err);
		check(strstr(d.msg, "prog 'unchecked_lookup': load:") != NULL,
		      "load: rejection names the program", "%s", d.msg);
		check(o.log && strstr(o.log, "invalid mem access"), "load: verifier log kept",
		      "%s", o.log ? o.log : "(none)");
		object_close(&o);
		spec_free(&s);
	}
	free(obj);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_load BUILD_DIR\n");
		return 2;
	}
	test_globals(argv[1]);
	test_rejected(argv[1]);
	return failures ? 1 : 0;
}
