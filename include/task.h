/* SPDX-License-Identifier: MIT */
/*
 * The types every exercise file may use without including anything else
 * (u8..u64, bool, size_t), and the kernel's struct task_struct as far as
 * the exercises read it.
 *
 * Kernel structs here are portable: preserve_access_index makes clang
 * record each field access by name in .BTF.ext, and the loader moves the
 * offset to where the running kernel's BTF has the field (CO-RE, see
 * <bpf/bpf_core_read.h>).  Only the fields named here exist for the
 * program; their order and the struct's size do not matter.
 *
 * The part between "btfgen: begin" and "btfgen: end" is written by make
 * headers (tools/headers.sh): mini-trace-btfgen, from the kernel's BTF,
 * with these roots, a struct and the fields kept of it:
 *
 * btfgen: task_struct.pid,tgid,comm,real_parent,group_leader,mm,files,exit_code
 * btfgen: mm_struct.arg_start,arg_end
 */
#ifndef MINI_TRACE_EP_TASK_H
#define MINI_TRACE_EP_TASK_H

#include "tracepoint.h"

#ifndef __cplusplus
typedef _Bool bool;
#define true 1
#define false 0
#endif
typedef __SIZE_TYPE__ size_t;
typedef __s8 s8;
typedef __s16 s16;
#ifndef NULL
#define NULL ((void *)0)
#endif

#define __ep_core __attribute__((preserve_access_index))

/* The generator's text as it writes it, which clang-format leaves alone. */
/* clang-format off */
/* btfgen: begin */
#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
#endif

struct mm_struct;

typedef int __kernel_pid_t;

typedef __kernel_pid_t pid_t;

struct files_struct;

struct task_struct {
	struct mm_struct *mm;
	int exit_code;
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	char comm[16];
	struct files_struct *files;
};

struct mm_struct {
	long unsigned int arg_start;
	long unsigned int arg_end;
};

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute pop
#endif
/* btfgen: end */
/* clang-format on */

#endif
