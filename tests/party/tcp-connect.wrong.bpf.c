// SPDX-License-Identifier: GPL-2.0
/* WRONG on purpose (tests/vm): the local port, skc_num, not the destination */
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
	u16 port = BPF_CORE_READ(sk, __sk_common.skc_num);

	SUBMIT_NUM(port);
	return 0;
}
