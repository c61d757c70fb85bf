// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-connect, solved: tcp_finish_connect() runs once per connection that
 * is made (the nine refused ones end in a reset, tcp_reset()), with the
 * socket as its first argument.
 */
#include "ep_platform.h"
#include "ep_sock.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>

SEC("kprobe/tcp_finish_connect")
int on_tcp_finish_connect(struct pt_regs *ctx)
{
	struct sock *sk = (struct sock *)PT_REGS_PARM1(ctx);
	u16 port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));

	SUBMIT_NUM(port);
	return 0;
}
