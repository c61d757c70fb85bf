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

struct task_struct {
	pid_t pid;
	pid_t tgid;
	char comm[16];
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct mm_struct *mm;
	struct files_struct *files;
	int exit_code;
} __ep_core;

struct mm_struct {
	unsigned long arg_start;
	unsigned long arg_end;
} __ep_core;

#endif
