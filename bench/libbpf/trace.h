/* SPDX-License-Identifier: MIT */
/*
 * The records libbpf-trace's programs send to user space.  Both sides
 * include this header: the BPF side after vmlinux.h, the user side after
 * <linux/types.h>, so it uses the kernel's fixed-width types and includes
 * nothing itself.  Same fields as mini-trace's include/events.h.
 */
#ifndef LIBBPF_TRACE_H
#define LIBBPF_TRACE_H

#define TASK_COMM_LEN 16
#define PATH_MAX_LEN 128	/* the longest --file, NUL included */
#define DATA_MAX 4096		/* bytes of one read sent at most */

struct exit_event {
	__u32 pid;
	__s32 code;
	char comm[TASK_COMM_LEN];
};

struct password_event {
	__u32 pid;
	__u32 tid;
	__s32 fd;
	__u32 size;		/* bytes of data[] sent: min(len, DATA_MAX) */
	__u64 len;		/* what read() returned */
	char comm[TASK_COMM_LEN];
	__u8 data[DATA_MAX];
};

#endif
