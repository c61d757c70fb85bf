/* SPDX-License-Identifier: MIT */
/*
 * The records the built-in programs send to user space through the perf
 * buffer.  Both sides compile this header, so it holds fixed-width types only:
 * the BPF target is 64-bit even where the loader is built for a 32-bit board.
 * The loader takes those types from the installed kernel headers, a BPF
 * program from include/uapi.h (clang -target bpf defines __bpf__).
 */
#ifndef MINI_TRACE_EVENTS_H
#define MINI_TRACE_EVENTS_H

#ifdef __bpf__
#include "uapi.h"
#else
#include <linux/types.h>
#endif

/*
 * Records the kernel refused to take are counted by the program itself, in a
 * global __u64 named events_lost (it lands in the object's .bss):
 *
 *	DEFINE_EVENTS_LOST;
 *	...
 *	if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &ev, sizeof(ev)))
 *		__sync_fetch_and_add(&events_lost, 1);
 *
 * A full perf ring tells user space of its losses only inside the ring, with
 * the next record that fits (PERF_RECORD_LOST), and a full BPF ring buffer
 * tells nothing at all; this count is exact even at the end of a run.  The
 * loader looks the variable up by EVENTS_LOST_NAME in .bss when the run ends
 * and reports the larger of it and what the rings reported.  An object
 * without it is fine: only the rings' own reports count then.
 */
#define EVENTS_LOST_NAME "events_lost"
#ifdef __bpf__
#define DEFINE_EVENTS_LOST __u64 events_lost
#endif

#define TASK_COMM_LEN 16

/*
 * progs/exit.bpf.c: one per process of a matching name, once its last thread
 * has exited: how it ended, as wait(2) tells its parent.
 */
struct exit_event {
	__u32 pid;    /* in mini-trace's pid namespace */
	__s32 code;   /* exit code (0..255) when signal is 0 */
	__u32 signal; /* the signal that killed it, or 0 */
	char comm[TASK_COMM_LEN];
};

/*
 * progs/exit.bpf.c's map process_names, keyed by pid (in mini-trace's pid
 * namespace): what is known of each live process.  User space writes one for
 * each process already running when it starts.
 */
struct exit_process {
	char comm[TASK_COMM_LEN]; /* the name of its leader thread */
	__u32 threads;		  /* threads still alive */
	__s32 status;		  /* wait(2)'s status so far (see exit.bpf.c) */
	__u32 flags;		  /* EXIT_GROUP, EXIT_BY_SIGKILL */
};

#define EXIT_GROUP 1u	   /* status is the whole group's, and final */
#define EXIT_BY_SIGKILL 2u /* ...unless the signal behind a SIGKILL turns up */

/*
 * The longest path the password program compares in the kernel, NUL included.
 * Longer --file values are refused by the loader rather than cut.
 */
#define PASSWORD_PATH_MAX 128

/*
 * progs/password.bpf.c keeps, for each process that holds the target open,
 * an fd table: one byte per fd below PASSWORD_FD_LIMIT, of PASSWORD_MARK_*
 * bits, in the hash map fd_tables keyed by the thread group id.  The loader
 * writes tables itself for fds opened before it started.  On 6.1 and later
 * it lets the map hold PASSWORD_FD_TABLES_MAX of them, allocated as they
 * come; the object as built preallocates fewer.  What could not be followed
 * is counted in .bss for the loader to report: tables_full (opens and forks
 * that got no table) and calls_full (syscalls whose map was full).
 */
#define PASSWORD_FD_LIMIT 1024
/*
 * After the fd bytes, one u64: nonzero when the process may hold the target
 * at an fd the bytes do not say (at PASSWORD_FD_LIMIT or above, or received
 * over a unix socket), so that each of its reads is checked against the
 * kernel's struct file (only where the kernel has BTF).
 */
#define PASSWORD_FD_TABLE_SIZE (PASSWORD_FD_LIMIT + 8)
#define PASSWORD_MARK_TARGET 1	/* the fd is open on the target */
#define PASSWORD_MARK_CLOEXEC 2 /* and will be closed by exec */
#define PASSWORD_FD_TABLES_MAX 65536
/*
 * The program counts its fd tables by pid modulo PASSWORD_TABLE_SHARDS, in
 * the array tables_by_pid (section .bss.tables), which the loader fills in too.
 */
#define PASSWORD_TABLE_SHARDS 512

/*
 * progs/password.bpf.c sees every syscall (raw_syscalls/sys_enter and
 * sys_exit) and follows those whose number the loader marked in its table
 * syscall_kind[PASSWORD_NR_MAX] with one of these kinds, from the running
 * architecture's <sys/syscall.h>.  Every kind is one way to read the
 * arguments at entry and the result at exit.
 */
#define PASSWORD_NR_MAX 1024
enum password_syscall {
	PASSWORD_SYS_OTHER,	  /* not followed */
	PASSWORD_SYS_OPEN,	  /* open */
	PASSWORD_SYS_OPENAT,	  /* openat */
	PASSWORD_SYS_OPENAT2,	  /* openat2 */
	PASSWORD_SYS_READ,	  /* read, pread64 */
	PASSWORD_SYS_READV,	  /* readv, preadv, preadv2 */
	PASSWORD_SYS_SENDFILE,	  /* sendfile, sendfile64 */
	PASSWORD_SYS_COPY,	  /* splice, copy_file_range */
	PASSWORD_SYS_CLOSE,	  /* close */
	PASSWORD_SYS_DUP,	  /* dup */
	PASSWORD_SYS_DUP2,	  /* dup2 */
	PASSWORD_SYS_DUP3,	  /* dup3 */
	PASSWORD_SYS_FCNTL,	  /* fcntl, fcntl64 */
	PASSWORD_SYS_IOCTL,	  /* ioctl */
	PASSWORD_SYS_CLOSE_RANGE, /* close_range */
	PASSWORD_SYS_GETFD,	  /* pidfd_getfd: an fd of another process */
	PASSWORD_SYS_OPEN_HANDLE, /* open_by_handle_at */
	PASSWORD_SYS_RECVMSG,	  /* recvmsg, recvmmsg: fds over a unix socket */
};

/*
 * progs/password.bpf.c: the bytes of one successful read of the target file,
 * sent as one or more chunks.  A read returning more than
 * PASSWORD_CHUNK * PASSWORD_MAX_CHUNKS bytes is sent up to that limit with
 * PASSWORD_TRUNCATED set; "len" is always the true return value of the read.
 */
#define PASSWORD_CHUNK 4096
#define PASSWORD_MAX_CHUNKS 32
#define PASSWORD_TRUNCATED 1u

struct password_event {
	__u32 pid; /* thread group id */
	__u32 tid; /* the thread that read */
	__s32 fd;
	__u32 flags; /* PASSWORD_TRUNCATED */
	__u64 len;   /* bytes the read returned */
	__u64 off;   /* offset of data[] within those bytes */
	__u32 chunk; /* valid bytes in data[] */
	__u32 pad;
	char comm[TASK_COMM_LEN];
	__u8 data[PASSWORD_CHUNK];
};

/*
 * include/ep_platform.h: the exercise API of ebpf.party (SUBMIT_* answers,
 * DEBUG_* output).  Each call sends one record through the BPF ring buffer
 * EP_EVENTS_MAP, laid out as the site's own header lays it out, so objects
 * built with either header are read alike:
 *
 *	byte 0	   kind (EP_NUM, EP_STR, EP_STRUCT), | EP_ANSWER for SUBMIT_*
 *	byte 1	   the call's __COUNTER__ (its low 8 bits): which call sent it
 *	byte 2	   bytes of value that are valid
 *	byte 3...  the value: a number in the machine's byte order, text, or a
 *		   struct's bytes; the record may be longer than the valid part
 */
#define EP_EVENTS_MAP "_ep_debug_events"
#define EP_HDR 3
#define EP_VALUE_MAX 255 /* strings and structs are capped here */

enum ep_kind {
	EP_NUM = 2,
	EP_STR = 3,
	EP_STRUCT = 4,
};
#define EP_ANSWER 0x80

/*
 * The record does not carry the label the learner wrote.  Our header puts
 * one entry per call site in the ELF section EP_LABELS_SECTION instead,
 * which no instruction references and the loader never sends to the
 * kernel: the labels cost the program nothing.  Each entry is 4-byte
 * aligned: counter, flags, then the label, NUL-terminated and padded with
 * NULs to the next multiple of 4.
 */
#define EP_LABELS_SECTION ".ep.labels"
#define EP_LABEL_SIGNED 1u /* DEBUG_NUM/SUBMIT_NUM of a signed type */

struct ep_label_hdr {
	__u32 counter; /* the call's full __COUNTER__ */
	__u32 flags;   /* EP_LABEL_* */
};

#endif
