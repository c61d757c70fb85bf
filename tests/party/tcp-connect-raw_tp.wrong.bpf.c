// SPDX-License-Identifier: GPL-2.0
/* WRONG on purpose (tests/e2e_party.sh): the local port, skc_num, not the destination */
/*
 * tcp-connect on a raw tracepoint, solved: the socket that goes from
 * SYN_SENT to ESTABLISHED is the client's whose handshake just ended
 * (tcp_finish_connect()); the listener's new socket comes from SYN_RECV.
 */
#include "ep_platform.h"
#include "ep_sock.h"
#include <bpf/bpf_endian.h>

#define TCP_ESTABLISHED 1
#define TCP_SYN_SENT 2

struct bpf_raw_tracepoint_args {
	u64 args[0];
};

SEC("raw_tp/inet_sock_set_state")
int on_set_state(struct bpf_raw_tracepoint_args *ctx)
{
	struct sock *sk = (struct sock *)ctx->args[0];
	u16 port;

	if (ctx->args[1] != TCP_SYN_SENT || ctx->args[2] != TCP_ESTABLISHED)
		return 0;
	port = BPF_CORE_READ(sk, __sk_common.skc_num);
	SUBMIT_NUM(port);
	return 0;
}
