/* SPDX-License-Identifier: MIT */
/*
 * Sockets, as the ebpf.party exercises read them.  struct sockaddr_in is
 * user-space ABI (include/uapi/linux/in.h): what connect(2)'s second
 * argument points at, copied with bpf_probe_read_user().  struct sock and
 * sock_common are the kernel's own, portable through CO-RE (task.h); the
 * fields kept are the ones a kprobe on tcp_* needs.
 */
#ifndef MINI_TRACE_EP_SOCK_H
#define MINI_TRACE_EP_SOCK_H

#include "task.h"

typedef unsigned short sa_family_t;

#define AF_INET 2
#define AF_INET6 10

struct in_addr {
	__be32 s_addr;
};

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

struct sockaddr_in {
	sa_family_t sin_family; /* AF_INET */
	__be16 sin_port;	/* network byte order: bpf_ntohs() */
	struct in_addr sin_addr;
	unsigned char __pad[8];
};

/* include/net/sock.h: the addresses and ports, in network byte order. */
struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num; /* the local port, host byte order */
	unsigned short skc_family;
} __ep_core;

struct sock {
	struct sock_common __sk_common;
} __ep_core;

/* include/linux/uio.h, include/linux/socket.h: what tcp_sendmsg() sends. */
struct iovec {
	void *iov_base;
	size_t iov_len;
} __ep_core;

/*
 * Since 6.4 the iovecs are __iov (was iov: iov_iter___old below), in an
 * anonymous union whose other members serve other kinds of iterator:
 * a sendmsg(2) of several buffers is ITER_IOVEC, __iov and nr_segs its
 * array (copied into the kernel); a single buffer is ITER_UBUF on recent
 * kernels (include/linux/uio.h), whose pointer is the data itself.
 */
struct iov_iter {
	const struct iovec *__iov;
	size_t count;
	unsigned long nr_segs;
} __ep_core;

struct iov_iter___old {
	const struct iovec *iov;
} __ep_core;

struct msghdr {
	struct iov_iter msg_iter;
} __ep_core;

#endif
