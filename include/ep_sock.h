/* SPDX-License-Identifier: MIT */
/*
 * Sockets, as the ebpf.party exercises read them.  struct sockaddr_in is
 * user-space ABI (include/uapi/linux/in.h): what connect(2)'s second
 * argument points at, copied with bpf_probe_read_user().  struct sock and
 * sock_common are the kernel's own, portable through CO-RE (task.h); the
 * fields kept are the ones a kprobe on tcp_* needs.  From the kernel's BTF
 * by make headers (task.h), these roots:
 *
 * btfgen: sock.__sk_common
 * btfgen: sock_common.skc_daddr,skc_rcv_saddr,skc_dport,skc_num,skc_family
 * btfgen: iovec.iov_base,iov_len
 * btfgen: iov_iter.__iov,count,nr_segs
 * btfgen: msghdr.msg_iter
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

/*
 * include/net/sock.h: the addresses and ports, in network byte order,
 * skc_num the local port in host byte order.  include/linux/uio.h,
 * include/linux/socket.h: what tcp_sendmsg() sends.
 */
/* The generator's text as it writes it, which clang-format leaves alone. */
/* clang-format off */
/* btfgen: begin */
#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
#endif

typedef unsigned int __u32;

typedef __u32 __be32;

typedef short unsigned int __u16;

typedef __u16 __be16;

struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	short unsigned int skc_family;
};

struct sock {
	struct sock_common __sk_common;
};

typedef long unsigned int __kernel_ulong_t;

typedef __kernel_ulong_t __kernel_size_t;

struct iovec {
	void *iov_base;
	__kernel_size_t iov_len;
};

typedef __kernel_size_t size_t;

struct iov_iter {
	const struct iovec *__iov;
	size_t count;
	long unsigned int nr_segs;
};

struct msghdr {
	struct iov_iter msg_iter;
};

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute pop
#endif
/* btfgen: end */
/* clang-format on */

/*
 * Since 6.4 the iovecs are iov_iter's __iov (was iov: iov_iter___old,
 * written here by hand, as a newer kernel's BTF has no such field), in an
 * anonymous union whose other members serve other kinds of iterator:
 * a sendmsg(2) of several buffers is ITER_IOVEC, __iov and nr_segs its
 * array (copied into the kernel); a single buffer is ITER_UBUF on recent
 * kernels (include/linux/uio.h), whose pointer is the data itself.  The
 * loader finds a field in the kernel's anonymous members by its name.
 */
struct iov_iter___old {
	const struct iovec *iov;
} __ep_core;

#endif
