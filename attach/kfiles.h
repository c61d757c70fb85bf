/* SPDX-License-Identifier: MIT */
/*
 * Files the kernel publishes about itself: tracefs (where a tracepoint's id
 * is found) and sysfs (which CPUs exist).  Every function returns a value
 * >= 0 or -errno; none prints.
 */
#ifndef MINI_TRACE_KFILES_H
#define MINI_TRACE_KFILES_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct tracefs {
	char path[PATH_MAX]; /* the mount's directory */
	bool mounted;	     /* mounted by us: tracefs_close() unmounts it */
};

/*
 * Finds the tracefs mount (/sys/kernel/tracing, then
 * /sys/kernel/debug/tracing) and mounts it at /sys/kernel/tracing when
 * neither is there.  -EACCES: it is there but not ours to read, and t->path
 * says where.
 */
int tracefs_open(struct tracefs *t);

/*
 * Unmounts tracefs if tracefs_open() mounted it, so that nothing of this run
 * is left mounted; safe on a zeroed tracefs, and twice.
 */
void tracefs_close(struct tracefs *t);

/* The id of "<category>/<name>" from tracefs; -ENOENT if the kernel lacks it. */
int tracepoint_id(const char *tracefs, const char *target);

/* The number of CPUs the kernel could ever bring up: the highest + 1. */
int cpus_possible(void);

/*
 * Marks each online CPU in mask, which has room for cap of them, and returns
 * the highest online CPU + 1; -ERANGE if one is at cap or above.
 */
int cpus_online(__u8 *mask, unsigned long cap);

#endif
