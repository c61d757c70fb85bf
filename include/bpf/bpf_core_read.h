/* SPDX-License-Identifier: MIT */
/*
 * <bpf/bpf_core_read.h>: reading kernel structs whose layout differs from
 * one kernel to the next (CO-RE, "compile once, run everywhere").
 *
 * __builtin_preserve_access_index(&p->field) makes clang record, in
 * .BTF.ext, which field of which BTF type the offset stands for; the loader
 * looks the same field up in the running kernel's BTF
 * (/sys/kernel/btf/vmlinux) and patches the offset before load.  Structs
 * declared with __attribute__((preserve_access_index)) (task.h, ep_sock.h)
 * have every access recorded that way.
 *
 * BPF_CORE_READ(p, a, b) reads p->a->b, one bpf_probe_read_kernel() per
 * pointer followed; up to four fields.
 */
#ifndef MINI_TRACE_BPF_CORE_READ_H
#define MINI_TRACE_BPF_CORE_READ_H

#include "bpf_helpers.h"

#define bpf_core_read(dst, sz, src) \
	bpf_probe_read_kernel(dst, sz, (const void *)__builtin_preserve_access_index(src))

#define BPF_CORE_READ_INTO(dst, src, a) bpf_core_read((dst), sizeof(*(dst)), &(src)->a)

/*
 * 1 if the running kernel's BTF has the field (p->a.b, a whole access
 * expression), else 0: the loader patches the constant (relo kind
 * BPF_CORE_FIELD_EXISTS, 2 in clang's and libbpf's numbering).  A field
 * renamed between kernels is read through a "___flavor" copy of its
 * struct, which the loader matches by the name before the "___".
 */
#define bpf_core_field_exists(field) __builtin_preserve_field_info(field, 2)

#define __MT_CORE_READ1(s, a)                              \
	({                                                 \
		typeof((s)->a) __r;                        \
		__builtin_memset(&__r, 0, sizeof(__r));    \
		bpf_core_read(&__r, sizeof(__r), &(s)->a); \
		__r;                                       \
	})
#define __MT_CORE_READ2(s, a, b) __MT_CORE_READ1(__MT_CORE_READ1(s, a), b)
#define __MT_CORE_READ3(s, a, b, c) __MT_CORE_READ1(__MT_CORE_READ2(s, a, b), c)
#define __MT_CORE_READ4(s, a, b, c, d) __MT_CORE_READ1(__MT_CORE_READ3(s, a, b, c), d)
#define __MT_CORE_PICK(_1, _2, _3, _4, NAME, ...) NAME
#define BPF_CORE_READ(s, ...)                                                          \
	__MT_CORE_PICK(__VA_ARGS__, __MT_CORE_READ4, __MT_CORE_READ3, __MT_CORE_READ2, \
		       __MT_CORE_READ1)                                                \
	(s, __VA_ARGS__)

#endif
