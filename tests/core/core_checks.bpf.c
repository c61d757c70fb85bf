// SPDX-License-Identifier: GPL-2.0
/*
 * The relocations that answer questions rather than read memory, each with
 * a local value clang computed that differs from the kernel's, so the
 * answer is right only if every one was resolved against the kernel:
 *
 *	field exists	task_struct.no_such_field	local 1, kernel 0
 *	field exists	task_struct.tgid		1
 *	field size	task_struct.comm		local 4, kernel 16
 *	type exists	struct no_such_type		local 1, kernel 0
 *	type size	list_head			local 8, kernel 16
 *	enum value	PIDTYPE_SID			local 7, kernel 3
 *	enum exists	PIDTYPE_NO_SUCH			local 1, kernel 0
 *	type exists	struct list_head		1
 *
 * Each term lands in its own decimal digits: 116016301.
 * (clang 14, Debian bookworm's, cannot compile bpf_core_type_matches.)
 */
#include "report.h"

struct task_struct___mine {
	char comm[4];
	int tgid;
	int no_such_field;
} __attribute__((preserve_access_index));

struct no_such_type___mine {
	int a;
};

struct list_head___mine {
	void *next;
};

enum pid_type___mine {
	PIDTYPE_NO_SUCH___mine = 1,
	PIDTYPE_SID___mine = 7,
};

SEC("tracepoint/syscalls/sys_enter_getppid")
int checks(void *ctx)
{
	struct task_struct___mine *t = (void *)bpf_get_current_task();
	long v = 0;

	if (!is_probe())
		return 0;
	v += bpf_core_field_exists(t->no_such_field) * 1000000000L;
	v += bpf_core_field_exists(t->tgid) * 100000000L;
	v += bpf_core_field_size(t->comm) * 1000000L;
	v += bpf_core_type_exists(struct no_such_type___mine) * 100000L;
	v += bpf_core_type_size(struct list_head___mine) * 1000L;
	v += bpf_core_enum_value(enum pid_type___mine, PIDTYPE_SID___mine) * 100L;
	v += bpf_core_enum_value_exists(enum pid_type___mine, PIDTYPE_NO_SUCH___mine) * 10L;
	v += bpf_core_type_exists(struct list_head___mine);
	submit(v);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
