/* SPDX-License-Identifier: MIT */
/*
 * Dynamic probes: a kprobe on a kernel function or a uprobe on a function
 * in a file, made for the run and gone with it.  Every function returns a
 * value >= 0 or -errno; none prints.
 */
#ifndef MINI_TRACE_PROBE_H
#define MINI_TRACE_PROBE_H

#include <limits.h>
#include <stdbool.h>
#include <linux/types.h>

#include "diag.h"

#define PROBE_LEGACY_NAME_MAX 64

struct probe {
	bool uprobe;   /* a uprobe, else a kprobe */
	bool retprobe; /* on return, not on entry */
	/* uprobe: the file's path; kprobe: the kernel function's symbol */
	char target[PATH_MAX];
	/* ksyscall: the unwrapped "sys_<name>", tried if target is not in this kernel */
	char alt[128];
	/* ksyscall: the wrapper symbol that was not found, while alt is tried; for the refusal */
	char tried[128];
	__u64 offset;	    /* uprobe: into the file; kprobe: into the function */
	int pmu_type;	    /* the PMU's perf type, or -1: tracefs kprobe_events */
	__u64 retprobe_bit; /* the PMU's config bit that asks for a return probe */
	/* A legacy kprobe: "mini_trace_<pid>_<n>", once made in kprobe_events. */
	char legacy[PROBE_LEGACY_NAME_MAX];
};

/*
 * A uprobe from a section's "<path>:<func>[+<offset>]" (or "<path>:0x<offset>"):
 * reads path's ELF for func's file offset and finds the uprobe PMU.  -ENOEXEC,
 * -ENOENT and the rest with a line in d; -EOPNOTSUPP: no uprobe PMU.
 */
int uprobe_resolve(struct probe *pr, const char *spec, bool retprobe, struct diag *d);

/*
 * A kprobe from "<func>[+<offset>]", or a syscall's name when syscall is set;
 * through the kprobe PMU unless legacy is asked for or the kernel has none,
 * then through tracefs' kprobe_events.  -EOPNOTSUPP: the kernel has neither.
 */
int kprobe_resolve(struct probe *pr, const char *spec, bool retprobe, bool syscall, bool legacy,
		   const char *tracefs, struct diag *d);

/* Creates the probe's perf event, attaches prog_fd and enables it: the event's fd. */
int probe_attach(struct probe *pr, int prog_fd, const char *tracefs, int n);

/* What the probe is and how it is made, for -v: "uprobe /bin/bash+0x1a2f0 (uprobe PMU type 8)". */
void probe_describe(const struct probe *pr, char *buf, size_t len);

/*
 * Removes a legacy kprobe's kprobe_events entry; its perf event must be
 * closed first (else -EBUSY).  Nothing to do for a PMU probe.
 */
int probe_remove(struct probe *pr, const char *tracefs);

/*
 * kprobe_events opened for appending, for probe_remove_at(): an open file
 * keeps working where a path may not (tracefs unmounted meanwhile, by
 * tracefs_close() with MNT_DETACH).  An fd, or -errno.
 */
int kprobe_events_open(const char *tracefs);

/* probe_remove() through kprobe_events open at fd. */
int probe_remove_at(struct probe *pr, int fd);

/*
 * Removes the kprobe_events entries of mini-trace runs that are gone (killed
 * before they could remove theirs): the number removed, or -errno.
 */
int kprobe_legacy_sweep(const char *tracefs);

#endif
