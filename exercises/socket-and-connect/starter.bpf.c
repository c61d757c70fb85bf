// SPDX-License-Identifier: GPL-2.0
/*
 * socket-and-connect: a program listens on 127.0.0.1 and then connects
 * ten times to ports near its own.  Nine are refused; one connect(2)
 * returns 0.  Submit that connection's port with SUBMIT_NUM(port).
 *
 * The port is in connect(2)'s entry (args[1] points at a struct
 * sockaddr_in in the program's memory), the outcome in its exit (ret): a
 * hash map keyed by pid carries one to the other.  sin_port is in network
 * byte order: bpf_ntohs() turns it into a number.
 */
#include "ep_platform.h"
#include "ep_sock.h"
#include "syscalls.h"
#include <bpf/bpf_endian.h>

/* The port a connect(2) in progress asked for, keyed by pid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, u16);
} connect_port SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_connect")
int on_connect_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct sockaddr_in addr = {};

	/* TODO: copy *args[1] with bpf_probe_read_user(); an AF_INET one: save its port */
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int on_connect_exit(struct trace_event_raw_sys_exit *ctx)
{
	/* TODO: a port saved and ret == 0: submit it; forget it either way */
	return 0;
}
