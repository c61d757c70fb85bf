/* SPDX-License-Identifier: MIT */
/*
 * The context a tracepoint program receives is the tracepoint's raw record,
 * laid out as /sys/kernel/tracing/events/<category>/<name>/format says.
 * These structs copy those layouts under the names vmlinux.h gives them, so
 * seed-style code compiles unchanged without kernel BTF.
 */
#ifndef MINI_TRACE_TRACEPOINT_H
#define MINI_TRACE_TRACEPOINT_H

#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
typedef int pid_t;

/* The 8 bytes every record starts with ("common_*" in the format files). */
struct trace_entry {
	unsigned short type;
	unsigned char flags;
	unsigned char preempt_count;
	int pid;
};

/*
 * syscalls/sys_enter_<name>: "int __syscall_nr" at 8, then each argument in
 * an 8-byte slot from offset 16 (on 64-bit kernels; include/trace/syscall.h).
 */
struct trace_event_raw_sys_enter {
	struct trace_entry ent;
	long int id;
	unsigned long args[6];
};

/* syscalls/sys_exit_<name>: "long ret" at offset 16. */
struct trace_event_raw_sys_exit {
	struct trace_entry ent;
	long int id;
	long int ret;
};

/* sched/sched_process_exec: the new image's name is a __data_loc string. */
struct trace_event_raw_sched_process_exec {
	struct trace_entry ent;
	__u32 __data_loc_filename;
	pid_t pid;
	pid_t old_pid;
	char __data[0];
};

/* sched/sched_process_exit: fires once per exiting thread. */
struct trace_event_raw_sched_process_template {
	struct trace_entry ent;
	char comm[16];
	pid_t pid;
	int prio;
};

#endif
