/* SPDX-License-Identifier: MIT */
/*
 * -vv: every call mini-trace makes to the kernel's BPF, perf and tracefs
 * interfaces, shown as it happens, its arguments decoded by name, with its
 * result, the time it took and, in a few words, why it was made.
 *
 * Each call site takes a start time, makes its call, and hands the call
 * and its result to a show_*() below.  Off (the default), show_start() is
 * one test of a global and returns 0, and every show_*() is then one test
 * of that 0: nothing is formatted, nothing allocated.  The show_*()
 * functions keep errno as it was, for the caller to read after them.
 */
#ifndef MINI_TRACE_SYSCALLS_H
#define MINI_TRACE_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

/* Set once, from -vv (and --json: the lines are JSON objects then). */
extern bool syscalls_shown;
void syscalls_show(bool on, bool json);

typedef unsigned long long show_time;
show_time show_clock(void);

/* The start of a call to show: 0 when nothing is shown. */
static inline show_time show_start(void)
{
	return syscalls_shown ? show_clock() : 0;
}

/* bpf(cmd, attr, size) returned ret (an fd, 0, or -errno). */
void show_bpf_(show_time t, int cmd, const union bpf_attr *attr, unsigned size, long ret);
#define show_bpf(t, cmd, attr, size, ret)                   \
	do {                                                \
		if (t)                                      \
			show_bpf_(t, cmd, attr, size, ret); \
	} while (0)

void show_perf_event_open_(show_time t, const struct perf_event_attr *attr, pid_t pid, int cpu,
			   int group_fd, unsigned long flags, int ret);
#define show_perf_event_open(t, attr, pid, cpu, group_fd, flags, ret)                   \
	do {                                                                            \
		if (t)                                                                  \
			show_perf_event_open_(t, attr, pid, cpu, group_fd, flags, ret); \
	} while (0)

/* A perf event ioctl: ret is 0 or -errno. */
void show_ioctl_(show_time t, int fd, unsigned long request, unsigned long arg, int ret);
#define show_ioctl(t, fd, request, arg, ret)                   \
	do {                                                   \
		if (t)                                         \
			show_ioctl_(t, fd, request, arg, ret); \
	} while (0)

/* mmap(NULL, len, prot, flags, fd, off) returned addr (MAP_FAILED: errno says why). */
void show_mmap_(show_time t, size_t len, int prot, int flags, int fd, off_t off, void *addr);
#define show_mmap(t, len, prot, flags, fd, off, addr)                   \
	do {                                                            \
		if (t)                                                  \
			show_mmap_(t, len, prot, flags, fd, off, addr); \
	} while (0)

/*
 * A file the kernel publishes: op is "stat", "mount", "umount", or "read"
 * (open, read and close of a small file: one line); ret is -errno, 0, or
 * what was read (a tracepoint's id, a CPU count).
 */
void show_file_(show_time t, const char *op, const char *path, long ret);
#define show_file(t, op, path, ret)                   \
	do {                                          \
		if (t)                                \
			show_file_(t, op, path, ret); \
	} while (0)

/* A line written to a tracefs control file (kprobe_events); ret: bytes written, or -errno. */
void show_write_(show_time t, const char *file, const char *data, long ret);
#define show_write(t, file, data, ret)                   \
	do {                                             \
		if (t)                                   \
			show_write_(t, file, data, ret); \
	} while (0)

/* An instruction the loader rewrote before BPF_PROG_LOAD (no syscall: no time). */
void show_insn_(const char *prog, size_t idx, const struct bpf_insn *before,
		const struct bpf_insn *after);
#define show_insn(prog, idx, before, after)                   \
	do {                                                  \
		if (syscalls_shown)                           \
			show_insn_(prog, idx, before, after); \
	} while (0)

#endif
