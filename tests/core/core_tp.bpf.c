// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoint contexts read through CO-RE, as vmlinux.h declares them and
 * through a flavor with its fields moved: the answer, getppid()'s result
 * as sys_exit_getppid's record holds it, comes out only if every field
 * of every record is where the kernel put it.  With kernel BTF the
 * offsets come from it; without, from the events' tracefs format files
 * (tests/e2e_core.sh runs both).
 */
#include "report.h"

/* ret and id swapped, and a 4-byte hole: right only if relocated. */
struct trace_event_raw_sys_exit___moved {
	int hole;
	long ret;
	long id;
} __attribute__((preserve_access_index));

/* What the earlier records of core_probe said; 0 until they came. */
__u64 exec_pid, policy;

/* The exec of core_probe: the record's pid is the process's. */
SEC("tracepoint/sched/sched_process_exec")
int exec(struct trace_event_raw_sched_process_exec *ctx)
{
	if (is_probe() && ctx->pid == bpf_get_current_pid_tgid() >> 32 &&
	    ctx->__data_loc_filename >> 16 /* its length */ > 0)
		exec_pid = ctx->pid;
	return 0;
}

/* sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp): its second argument. */
SEC("tracepoint/syscalls/sys_enter_sched_setscheduler")
int enter(struct trace_event_raw_sys_enter *ctx)
{
	if (is_probe())
		policy = ctx->args[1];
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_getppid")
int leave(struct trace_event_raw_sys_exit *ctx)
{
	struct trace_event_raw_sys_exit___moved *m = (void *)ctx;

	if (!is_probe())
		return 0;
	if (exec_pid && policy == 0x40000000 && m->id == ctx->id && m->ret == ctx->ret)
		submit(ctx->ret);
	else
		submit(-1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
