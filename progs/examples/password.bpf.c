// SPDX-License-Identifier: GPL-2.0
/*
 * Exercise "Cross-syscall state tracking", solved: the password is whatever
 * a process reads from a file descriptor it got by opening /tmp/password.
 * The programs pass what they learn along through three maps:
 *
 *	open entry	the path is /tmp/password: mark the pid
 *	open exit	the pid is marked: remember (pid, fd)
 *	read entry	(pid, fd) is remembered: save the buffer address
 *	read exit	a buffer was saved: submit the bytes read
 *	close		forget (pid, fd): the number may next be another file
 *
 *	mini-trace run password.bpf.o -- ./password_reader
 */
#include "ep_platform.h"

struct pid_fd_key {
	u64 pid;
	u32 fd;
};

/* Temporary marker during open: this pid is opening /tmp/password. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, u8);
} open_curr_fd_interesting SEC(".maps");

/* Persistent: (pid, fd) pairs that are /tmp/password. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct pid_fd_key);
	__type(value, u8); // marker
} open_interesting_fds SEC(".maps");

/* Temporary during read: where the bytes go. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, u64);
} read_curr_fd_buf SEC(".maps");

/* An open of /tmp/password starts: mark the pid. */
static __always_inline int open_enter(const char *file)
{
	u64 pid = bpf_get_current_pid_tgid();
	char path[16] = {};
	u8 one = 1;

	bpf_probe_read_user_str(path, sizeof(path), file);
	if (bpf_strncmp(path, sizeof(path), "/tmp/password") == 0)
		bpf_map_update_elem(&open_curr_fd_interesting, &pid, &one, BPF_ANY);
	return 0;
}

/* It returns: a marked pid's fd is remembered. */
static __always_inline int open_exit(long ret)
{
	u64 pid = bpf_get_current_pid_tgid();
	struct pid_fd_key key = {};
	u8 one = 1;

	if (!bpf_map_lookup_elem(&open_curr_fd_interesting, &pid))
		return 0;
	bpf_map_delete_elem(&open_curr_fd_interesting, &pid);
	if (ret < 0)
		return 0;
	key.pid = pid;
	key.fd = ret;
	bpf_map_update_elem(&open_interesting_fds, &key, &one, BPF_ANY);
	return 0;
}

/*
 * glibc's open() is openat(2); musl's is open(2) where the architecture has
 * that syscall (x86_64, 32-bit arm, s390x, powerpc64: musl's
 * src/fcntl/open.c calls SYS_open), so both are watched.  arm64 and riscv64
 * have only openat(2) (include/uapi/asm-generic/unistd.h): "run" skips the
 * programs on open(2) there.
 */
SEC("tracepoint/syscalls/sys_enter_open")
int on_open_enter(struct trace_event_raw_sys_enter *ctx)
{
	return open_enter((const char *)ctx->args[0]);
}

/*
 * ctx->ret would do on a 64-bit kernel; sys_exit_ret(ctx) reads the result
 * right on a 32-bit one too, where it is 4 bytes to sign-extend
 * (tracepoint.h).
 */
SEC("tracepoint/syscalls/sys_exit_open")
int on_open_exit(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(sys_exit_ret(ctx));
}

SEC("tracepoint/syscalls/sys_enter_openat")
int on_openat_enter(struct trace_event_raw_sys_enter *ctx)
{
	return open_enter((const char *)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int on_openat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(sys_exit_ret(ctx));
}

SEC("tracepoint/syscalls/sys_enter_read")
int on_read_enter(struct trace_event_raw_sys_enter *ctx)
{
	u64 pid = bpf_get_current_pid_tgid();
	struct pid_fd_key key = {}; /* zeroed whole: the padding is part of the key */
	u64 buf = ctx->args[1];

	key.pid = pid;
	key.fd = ctx->args[0];
	if (bpf_map_lookup_elem(&open_interesting_fds, &key))
		bpf_map_update_elem(&read_curr_fd_buf, &pid, &buf, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_read")
int on_read_exit(struct trace_event_raw_sys_exit *ctx)
{
	u64 pid = bpf_get_current_pid_tgid();
	u64 *buf = bpf_map_lookup_elem(&read_curr_fd_buf, &pid);
	long ret = sys_exit_ret(ctx);

	if (!buf)
		return 0;
	if (ret > 0)
		SUBMIT_STR_LEN((const char *)*buf, ret);
	bpf_map_delete_elem(&read_curr_fd_buf, &pid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_close")
int on_close(struct trace_event_raw_sys_enter *ctx)
{
	struct pid_fd_key key = {};

	key.pid = bpf_get_current_pid_tgid();
	key.fd = ctx->args[0];
	bpf_map_delete_elem(&open_interesting_fds, &key);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
