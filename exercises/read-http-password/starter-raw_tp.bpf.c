// SPDX-License-Identifier: GPL-2.0
/*
 * read-http-password on a kernel without kprobes (see starter.bpf.c for
 * the exercise): tcp_sendmsg() calls tcp_sendmsg_locked(), which fires the
 * tracepoint tcp/tcp_sendmsg_locked (include/trace/events/tcp.h, 6.12 and
 * later).  A raw tracepoint gets its arguments unformatted:
 *
 *	args[0]  const struct sock *sk
 *	args[1]  const struct msghdr *msg	the buffers being sent
 *	args[2]  const struct sk_buff *skb
 *	args[3]  int size_goal
 */
#include "ep_platform.h"
#include "ep_sock.h"
#include "kfuncs.h"

/* A raw tracepoint's context: the arguments, as 64-bit numbers. */
struct bpf_raw_tracepoint_args {
	u64 args[0];
};

SEC("raw_tp/tcp_sendmsg_locked")
int on_tcp_sendmsg_locked(struct bpf_raw_tracepoint_args *ctx)
{
	struct msghdr *msg = (struct msghdr *)ctx->args[1];

	/* TODO: for each iovec: copy its bytes, search, submit what follows the key */
	return 0;
}
