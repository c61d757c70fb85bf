// SPDX-License-Identifier: GPL-2.0
/*
 * libbpf-trace password: what any process reads from one file.  The libbpf
 * twin of the core of mini-trace's progs/password.bpf.c, in the form a
 * straightforward libbpf tool takes:
 *
 *   open, openat    entry: save the path pointer; exit: the path is the
 *                   target -> mark (pid, fd)
 *   read            entry: the fd is marked -> save the buffer;
 *                   exit: send what was read (up to DATA_MAX bytes)
 *   close           drop the mark
 *
 * Left out on purpose (mini-trace follows them): openat2, pread64 and the
 * vector reads, dup*, fcntl, close_range, fork and exec, and the marks of a
 * process that exits without closing the file.  On the read-heavy workload
 * the benchmark runs, the work per read is the same as mini-trace's: one
 * hash lookup at entry and one at exit.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "trace.h"

const volatile char target_path[PATH_MAX_LEN] = "/tmp/password";

struct fd_key {
	u32 pid;
	u32 fd;
};

struct read_call {
	u64 buf;
	s32 fd;
	u32 pad;
};

/* (pid, fd) of every open target file. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct fd_key);
	__type(value, u8);
} marked_fds SEC(".maps");

/* pid_tgid -> path pointer, between open entry and exit. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, u64);
	__type(value, u64);
} open_calls SEC(".maps");

/* pid_tgid -> buffer, between read entry and exit, for marked fds only. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u64);
	__type(value, struct read_call);
} read_calls SEC(".maps");

/* An event is too big for the 512-byte stack: it is built here. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct password_event);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} events SEC(".maps");

static __always_inline int save_open(u64 path)
{
	u64 id = bpf_get_current_pid_tgid();

	bpf_map_update_elem(&open_calls, &id, &path, BPF_ANY);
	return 0;
}

/* The path is read at exit, when the kernel's own copy has faulted it in. */
static __always_inline int finish_open(long fd)
{
	u64 id = bpf_get_current_pid_tgid();
	struct fd_key key = { .pid = id >> 32, .fd = fd };
	char path[PATH_MAX_LEN];
	u64 *saved, ptr;
	u8 one = 1;
	long n;

	saved = bpf_map_lookup_elem(&open_calls, &id);
	if (!saved)
		return 0;
	ptr = *saved;
	bpf_map_delete_elem(&open_calls, &id);
	if (fd < 0)
		return 0;

	n = bpf_probe_read_user_str(path, sizeof(path), (const char *)ptr);
	if (n > 0 && bpf_strncmp(path, PATH_MAX_LEN, (const char *)target_path) == 0)
		bpf_map_update_elem(&marked_fds, &key, &one, BPF_ANY);
	else
		bpf_map_delete_elem(&marked_fds, &key);	/* the number was reused */
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_open")
int open_enter(struct trace_event_raw_sys_enter *ctx)
{
	return save_open(ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_exit_open")
int open_exit(struct trace_event_raw_sys_exit *ctx)
{
	return finish_open(ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_openat")
int openat_enter(struct trace_event_raw_sys_enter *ctx)
{
	return save_open(ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int openat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return finish_open(ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_read")
int read_enter(struct trace_event_raw_sys_enter *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	struct fd_key key = { .pid = id >> 32, .fd = ctx->args[0] };
	struct read_call call = { .buf = ctx->args[1], .fd = ctx->args[0] };

	if (!bpf_map_lookup_elem(&marked_fds, &key))
		return 0;
	bpf_map_update_elem(&read_calls, &id, &call, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_read")
int read_exit(struct trace_event_raw_sys_exit *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	struct password_event *ev;
	struct read_call *saved, call;
	long ret = ctx->ret;
	u32 zero = 0;
	u64 n;

	saved = bpf_map_lookup_elem(&read_calls, &id);
	if (!saved)
		return 0;
	call = *saved;
	bpf_map_delete_elem(&read_calls, &id);
	if (ret <= 0)
		return 0;

	ev = bpf_map_lookup_elem(&scratch, &zero);
	if (!ev)
		return 0;
	n = ret < DATA_MAX ? ret : DATA_MAX;
	barrier_var(n);		/* libbpf's: keep the check below for the verifier */
	if (n > DATA_MAX)
		return 0;
	ev->pid = id >> 32;
	ev->tid = (u32)id;
	ev->fd = call.fd;
	ev->len = ret;
	ev->size = n;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	if (bpf_probe_read_user(ev->data, n, (const void *)call.buf))
		return 0;
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, ev,
			      __builtin_offsetof(struct password_event, data) + n);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_close")
int close_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct fd_key key = {
		.pid = bpf_get_current_pid_tgid() >> 32,
		.fd = ctx->args[0],
	};

	bpf_map_delete_elem(&marked_fds, &key);
	return 0;
}

/* A thread killed inside a syscall never reaches its exit tracepoint. */
SEC("tracepoint/sched/sched_process_exit")
int process_exit(void *ctx)
{
	u64 id = bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&open_calls, &id);
	bpf_map_delete_elem(&read_calls, &id);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
