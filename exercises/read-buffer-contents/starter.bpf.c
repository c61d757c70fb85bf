// SPDX-License-Identifier: GPL-2.0
/*
 * read-buffer-contents: a program (file_reader) reads a file.  Submit what
 * it read with SUBMIT_STR_LEN(buffer, length).
 *
 * At read(2)'s entry the buffer is still empty, but its address is known
 * (args[1]); at its exit the buffer is full and ret says how many bytes.
 * Save the address at entry in the map, keyed by pid; at exit look it up,
 * and submit ret bytes from it.
 */
#include "ep_platform.h"
#include "syscalls.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);   /* pid */
	__type(value, u64); /* the buffer's address */
} read_buffers SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_read")
int trace_read_entry(struct trace_event_raw_sys_enter *ctx)
{
	u64 pid = bpf_get_current_pid_tgid();

	return 0;
}

SEC("tracepoint/syscalls/sys_exit_read")
int trace_read_exit(struct trace_event_raw_sys_exit *ctx)
{
	return 0;
}
