// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoint contexts read through CO-RE, as vmlinux.h declares them and
 * through a flavor with its fields moved: the answer, getppid()'s result
 * as sys_exit_getppid's record holds it, comes out only if every field
 * of every record is where the kernel put it.  With kernel BTF the
 * offsets come from it; without, from the events' tracefs format files
 * (tests/e2e_core.sh runs both, and make vmtest on every guest).  Nothing
 * is sent if a check fails.
 */
#include "report.h"

/* ret and id swapped, and a 4-byte hole: right only if relocated. */
struct trace_event_raw_sys_exit___moved {
	int hole;
	long ret;
	long id;
} __attribute__((preserve_access_index));

/*
 * A 32-bit kernel's long is 4 bytes.  A signed field cannot be loaded
 * narrower than the program declared it (the value would not be sign
 * extended: libbpf's relo_core.c poisons such a load, and so does
 * parse/core.c), so a record's long is read through a flavor of 4-byte
 * fields when the kernel's field is 4 bytes.  The load of the other width
 * is poisoned, in the branch the verifier sees is never taken.
 */
struct trace_event_raw_sys_exit___32 {
	struct trace_entry ent;
	int id;
	int ret;
} __attribute__((preserve_access_index));

struct trace_event_raw_sys_exit___moved32 {
	int hole;
	int ret;
	int id;
} __attribute__((preserve_access_index));

#define LONG_OF(p, flavor32, f)                                     \
	(bpf_core_field_size((p)->f) == sizeof(long) ? (long)(p)->f \
						     : (long)((struct flavor32 *)(p))->f)

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
	long id = LONG_OF(ctx, trace_event_raw_sys_exit___32, id);
	long ret = LONG_OF(ctx, trace_event_raw_sys_exit___32, ret);

	if (!is_probe())
		return 0;
	if (exec_pid && policy == 0x40000000 && id > 0 && ret > 0 &&
	    LONG_OF(m, trace_event_raw_sys_exit___moved32, id) == id &&
	    LONG_OF(m, trace_event_raw_sys_exit___moved32, ret) == ret)
		submit(ret);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
