/* SPDX-License-Identifier: MIT */
/*
 * The context a tracepoint program receives is the tracepoint's raw record,
 * laid out as /sys/kernel/tracing/events/<category>/<name>/format says.
 * These structs copy those layouts under the names vmlinux.h gives them, so
 * seed-style code compiles unchanged without kernel BTF.
 */
#ifndef MINI_TRACE_TRACEPOINT_H
#define MINI_TRACE_TRACEPOINT_H

#include "uapi.h"

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
typedef int pid_t;

/*
 * CO-RE: a program that defines MINI_TRACE_TP_CORE before including this
 * header gets the structs below declared preserve_access_index, so that
 * clang records each field access by name (.BTF.ext) and the loader moves
 * it to where this kernel has the field: from the kernel's BTF, or from
 * the event's tracefs format file where the kernel has none
 * (load/tp_format.c).  Its longs are then 8 bytes on every kernel: a
 * 32-bit kernel's unsigned 4-byte fields are loaded narrower, zero
 * extended; a signed one cannot be (libbpf refuses such a load too) and
 * must be read through a flavor of the width bpf_core_field_size() gives.
 * One object then runs on 32- and 64-bit kernels alike.
 */
#ifdef MINI_TRACE_TP_CORE
#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)
#endif

/* The 8 bytes every record starts with ("common_*" in the format files). */
struct trace_entry {
	unsigned short type;
	unsigned char flags;
	unsigned char preempt_count;
	int pid;
};

/*
 * The kernel's long and unsigned long.  A BPF program is 64-bit even on a
 * 32-bit kernel, whose records hold 4-byte longs: programs for such a kernel
 * (the armhf build) are compiled with -DMINI_TRACE_32BIT.  The syscall
 * tracepoints see native syscalls only, never compat ones
 * (arch_trace_is_compat_syscall() in kernel/trace/trace_syscalls.c), so this
 * is also the width of the traced processes' pointers and size_t.
 */
#if defined(MINI_TRACE_32BIT) && !defined(MINI_TRACE_TP_CORE)
typedef __s32 kernel_long;
typedef __u32 kernel_ulong;
#else
typedef __s64 kernel_long;
typedef __u64 kernel_ulong;
#endif

/*
 * syscalls/sys_enter_<name> (struct syscall_trace_enter, include/trace/
 * syscall.h): "int __syscall_nr" at 8, then each argument in an unsigned
 * long: 8-byte slots from offset 16 on a 64-bit kernel, 4-byte slots from
 * offset 12 on a 32-bit one.  A program that reads past the record is
 * refused at attach (EACCES: perf_event_set_bpf_prog() checks the highest
 * context offset the verifier saw against the record's size).
 */
struct trace_event_raw_sys_enter {
	struct trace_entry ent;
	kernel_long id;
	kernel_ulong args[6];
};

/* syscalls/sys_exit_<name>: "long ret" at offset 16, or 12 on 32-bit. */
struct trace_event_raw_sys_exit {
	struct trace_entry ent;
	kernel_long id;
	kernel_long ret;
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

/*
 * task/task_newtask (include/trace/events/task.h): fires in the parent, in
 * copy_process(), once the new task is sure to start, for every task the
 * kernel makes (threads, io_uring workers and vhost included).  This layout
 * since 3.x; clone_flags was an unsigned long until recent kernels made it a
 * u64, the same slot on a 64-bit kernel (7.2 has it so), and a 32-bit
 * kernel's unsigned long is kernel_ulong.
 */
struct trace_event_raw_task_newtask {
	struct trace_entry ent;
	pid_t pid;
	char comm[16];
	kernel_ulong clone_flags;
	short oom_score_adj;
};

#ifdef MINI_TRACE_TP_CORE
#pragma clang attribute pop
#endif

#endif
