// SPDX-License-Identifier: GPL-2.0
/* WRONG on purpose (tests/vm): "password=" submitted with the password */
/*
 * read-http-password, solved: tcp_sendmsg(sk, msg, size) sees what is
 * sent, in msg->msg_iter: each iovec's bytes are copied from the sender's
 * memory to the stack, NUL-ended, and searched for "password=" with the
 * bpf_strstr() kfunc; what follows it, to the end of that buffer, is the
 * password.  A kernel without bpf_strstr() (before 6.17) gets a loop.
 */
#include "ep_platform.h"
#include "ep_sock.h"
#include "kfuncs.h"
#include <bpf/bpf_tracing.h>

#define BUF_MAX 128 /* as much of each buffer as is searched */
#define KEY "password="
#define KEY_LEN (sizeof(KEY) - 1)

/*
 * Where a buffer is searched: a map value rather than the stack, since
 * kernels before 5.12 refuse a stack read at an offset the program computes
 * (commit 01f810ace9ed, "bpf: Allow variable-offset stack access").
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, char[BUF_MAX]);
} scratch SEC(".maps");

/* The iovecs, wherever this kernel's struct iov_iter keeps them. */
static __always_inline const struct iovec *iovecs(struct msghdr *msg)
{
	if (bpf_core_field_exists(msg->msg_iter.__iov))
		return BPF_CORE_READ(msg, msg_iter.__iov);
	return BPF_CORE_READ((struct iov_iter___old *)&msg->msg_iter, iov);
}

/* Where KEY starts in s, or -1: bpf_strstr()'s work, for older kernels. */
static __always_inline int find_key(const char *s)
{
	for (int i = 0; i + KEY_LEN < BUF_MAX; i++) {
		int j = 0;

		for (; j < (int)KEY_LEN; j++)
			if (s[(i + j) & (BUF_MAX - 1)] != KEY[j])
				break;
		if (j == KEY_LEN)
			return i;
		if (!s[i & (BUF_MAX - 1)])
			break;
	}
	return -1;
}

static __always_inline int search(struct msghdr *msg)
{
	const struct iovec *iov = iovecs(msg);
	unsigned long segs = BPF_CORE_READ(msg, msg_iter.nr_segs);
	char *buf = bpf_map_lookup_elem(&scratch, &(u32){ 0 });

	if (!buf)
		return 0;

	for (int i = 0; i < 4 && i < segs; i++) {
		struct iovec v = {};
		u64 n;
		int at;

		if (bpf_probe_read_kernel(&v, sizeof(v), &iov[i]))
			return 0;
		n = v.iov_len;
		barrier_var(n); /* the clamp below reaches the verifier */
		if (n > BUF_MAX - 1)
			n = BUF_MAX - 1;
		if (bpf_probe_read_user(buf, n, v.iov_base))
			continue;
		buf[n & (BUF_MAX - 1)] = '\0';
		at = bpf_strstr ? bpf_strstr(buf, KEY) : find_key(buf);
		if (at < 0 || at + KEY_LEN > n)
			continue;

		SUBMIT_STR_LEN(buf + (at & (BUF_MAX - 1)), n - at);
		return 0;
	}
	return 0;
}

SEC("kprobe/tcp_sendmsg")
int on_tcp_sendmsg(struct pt_regs *ctx)
{
	return search((struct msghdr *)PT_REGS_PARM2(ctx));
}
