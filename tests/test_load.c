// SPDX-License-Identifier: MIT
/*
 * Loader tests against the running kernel (root): the fixture with every kind
 * of global data and .text subprograms is loaded, attached and made to run,
 * and its maps are read back to prove each relocation pointed where clang
 * meant; bpf_strncmp answers the same whether the kernel's helper or the
 * loader's stand-in for old kernels runs; a program the verifier rejects
 * comes back with its log.
 *
 * usage: test_load BUILD_DIR
 *        test_load --dump OBJECT   load it as mini-trace does, and print each
 *                                  program as the kernel holds it (prog_dump.h;
 *                                  tests/e2e_twin.sh compares it with libbpf's)
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
#include "core_load.h"
#include "kfiles.h"
#include "object.h"
#include "perf_event.h"
#include "perfbuf.h"
#include "prog_dump.h"
#include "spec.h"
#include "syscalls.h"

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
	struct tracefs tracefs = { 0 };
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

	err = object_load(&o, &s, 0, &d);
	check(!err, "load: fixture with .data, .bss, literals and subprograms loads", "%s\n%s",
	      d.msg, o.log ? o.log : "");
	if (err)
		goto out;

	/* Frozen: not even user space may write .rodata any more. */
	err = bpf_map_update_elem(map_fd(&o, ".rodata"), &(__u32){ 0 }, &answer, BPF_ANY);
	check(err == -EPERM, "load: .rodata is frozen", "update gave %d", err);

	err = tracefs_open(&tracefs);
	check(!err, "load: tracefs found or mounted", "%s", strerror(-err));
	id = tracepoint_id(tracefs.path, "syscalls/sys_enter_getppid");
	check(id > 0, "load: tracepoint id", "%d", id);
	check(tracepoint_id(tracefs.path, "syscalls/sys_enter_no_such_call") == -ENOENT,
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
	check(calls >= 3, "load: .data global counts calls from its initial value", "calls %llu",
	      (unsigned long long)calls);
	check(lookup_u64(map_fd(&o, ".bss"), 0) == 0, "load: .bss global untouched", "nonzero");
out:
	tracefs_close(&tracefs);
	object_close(&o);
	spec_free(&s);
out_free:
	free(obj);
}

/* The sign of strncmp(a, b, n), which is what bpf_strncmp returns: -1, 0, 1. */
static long sign_strncmp(const char *a, const char *b, size_t n)
{
	int r = strncmp(a, b, n);

	return r < 0 ? -1 : r > 0;
}

/*
 * The same object loaded as written and with LOAD_EMULATE_STRNCMP, both
 * attached at once: for each thread name, each load's answers must be what
 * strncmp() says.  This kernel has the helper, so the stand-in is checked
 * against it here; on 5.10 make vmtest's run examples need the stand-in.
 */
static void test_strncmp(const char *dir)
{
	static const char *const names[] = {
		"strncmp_probe",  "strncmp_probd", "strncmp_probf", "strncmp_prob",
		"strncmp_probe_", "strn",	   "str",	    "",
		"\xff\x80",
	};
	static const char *const literals[] = {
		"strncmp_probe",
		"strn_other",
		"",
		"strncmp_probe_longer",
	};
	static const size_t sizes[] = { 16, 4, 16, 16 };
	struct tracefs tracefs = { 0 };
	struct object o[2];
	struct spec s;
	struct diag d;
	size_t size;
	void *obj = read_object(dir, "fixtures/strncmp.bpf.o", &size);
	int err, id, links[2] = { -1, -1 };
	bool agree = true;

	memset(o, 0, sizeof(o));
	err = spec_parse(&s, obj, size, &d);
	check(!err, "load: strncmp fixture parses", "%s", d.msg);
	if (err)
		goto out_free;
	check(spec_calls_helper(&s, BPF_FUNC_strncmp),
	      "load: the fixture is seen to call bpf_strncmp", "not found");
	for (int i = 0; i < 2; i++) {
		err = object_load(&o[i], &s, i ? LOAD_EMULATE_STRNCMP : 0, &d);
		check(!err,
		      i ? "load: strncmp fixture loads with the stand-in"
			: "load: strncmp fixture loads with the helper",
		      "%s\n%s", d.msg, o[i].log ? o[i].log : "");
		if (err)
			goto out;
	}
	{
		/*
		 * With the stand-in appended the kernel wants a func_info and
		 * a line_info for it too: one more of each, or the load fails.
		 */
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		const struct spec_prog *p = &s.progs[0];

		err = bpf_obj_get_info_by_fd(o[1].prog_fds[0], &info, &len);
		check(!err && o[1].prog_btf[0] == OBJECT_PROG_BTF_STAND_IN && info.btf_id &&
			      info.nr_func_info == p->func_info_cnt + 1 &&
			      info.nr_line_info == p->line_info_cnt + 1,
		      "load: the stand-in gets a func_info and a line_info of its own",
		      "%d, %u funcs for %zu, %u lines for %zu", err, info.nr_func_info,
		      p->func_info_cnt, info.nr_line_info, p->line_info_cnt);
	}
	err = tracefs_open(&tracefs);
	id = err ? err : tracepoint_id(tracefs.path, "syscalls/sys_enter_getppid");
	for (int i = 0; i < 2 && id > 0; i++)
		links[i] = perf_attach_tracepoint(id, o[i].prog_fds[0]);
	check(links[0] >= 0 && links[1] >= 0, "load: attach both strncmp loads", "%d %d", links[0],
	      links[1]);
	if (links[0] < 0 || links[1] < 0)
		goto out;

	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		char comm[16] = "";

		prctl(PR_SET_NAME, names[n]);
		prctl(PR_GET_NAME, comm); /* what bpf_get_current_comm will see */
		syscall(SYS_getppid);
		for (__u32 k = 0; k < 4; k++) {
			long want = sign_strncmp(comm, literals[k], sizes[k]);

			for (int i = 0; i < 2; i++) {
				long got = (long)lookup_u64(map_fd(&o[i], "answers"), k);

				if (got != want) {
					agree = false;
					fprintf(stderr, "  %s: name '%s' vs '%s': %ld, want %ld\n",
						i ? "stand-in" : "helper", comm, literals[k], got,
						want);
				}
			}
		}
	}
	prctl(PR_SET_NAME, "test_load");
	check(agree, "load: bpf_strncmp and the stand-in answer as strncmp() for every name",
	      "see above");
out:
	for (int i = 0; i < 2; i++) {
		if (links[i] >= 0)
			close(links[i]);
		object_close(&o[i]);
	}
	tracefs_close(&tracefs);
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
		err = object_load(&o, &s, 0, &d);
		check(err == -EACCES || err == -EINVAL, "load: verifier rejects", "err %d", err);
		check(strstr(d.msg, "prog 'unchecked_lookup': load:") != NULL,
		      "load: rejection names the program", "%s", d.msg);
		check(o.log && strstr(o.log, "invalid mem access"), "load: verifier log kept", "%s",
		      o.log ? o.log : "(none)");
		object_close(&o);
		spec_free(&s);
	}
	free(obj);
}

/*
 * The object's BTF in the kernel: loaded, and each program given its
 * func_info and line_info, which the kernel reports back (it keeps them for
 * bpftool and for the verifier's log).  global_func.bpf.o's global function
 * is then verified on its own, from its BTF prototype.
 */
static void test_btf(const char *dir, const char *name)
{
	unsigned flags = 0;
	struct object o = { 0 };
	struct spec s;
	struct diag d = { "" };
	size_t size;
	void *obj = read_object(dir, name, &size);
	char what[128];
	int err, same = 1;

	err = spec_parse(&s, obj, size, &d);
	snprintf(what, sizeof(what), "btf: %s parses", name);
	check(!err, what, "%s", d.msg);
	if (err) {
		free(obj);
		return;
	}
	if (spec_calls_helper(&s, BPF_FUNC_strncmp) &&
	    probe_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_strncmp) == 0)
		flags |= LOAD_EMULATE_STRNCMP;
	err = object_load(&o, &s, flags, &d);
	snprintf(what, sizeof(what), "btf: %s loads with its BTF", name);
	check(!err && o.has_btf, what, "%s / %s", err ? d.msg : "-", o.btf_refused.msg);
	for (size_t i = 0; !err && i < s.prog_cnt; i++) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);

		/* the strncmp stand-in, when appended, has one of each of its own */
		size_t more = o.prog_btf[i] == OBJECT_PROG_BTF_STAND_IN;

		if (bpf_obj_get_info_by_fd(o.prog_fds[i], &info, &len) || !info.btf_id ||
		    info.nr_func_info != s.progs[i].func_info_cnt + more ||
		    info.nr_line_info != s.progs[i].line_info_cnt + more) {
			same = 0;
			printf("# %s: btf %u, %u/%zu funcs, %u/%zu lines\n", s.progs[i].name,
			       info.btf_id, info.nr_func_info, s.progs[i].func_info_cnt,
			       info.nr_line_info, s.progs[i].line_info_cnt);
		}
	}
	snprintf(what, sizeof(what), "btf: %s: the kernel holds each program's func and line info",
		 name);
	check(!err && same, what, "differs");
	object_close(&o);
	spec_free(&s);
	free(obj);
}

/*
 * -vv shows the loader's rewrites before and after: with the stand-in, each
 * "call 182" (bpf_strncmp) becomes a call to the appended subprogram, and
 * the load that follows is shown with the longer program.  This kernel has
 * the helper, so -vv in a run never shows it: checked here.
 */
static void test_vv_strncmp(const char *dir)
{
	char path[] = "/tmp/test_load_vv.XXXXXX", text[65536] = "";
	struct object o = { 0 };
	struct spec s;
	struct diag d;
	size_t size;
	void *obj = read_object(dir, "fixtures/strncmp.bpf.o", &size);
	int fd = mkstemp(path), saved = dup(STDERR_FILENO), err;
	ssize_t n;

	if (fd < 0 || saved < 0 || spec_parse(&s, obj, size, &d)) {
		check(false, "load: -vv: set up", "%s", strerror(errno));
		free(obj);
		return;
	}
	dup2(fd, STDERR_FILENO);
	syscalls_show(true, false);
	err = object_load(&o, &s, LOAD_EMULATE_STRNCMP, &d);
	syscalls_show(false, false);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(fd, text, sizeof(text) - 1, 0);
	text[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	check(!err, "load: -vv: the stand-in loads", "%s", d.msg);
	check(strstr(text, ": call 182 -> call pc+") != NULL,
	      "load: -vv: a bpf_strncmp call rewritten, before and after", "%s", text);
	check(strstr(text, "bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_TRACEPOINT, insn_cnt=") !=
		      NULL,
	      "load: -vv: the load shown", "%s", text);
	object_close(&o);
	spec_free(&s);
	free(obj);
}

/*
 * mini-trace's load of one object, as loader.c does it: parsed, the strncmp
 * stand-in appended when the kernel lacks the helper, every program loaded.
 * 3 when mini-trace cannot load the object (parse), 1 when the kernel refuses it.
 */
static int dump(const char *path)
{
	struct pd_prog progs[64];
	struct object o = { 0 };
	struct diag d = { "" };
	unsigned flags = 0;
	struct spec s;
	size_t size, cnt = 0;
	/* read_object() joins a directory and a name */
	void *obj = read_object(path[0] == '/' ? "" : ".", path + (path[0] == '/'), &size);
	int err;

	err = spec_parse(&s, obj, size, &d);
	if (err) {
		fprintf(stderr, "test_load: %s: %s\n", path, d.msg);
		free(obj);
		return 3;
	}
	if (spec_calls_helper(&s, BPF_FUNC_strncmp) &&
	    probe_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_strncmp) == 0)
		flags |= LOAD_EMULATE_STRNCMP;
	if (flags)
		fprintf(stderr, "test_load: %s: the strncmp stand-in is appended\n", path);
	/* fentry/fexit/tp_btf: their kernel type, found as the loader finds it. */
	for (size_t i = 0; i < s.prog_cnt; i++) {
		struct diag e;
		int id;

		if (s.progs[i].prog_type != BPF_PROG_TYPE_TRACING)
			continue;
		id = core_tracing_target_id(&s.progs[i], &e);
		if (id > 0)
			s.progs[i].attach_btf_id = id;
	}
	err = object_load(&o, &s, flags, &d);
	if (err)
		fprintf(stderr, "test_load: %s: %s\n", path, d.msg);
	for (size_t i = 0; !err && i < s.prog_cnt && cnt < 64; i++)
		progs[cnt++] = (struct pd_prog){ s.progs[i].name, o.prog_fds[i] };
	if (!err && pd_dump_progs(stdout, progs, cnt))
		err = -EIO;
	object_close(&o);
	spec_free(&s);
	free(obj);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--dump"))
		return dump(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: test_load BUILD_DIR\n");
		return 2;
	}
	test_globals(argv[1]);
	test_strncmp(argv[1]);
	test_vv_strncmp(argv[1]);
	test_rejected(argv[1]);
	test_btf(argv[1], "fixtures/globals.bpf.o");
	test_btf(argv[1], "fixtures/global_func.bpf.o");
	return failures ? 1 : 0;
}
