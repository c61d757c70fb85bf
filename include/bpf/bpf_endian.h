/* SPDX-License-Identifier: MIT */
/*
 * <bpf/bpf_endian.h>: network byte order (big-endian) to the machine's and
 * back.  The BPF target has the byte order of the kernel it is built for
 * (clang's "bpf" is the host's; bpfel and bpfeb say it outright), and
 * clang tells which in __BYTE_ORDER__.  Constant arguments fold at compile
 * time, so bpf_htons(80) costs nothing.
 */
#ifndef MINI_TRACE_BPF_ENDIAN_H
#define MINI_TRACE_BPF_ENDIAN_H

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define bpf_htons(x) __builtin_bswap16(x)
#define bpf_ntohs(x) __builtin_bswap16(x)
#define bpf_htonl(x) __builtin_bswap32(x)
#define bpf_ntohl(x) __builtin_bswap32(x)
#define bpf_cpu_to_be64(x) __builtin_bswap64(x)
#define bpf_be64_to_cpu(x) __builtin_bswap64(x)
#else
#define bpf_htons(x) ((__u16)(x))
#define bpf_ntohs(x) ((__u16)(x))
#define bpf_htonl(x) ((__u32)(x))
#define bpf_ntohl(x) ((__u32)(x))
#define bpf_cpu_to_be64(x) ((__u64)(x))
#define bpf_be64_to_cpu(x) ((__u64)(x))
#endif

#endif
