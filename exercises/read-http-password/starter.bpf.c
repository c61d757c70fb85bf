// SPDX-License-Identifier: GPL-2.0
/*
 * read-http-password: a program logs in to a web server on 127.0.0.1 with
 * an HTTP POST whose body is "user=admin&password=...".  It sends the head
 * and the body as two buffers of one sendmsg(2).  Submit the password (what
 * follows "password=", to the end of its buffer) with SUBMIT_STR_LEN().
 *
 * Every TCP send goes through tcp_sendmsg(struct sock *sk, struct msghdr
 * *msg, size_t size) (net/ipv4/tcp.c): a kprobe on it sees msg, whose
 * msg_iter holds the buffers: msg_iter.__iov points at nr_segs struct
 * iovec { iov_base, iov_len } in the kernel, and each iov_base at the
 * sender's bytes.  Read the kernel's structs with BPF_CORE_READ(), the
 * sender's bytes with bpf_probe_read_user() into a stack buffer, end them
 * with a NUL, and find "password=" with the kfunc bpf_strstr(buf,
 * "password=") (kfuncs.h: an index, or a negative number if not found).
 *
 * No kprobes on this kernel?  starter-raw_tp.bpf.c watches the same send
 * from a raw tracepoint.
 */
#include "ep_platform.h"
#include "ep_sock.h"
#include "kfuncs.h"
#include <bpf/bpf_tracing.h>

SEC("kprobe/tcp_sendmsg")
int on_tcp_sendmsg(struct pt_regs *ctx)
{
	struct msghdr *msg = (struct msghdr *)PT_REGS_PARM2(ctx);

	/* TODO: for each iovec: copy its bytes, search, submit what follows the key */
	return 0;
}
