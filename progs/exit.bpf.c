// SPDX-License-Identifier: GPL-2.0
/*
 * mini-trace exit: report the exit code of every process with a given name.
 *
 * The name is known when a process starts (sched_process_exec) and the code
 * when it exits (the exit syscalls), so the two events are correlated through
 * a hash map keyed by pid.
 */
#include "bpf_helpers.h"
#include "tracepoint.h"
#include "events.h"

/* Patched by the loader before load (--comm); the verifier sees a constant. */
const volatile char target_comm[TASK_COMM_LEN] = "exit_with_code";

/* pid -> name at exec.  Entries go away when the process exits. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, char[TASK_COMM_LEN]);
} process_names SEC(".maps");

/*
 * Records bpf_perf_event_output() could not write because the ring was full.
 * The kernel tells user space of such losses only inside the ring, with the
 * next record that fits; this count is exact even at the end of a run.
 */
u64 events_lost;

/* One perf ring per CPU; the loader sizes it and fills in the ring fds. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} events SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int on_process_start(struct trace_event_raw_sched_process_exec *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	char name[TASK_COMM_LEN] = {};

	/* By this tracepoint exec has already set the new comm. */
	bpf_get_current_comm(name, sizeof(name));
	bpf_map_update_elem(&process_names, &pid, name, BPF_ANY);
	return 0;
}

/*
 * Shared by both exit syscalls.  Reporting deletes the entry, so a process
 * whose leader calls exit and whose last thread then calls exit_group still
 * yields one event.
 */
static __always_inline int report_exit(void *ctx, long code)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct exit_event e = {};
	char *name;

	name = bpf_map_lookup_elem(&process_names, &pid);
	if (!name)
		return 0;
	if (bpf_strncmp(name, TASK_COMM_LEN, (const char *)target_comm) == 0) {
		e.pid = pid;
		e.code = code & 0xff;	/* the status byte wait(2) hands the shell */
		__builtin_memcpy(e.comm, name, TASK_COMM_LEN);
		if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e)))
			__sync_fetch_and_add(&events_lost, 1);
	}
	bpf_map_delete_elem(&process_names, &pid);
	return 0;
}

/* glibc's exit() ends the whole process with exit_group. */
SEC("tracepoint/syscalls/sys_enter_exit_group")
int on_process_exit_group(struct trace_event_raw_sys_enter *ctx)
{
	return report_exit(ctx, ctx->args[0]);
}

/*
 * The plain exit syscall ends one thread: nolibc-style programs use it to end
 * the process, pthread_exit to end a thread.  Only the leader's exit is the
 * process's exit status, so other threads are ignored.
 */
SEC("tracepoint/syscalls/sys_enter_exit")
int on_process_exit(struct trace_event_raw_sys_enter *ctx)
{
	u64 id = bpf_get_current_pid_tgid();

	if ((u32)id != (u32)(id >> 32))
		return 0;
	return report_exit(ctx, ctx->args[0]);
}

/*
 * A process killed by a signal never makes an exit syscall: drop its entry
 * when its leader goes, so the map cannot fill up.
 */
SEC("tracepoint/sched/sched_process_exit")
int on_process_gone(void *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 pid = id >> 32;

	if ((u32)id == pid)
		bpf_map_delete_elem(&process_names, &pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
