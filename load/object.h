/* SPDX-License-Identifier: MIT */
/*
 * The load step: a spec becomes kernel objects.  Maps are created (global
 * data filled, .rodata frozen), every relocation is given its map's fd, and
 * each program is loaded, which is when the verifier runs.
 */
#ifndef MINI_TRACE_OBJECT_H
#define MINI_TRACE_OBJECT_H

#include "btf_kernel.h"
#include "diag.h"
#include "spec.h"

struct object {
	const struct spec *spec;
	int *map_fds;  /* per spec map, -1 until created */
	int *prog_fds; /* per spec program, -1 until loaded */
	char *log;     /* the verifier's log of a rejected program */
	bool has_btf;  /* btf_fd holds the object's .BTF in the kernel */
	int btf_fd;
	struct diag btf_refused; /* why not, when the spec has .BTF */
	/*
	 * Per spec map: 1 when created with its key and value types from
	 * btf_fd, 0 when it has none to give, -errno when the kernel refused
	 * them and it was created without.
	 */
	int *map_btf;
	/* Per spec program: what went with it (enum object_prog_btf). */
	unsigned char *prog_btf;
	/* The strncmp stand-in's FUNC in btf_fd, when LOAD_EMULATE_STRNCMP. */
	struct btf_stand_in stand_in;
};

enum object_prog_btf {
	OBJECT_PROG_NO_BTF,	  /* no func_info or line_info */
	OBJECT_PROG_BTF,	  /* its .BTF.ext records */
	OBJECT_PROG_BTF_STAND_IN, /* those, and one each for the strncmp stand-in */
};

/* object_load() flags */
enum {
	/* Do bpf_strncmp() in a subprogram: for kernels before 5.17. */
	LOAD_EMULATE_STRNCMP = 1 << 0,
};

/* Creates the maps, then loads the programs, in spec order. */
int object_load(struct object *o, const struct spec *s, unsigned flags, struct diag *d);

/* Whether any program of s calls helper (a BPF_FUNC_* number). */
bool spec_calls_helper(const struct spec *s, int helper);

/* Reads the current value of a global variable from its data map. */
int object_read_var(const struct object *o, const char *name, void *val, size_t len,
		    struct diag *d);

/* Writes one, before the programs are attached: nothing else may write it meanwhile. */
int object_write_var(const struct object *o, const char *name, const void *val, size_t len,
		     struct diag *d);

/*
 * Whether programs of prog_type may call helper_id on this kernel: 1 or 0,
 * or -errno when the kernel could not be asked (no privileges, say).
 */
int probe_helper(enum bpf_prog_type prog_type, enum bpf_func_id helper_id);

/* Closes every fd; safe on a zeroed or half-loaded object. */
void object_close(struct object *o);

#endif
