// SPDX-License-Identifier: GPL-2.0
/*
 * One object, many kernels (make vmtest), struct sock's half: when the
 * probe's TCP socket starts listening (tcp_set_state's sibling
 * inet_sk_state_store(), net/ipv4/af_inet.c, fires sock/inet_sock_set_state),
 * the socket's own fields are read through CO-RE and compared with what
 * the kernel itself wrote into the record (include/trace/events/sock.h):
 *
 *	sk->__sk_common.skc_family	the record's family, AF_INET
 *	sk->__sk_common.skc_num		its sport, the port bind() chose
 *	sk->sk_protocol			its protocol, IPPROTO_TCP
 *	sk->sk_type			SOCK_STREAM
 *
 * The answer is 1 only if all four are read where this kernel has them
 * (sk_protocol and sk_type sit far into struct sock, at offsets that move
 * between versions, architectures and configs); else 10 plus a bit for
 * each one wrong.  A kernel without BTF cannot say where struct sock's
 * fields are: mini-trace refuses the object in one line.
 */
#include "report.h"

#define AF_INET 2
#define IPPROTO_TCP 6
#define SOCK_STREAM 1

SEC("tracepoint/sock/inet_sock_set_state")
int sock_listen(struct trace_event_raw_inet_sock_set_state *ctx)
{
	const struct sock *sk = ctx->skaddr;
	long wrong = 0;

	if (ctx->newstate != TCP_LISTEN || !is_probe())
		return 0;
	if (BPF_CORE_READ(sk, __sk_common.skc_family) != AF_INET || ctx->family != AF_INET)
		wrong |= 1;
	if (BPF_CORE_READ(sk, __sk_common.skc_num) != ctx->sport || !ctx->sport)
		wrong |= 2;
	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP || ctx->protocol != IPPROTO_TCP)
		wrong |= 4;
	if (BPF_CORE_READ(sk, sk_type) != SOCK_STREAM)
		wrong |= 8;
	submit(wrong ? 10 + wrong : 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
