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
 * header (the built-in demos and, through ep_platform.h, every exercise)
 * gets the structs below declared preserve_access_index, so that clang
 * records each field access by name (.BTF.ext) and the loader moves it to
 * where this kernel has the field: from the kernel's BTF, or from the
 * event's tracefs format file where the kernel has none
 * (load/tp_format.c).  One object then runs on 32- and 64-bit kernels
 * alike.  Without it, the layouts are a 64-bit kernel's.
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
 * The kernel's long and unsigned long, as a 64-bit kernel has them.  A BPF
 * program is 64-bit even on a 32-bit kernel, whose records hold 4-byte
 * longs: read through CO-RE, an unsigned one is loaded narrower there, zero
 * extended (the loader resizes the load, parse/core.c, as libbpf's
 * bpf_core_patch_insn() does).  A signed one cannot be, as nothing would
 * sign-extend it: it is read with sys_enter_id(), sys_exit_id() and
 * sys_exit_ret() below.  The syscall tracepoints see native syscalls only,
 * never compat ones (arch_trace_is_compat_syscall() in
 * kernel/trace/trace_syscalls.c), so the kernel's long is also the width
 * of the traced processes' pointers and size_t: kernel_long_size() says
 * which it is.
 */
typedef __s64 kernel_long;
typedef __u64 kernel_ulong;

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
 * kernel's unsigned long is 4 bytes (loaded narrower, above).
 */
struct trace_event_raw_task_newtask {
	struct trace_entry ent;
	pid_t pid;
	char comm[16];
	kernel_ulong clone_flags;
	short oom_score_adj;
};

#ifdef MINI_TRACE_TP_CORE
/*
 * The records' signed longs as flavors of 4-byte fields (the "___32" is
 * dropped when the loader looks the struct up), for a 32-bit kernel.
 */
struct trace_event_raw_sys_enter___32 {
	struct trace_entry ent;
	int id;
};

struct trace_event_raw_sys_exit___32 {
	struct trace_entry ent;
	int id;
	int ret;
};

#pragma clang attribute pop

/*
 * The size the running kernel gives a field (BPF_FIELD_BYTE_SIZE, 1 in
 * clang's and libbpf's numbering), a constant patched by the loader.
 */
#define __tp_field_size(field) __builtin_preserve_field_info(field, 1)

/* sizeof(long) of the running kernel: 8, or 4 on a 32-bit one. */
#define kernel_long_size() __tp_field_size(((struct trace_event_raw_sys_enter *)0)->args[0])

/*
 * A record's signed long, loaded at its own width and sign extended: each
 * branch's load is relocated, and the one whose width is not the kernel's
 * is poisoned by the loader where the verifier sees it is never taken (the
 * size is a constant to it).
 */
#define __tp_long(ctx, flavor, field)                            \
	(__tp_field_size((ctx)->field) == 8 ? (long)(ctx)->field \
					    : (long)((struct flavor *)(ctx))->field)

/* The syscall's number at entry and at exit, and its result: ctx->id, ctx->ret. */
#define sys_enter_id(ctx) __tp_long(ctx, trace_event_raw_sys_enter___32, id)
#define sys_exit_id(ctx) __tp_long(ctx, trace_event_raw_sys_exit___32, id)
#define sys_exit_ret(ctx) __tp_long(ctx, trace_event_raw_sys_exit___32, ret)
#else
#define sys_enter_id(ctx) ((long)(ctx)->id)
#define sys_exit_id(ctx) ((long)(ctx)->id)
#define sys_exit_ret(ctx) ((long)(ctx)->ret)
#endif

#endif
