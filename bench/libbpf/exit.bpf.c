// SPDX-License-Identifier: GPL-2.0
/*
 * libbpf-trace exit: the exit code of every process with a given name.  The
 * libbpf twin of mini-trace's progs/exit.bpf.c, written the way
 * libbpf-bootstrap writes its tools: vmlinux.h for kernel types, libbpf's
 * own headers, the name patched in through the skeleton's rodata.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "trace.h"

const volatile char target_comm[TASK_COMM_LEN] = "exit_with_code";

/* pid -> name at exec; the entry goes when the process exits. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, char[TASK_COMM_LEN]);
} process_names SEC(".maps");

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

	bpf_get_current_comm(name, sizeof(name));
	bpf_map_update_elem(&process_names, &pid, name, BPF_ANY);
	return 0;
}

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
		e.code = code & 0xff;
		__builtin_memcpy(e.comm, name, TASK_COMM_LEN);
		bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	}
	bpf_map_delete_elem(&process_names, &pid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_exit_group")
int on_process_exit_group(struct trace_event_raw_sys_enter *ctx)
{
	return report_exit(ctx, ctx->args[0]);
}

/* The plain exit syscall ends one thread: only the leader's counts. */
SEC("tracepoint/syscalls/sys_enter_exit")
int on_process_exit(struct trace_event_raw_sys_enter *ctx)
{
	u64 id = bpf_get_current_pid_tgid();

	if ((u32)id != (u32)(id >> 32))
		return 0;
	return report_exit(ctx, ctx->args[0]);
}

/* Killed by a signal: no exit syscall, so drop the entry when the leader goes. */
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
