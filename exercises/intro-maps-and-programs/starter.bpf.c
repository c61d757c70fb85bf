// SPDX-License-Identifier: GPL-2.0
/*
 * intro-maps-and-programs: a program named exit_with_code runs and exits.
 * Submit its exit code with SUBMIT_NUM(code).
 *
 * The name is known when a process starts (sched_process_exec), the exit
 * code when it exits (exit(2)'s first argument): a hash map keyed by pid
 * carries one to the other.  Most of it is written: check the name.
 */
#include "ep_platform.h"
#include "sched.h"
#include "syscalls.h"

/* Process names, keyed by pid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, char[16]);
} process_names SEC(".maps");

/* A process starts: remember its name. */
SEC("tracepoint/sched/sched_process_exec")
int on_process_start(struct trace_event_raw_sched_process_exec *ctx)
{
	u64 pid = bpf_get_current_pid_tgid();
	char comm[16];

	bpf_get_current_comm(comm, sizeof(comm));
	bpf_map_update_elem(&process_names, &pid, comm, BPF_ANY);
	return 0;
}

/* A process exits: was it one we saw start? */
SEC("tracepoint/syscalls/sys_enter_exit")
int on_process_exit(struct trace_event_raw_sys_enter *ctx)
{
	u64 pid = bpf_get_current_pid_tgid();
	char *comm = bpf_map_lookup_elem(&process_names, &pid);
	int exit_code;

	if (!comm)
		return 0;
	exit_code = ctx->args[0];
	DEBUG_NUM("Exit code", exit_code);
	DEBUG_STR_LEN("Process", comm, 16);

	/* TODO: if the name is "exit_with_code", submit the exit code */

	bpf_map_delete_elem(&process_names, &pid);
	return 0;
}
