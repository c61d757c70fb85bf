// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-connect on a kernel without kprobes (CONFIG_KPROBES off): the same
 * moment, seen from a tracepoint.  tcp_finish_connect() moves the socket
 * from SYN_SENT to ESTABLISHED with tcp_set_state(), which fires
 * sock/inet_sock_set_state (include/trace/events/sock.h).  A raw
 * tracepoint gets that tracepoint's own arguments, unformatted:
 *
 *	args[0]  const struct sock *sk
 *	args[1]  int oldstate	(TCP_SYN_SENT = 2)
 *	args[2]  int newstate	(TCP_ESTABLISHED = 1)
 *
 * Submit the destination port of the socket that goes from SYN_SENT to
 * ESTABLISHED: BPF_CORE_READ() of sk->__sk_common.skc_dport, bpf_ntohs().
 */
#include "ep_platform.h"
#include "ep_sock.h"
#include <bpf/bpf_endian.h>

#define TCP_ESTABLISHED 1
#define TCP_SYN_SENT 2

/* A raw tracepoint's context: the arguments, as 64-bit numbers. */
struct bpf_raw_tracepoint_args {
	u64 args[0];
};

SEC("raw_tp/inet_sock_set_state")
int on_set_state(struct bpf_raw_tracepoint_args *ctx)
{
	struct sock *sk = (struct sock *)ctx->args[0];

	/* TODO: SYN_SENT to ESTABLISHED: read skc_dport, bpf_ntohs() it, submit it */
	return 0;
}
