// SPDX-License-Identifier: GPL-2.0
/*
 * intro-maps-and-programs, solved: the name is known when a process starts,
 * the exit code when it exits; a hash map keyed by pid carries one to the
 * other, and the exit code of the process named exit_with_code is the
 * answer.
 */
#include "ep_platform.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, char[16]);
} my_map SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int on_process_start(struct trace_event_raw_sched_process_exec *ctx)
{
	u64 key = bpf_get_current_pid_tgid() >> 32;
	char value[16] = {};

	(void)ctx;
	bpf_get_current_comm(value, sizeof(value));
	bpf_map_update_elem(&my_map, &key, value, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_exit")
int on_process_exit(struct trace_event_raw_sys_enter *ctx)
{
	u64 key = bpf_get_current_pid_tgid() >> 32;
	char *stored = bpf_map_lookup_elem(&my_map, &key);

	if (!stored) /* Key not found */
		return 0;
	if (bpf_strncmp(stored, 16, "exit_with_code") == 0)
		SUBMIT_NUM(ctx->args[0]);
	bpf_map_delete_elem(&my_map, &key);
	return 0;
}
