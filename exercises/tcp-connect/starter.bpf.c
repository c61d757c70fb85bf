// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-connect: as in socket-and-connect, ten connections are tried and one
 * is made, but the sockets are non-blocking: every connect(2) returns
 * -EINPROGRESS (-115) before the handshake ends, so its exit says nothing.
 * Submit the port of the connection that is made with SUBMIT_NUM(port).
 *
 * The kernel calls tcp_finish_connect(struct sock *sk, struct sk_buff *skb)
 * (net/ipv4/tcp_input.c) when a SYN-ACK completes a connection: a kprobe on
 * it sees the socket.  The destination port is sk->__sk_common.skc_dport,
 * in network byte order; read it with BPF_CORE_READ(), since sk points into
 * the kernel and its layout is the running kernel's.
 *
 * This kernel has no kprobes?  starter-raw_tp.bpf.c is the same exercise
 * on a raw tracepoint.
 */
#include "ep_platform.h"
#include "ep_sock.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>

SEC("kprobe/tcp_finish_connect")
int on_tcp_finish_connect(struct pt_regs *ctx)
{
	struct sock *sk = (struct sock *)PT_REGS_PARM1(ctx);

	/* TODO: read skc_dport, bpf_ntohs() it, submit it */
	return 0;
}
