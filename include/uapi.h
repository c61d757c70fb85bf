/* SPDX-License-Identifier: MIT */
/*
 * The few kernel uapi definitions a BPF program built for mini-trace uses,
 * written out here so that include/ needs nothing installed but clang:
 *
 *	clang -O2 -g -target bpf -I include -c ex.bpf.c
 *
 * <linux/bpf.h> would pull in <linux/types.h> and then <asm/types.h>, which
 * Debian and Ubuntu keep in a per-architecture directory
 * (/usr/include/x86_64-linux-gnu) that clang does not search for
 * -target bpf, and which a machine without linux-libc-dev lacks altogether.
 *
 * Copying is safe because every number below is ABI: a program built
 * against one kernel's headers runs on later kernels, so a value, once in a
 * released kernel's include/uapi, never changes.  New helpers and map types
 * only ever go at the end of their enums (when BPF_MAP_TYPE_CGROUP_STORAGE
 * was retired in 6.2, its number 19 stayed, renamed ..._DEPRECATED).  Each
 * block names the kernel file it comes from; tests/e2e_readme.sh compares
 * every value with the installed kernel headers when they are present.
 *
 * The loader does not include this file: user space takes the same
 * definitions from the installed <linux/bpf.h>.
 */
#ifndef MINI_TRACE_UAPI_H
#define MINI_TRACE_UAPI_H

/*
 * include/uapi/asm-generic/int-ll64.h, which every architecture's
 * <asm/types.h> uses for user space.  The BPF target is 64-bit (long is 8
 * bytes) whatever kernel the program is for.  A second identical typedef is
 * allowed, so a file may still include <linux/types.h> as well.
 */
typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;

/* include/uapi/linux/types.h: network byte order, as the kernel names it. */
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u64 __be64;

/*
 * include/uapi/linux/bpf.h, only what programs here name.  Skipped when the
 * real header came first (its include guard), so a file that includes
 * <linux/bpf.h> before these headers still builds where it is installed.
 */
#ifndef __LINUX_BPF_H__

/* The type field of a BTF-defined map: __uint(type, BPF_MAP_TYPE_HASH). */
enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4,
	BPF_MAP_TYPE_PERCPU_HASH = 5,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_RINGBUF = 27, /* 5.8 */
};

/* bpf_map_update_elem()'s flags. */
enum {
	BPF_ANY = 0,	 /* create or replace */
	BPF_NOEXIST = 1, /* create only */
	BPF_EXIST = 2,	 /* replace only */
};

/* bpf_perf_event_output()'s flags: which CPU's ring, or the current one's. */
enum {
	BPF_F_INDEX_MASK = 0xffffffffULL,
	BPF_F_CURRENT_CPU = BPF_F_INDEX_MASK,
};

/* bpf_ringbuf_output/submit/discard()'s flags: wake the reader or not. */
enum {
	BPF_RB_NO_WAKEUP = (1ULL << 0),
	BPF_RB_FORCE_WAKEUP = (1ULL << 1),
};

/*
 * The imm of a helper call instruction: the helper's number, generated in
 * the kernel from __BPF_FUNC_MAPPER's list (since 6.2 spelled out as
 * FN(name, number)).  bpf_helpers.h declares each as a function pointer of
 * that constant value.
 */
enum bpf_func_id {
	BPF_FUNC_map_lookup_elem = 1,
	BPF_FUNC_map_update_elem = 2,
	BPF_FUNC_map_delete_elem = 3,
	BPF_FUNC_ktime_get_ns = 5,
	BPF_FUNC_trace_printk = 6,
	BPF_FUNC_get_smp_processor_id = 8,
	BPF_FUNC_get_current_pid_tgid = 14,
	BPF_FUNC_get_current_uid_gid = 15,
	BPF_FUNC_get_current_comm = 16,
	BPF_FUNC_perf_event_output = 25,
	BPF_FUNC_probe_read_user = 112,		/* 5.5 */
	BPF_FUNC_probe_read_kernel = 113,	/* 5.5 */
	BPF_FUNC_probe_read_user_str = 114,	/* 5.5 */
	BPF_FUNC_probe_read_kernel_str = 115,	/* 5.5 */
	BPF_FUNC_get_ns_current_pid_tgid = 120, /* 5.7 */
	BPF_FUNC_ringbuf_output = 130,		/* 5.8 */
	BPF_FUNC_ringbuf_reserve = 131,		/* 5.8 */
	BPF_FUNC_ringbuf_submit = 132,		/* 5.8 */
	BPF_FUNC_ringbuf_discard = 133,		/* 5.8 */
	BPF_FUNC_loop = 181,			/* 5.17 */
	BPF_FUNC_strncmp = 182,			/* 5.17, or load.c's stand-in */
};

/* What bpf_get_ns_current_pid_tgid() fills in. */
struct bpf_pidns_info {
	__u32 pid;
	__u32 tgid;
};

#endif /* __LINUX_BPF_H__ */

/*
 * Syscall arguments the password program decodes, spelled token for token
 * as the kernel's headers spell them, so including those as well is not a
 * redefinition.  The flag values that differ between architectures are
 * the asm-generic ones, which x86, arm, arm64 and riscv all use (alpha,
 * mips, parisc, powerpc and sparc have their own).
 */
/* include/uapi/asm-generic/fcntl.h */
#define O_CLOEXEC 02000000
#define F_DUPFD 0
#define F_SETFD 2
#define FD_CLOEXEC 1
#define F_LINUX_SPECIFIC_BASE 1024
/* include/uapi/linux/fcntl.h */
#define F_DUPFD_CLOEXEC (F_LINUX_SPECIFIC_BASE + 6)
/* include/uapi/asm-generic/ioctls.h: Python's os.set_inheritable uses these */
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
/* include/uapi/linux/close_range.h (5.11) */
#define CLOSE_RANGE_CLOEXEC (1U << 2)
/* include/uapi/linux/sched.h: clone() flags */
#define CLONE_FILES 0x00000400
#define CLONE_THREAD 0x00010000
/* include/uapi/linux/uio.h: the most iovecs one readv takes */
#define UIO_MAXIOV 1024

#endif
