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
	const char *expect; /* run: --expect */
	bool json;
	bool once;
	int verbose;	      /* -v: 0 errors and warnings only, 1 the narration */
	bool quiet;	      /* -q: no line when tracing starts */
	long long timeout_ms; /* --timeout; < 0: none */
	size_t buffer_pages;  /* --buffer-pages; 0: the default */
	const char *btf;      /* --btf: the kernel's BTF, for CO-RE */
	char **argv;	      /* the command after "--", or NULL */
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

extern const struct command cmd_exit, cmd_password, cmd_run;

#endif
