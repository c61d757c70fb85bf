// SPDX-License-Identifier: GPL-2.0
/*
 * socket-and-connect, solved: connect(2)'s entry saves the port it was
 * asked for, its exit submits it when the connection was made (ret 0).
 */
#include "ep_platform.h"
#include "ep_sock.h"
#include "syscalls.h"
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, u16);
} connect_port SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_connect")
int on_connect_enter(struct trace_event_raw_sys_enter *ctx)
{
	u64 pid = bpf_get_current_pid_tgid();
	struct sockaddr_in addr = {};
	u16 port;

	if (bpf_probe_read_user(&addr, sizeof(addr), (const void *)ctx->args[1]))
		return 0;
	if (addr.sin_family != AF_INET)
		return 0;
	port = bpf_ntohs(addr.sin_port);
	bpf_map_update_elem(&connect_port, &pid, &port, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int on_connect_exit(struct trace_event_raw_sys_exit *ctx)
{
	u64 pid = bpf_get_current_pid_tgid();
	u16 *port = bpf_map_lookup_elem(&connect_port, &pid);

	if (!port)
		return 0;
	if (ctx->ret == 0)
		SUBMIT_NUM(*port);
	bpf_map_delete_elem(&connect_port, &pid);
	return 0;
}
