/* SPDX-License-Identifier: MIT */
/*
 * A command: exit, password and run share everything up to events (the
 * pipeline loader.c narrates) and differ only in what is here: the object
 * they embed, the constants they patch into it before load, how they print
 * a record, and what they say at the end.  One file each: cmd_*.c.
 */
#ifndef MINI_TRACE_COMMAND_H
#define MINI_TRACE_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "diag.h"
#include "events.h"
#include "spec.h"

struct object;
struct session;

/* What the command line asked for. */
struct options {
	const struct command *cmd;
	const char *object; /* run: the object file */
	const char *comm;   /* exit: --comm */
	const char *file;   /* password: --file */
	const char *expect; /* run: --expect; grade: the answer it hid */
	bool json;
	bool once;
	int verbose;	      /* -v: 0 errors and warnings only, 1 the narration */
	bool quiet;	      /* -q: no line when tracing starts */
	long long timeout_ms; /* --timeout; < 0: none */
	size_t buffer_pages;  /* --buffer-pages; 0: the default */
	const char *btf;      /* --btf: the kernel's BTF, for CO-RE */
	char **argv;	      /* the command after "--", or NULL */
	const char *exercise; /* grade: the exercise's name */
};

struct command {
	const char *name;
	const char *summary;
	const unsigned char *obj, *obj_end; /* embedded, packed; NULL: the object file */
	/* Patches the constants the programs read from .rodata, before load. */
	int (*configure)(struct spec *s, const struct options *opt, struct diag *d);
	/* Tracepoints some kernels or architectures lack: skipped, not fatal. */
	const char *const *optional;
	/* Before the first record: the command's own state, in ss->state. */
	int (*start)(struct session *ss);
	/* One record from the perf or ring buffer of map m; -errno stops the run. */
	int (*print)(struct session *ss, const struct spec_map *m, const void *data, __u32 size);
	/*
	 * After the last record: what is pending, and the verdict (--expect).
	 * Called once even when the run failed, start or not; frees ss->state.
	 */
	int (*finish)(struct session *ss, struct diag *d);
	/*
	 * After load, before attach: what the command writes into its maps
	 * itself.  0: a line for the -v narration may be left in d; 1: d
	 * holds a warning.
	 */
	int (*loaded)(const struct object *o, const struct options *opt, struct diag *d);
	/* loaded is called once the programs run, after attach, instead. */
	bool seed_running;
	/* Counts in the object's .bss of what its programs could not follow. */
	const struct missed {
		const char *var;
		const char *what; /* "warning: N <what>" at the end of a run */
	} * missed;
};

/* cmd_password.c: --file in the one spelling the program matches, or -errno. */
int password_path_normalise(const char *in, char out[PASSWORD_PATH_MAX]);

/*
 * cmd_run.c: the exercise records (include/ep_platform.h), decoded and
 * judged; cmd_grade.c uses the same.  ep_start() reads the labels of
 * opt->object, ep_stop() frees what ep_start() made.
 */
struct ep_verdict {
	__u64 answers;
	char got[192]; /* the first answer, as shown: 42, "text", struct 2a00 */
};
/* The tracepoints an exercise may hook that some architectures lack (cmd_run.c). */
extern const char *const ep_optional[];
int ep_start(struct session *ss);
int ep_print(struct session *ss, const struct spec_map *m, const void *data, __u32 size);
void ep_stop(struct session *ss);
int ep_judge(const struct session *ss, const char *want, struct ep_verdict *v);
int ep_verdict_text(int result, const struct ep_verdict *v, const char *wanted, char *buf,
		    size_t size);

/*
 * cmd_grade.c: grade_setup() picks the answer and makes the scenario the
 * command to trace (-ENOENT: no such exercise); grade_role() is what this
 * binary does when started as one of the scenario's programs
 * (MINI_TRACE_ROLE in its environment); grade_list() the exercises, for
 * --help.
 */
int grade_setup(struct options *opt);
int grade_role(const char *role, int argc, char **argv);
void grade_list(char *buf, size_t size);

extern const struct command cmd_exit, cmd_password, cmd_run, cmd_grade;

#endif
