// SPDX-License-Identifier: GPL-2.0
/*
 * read-file-password: a program opens and reads two files; only
 * /tmp/password holds the password.  read(2) sees a file descriptor, not a
 * name: follow the name from open(2)'s entry to the fd its exit returns,
 * then the fd to the buffer a read fills.
 *
 *	open entry	the path is /tmp/password: mark the pid
 *	open exit	the pid is marked: remember (pid, fd)
 *	read entry	(pid, fd) is remembered: save the buffer's address
 *	read exit	an address was saved: submit the bytes read
 *
 * This exercise's reader calls open(2).  Other programs may open with
 * openat(2) (path in args[1]): glibc's open() does, and musl's where the
 * architecture has no open(2), arm64 and riscv64, which skip programs on
 * it.  A solution for every program watches both.
 */
#include "ep_platform.h"
#include "syscalls.h"

/* (pid, fd): zero the whole key before filling it, padding included. */
struct pid_fd_key {
	u64 pid;
	u32 fd;
};

/* During open: this pid is opening /tmp/password. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, u8);
} open_curr_fd_interesting SEC(".maps");

/* After open: (pid, fd) is /tmp/password. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct pid_fd_key);
	__type(value, u8);
} open_interesting_fds SEC(".maps");

/* During read: where the bytes go. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, u64);
} read_curr_fd_buf SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_open")
int trace_open_entry(struct trace_event_raw_sys_enter *ctx)
{
	/* TODO: read the path (args[0]) with bpf_probe_read_user_str, compare, mark */
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_open")
int trace_open_exit(struct trace_event_raw_sys_exit *ctx)
{
	/* TODO: marked and ret >= 0: remember (pid, ret), unmark */
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_read")
int trace_read_entry(struct trace_event_raw_sys_enter *ctx)
{
	/* TODO: (pid, args[0]) remembered: save args[1] */
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_read")
int trace_read_exit(struct trace_event_raw_sys_exit *ctx)
{
	/* TODO: an address saved and ret > 0: SUBMIT_STR_LEN; forget the address */
	return 0;
}
