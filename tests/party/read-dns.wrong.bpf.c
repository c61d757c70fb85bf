// SPDX-License-Identifier: GPL-2.0
/* WRONG on purpose (tests/e2e_party.sh): the address backwards */
/*
 * read-dns, solved: recvfrom(2)'s entry saves the buffer, its exit copies
 * the message in, and a response (QR set) with an answer is walked: the
 * header, the question's name and type, the answer's name (a pointer or
 * labels), then TYPE, CLASS, TTL, RDLENGTH and the A record's 4 bytes.
 */
#include "ep_platform.h"
#include "syscalls.h"

#define DNS_MAX 128 /* as much of a message as is looked at */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, u64);
} recv_buf SEC(".maps");

/*
 * Where the message is looked at: a map value rather than the stack, since
 * kernels before 5.12 refuse a stack read at an offset the program computes
 * (commit 01f810ace9ed, "bpf: Allow variable-offset stack access").
 */
struct scratch {
	unsigned char msg[DNS_MAX];
	char text[16];
	u32 slot;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_recvfrom")
int on_recvfrom_enter(struct trace_event_raw_sys_enter *ctx)
{
	u64 pid = bpf_get_current_pid_tgid();
	u64 buf = ctx->args[1];

	bpf_map_update_elem(&recv_buf, &pid, &buf, BPF_ANY);
	return 0;
}

/* Past a name's labels, from off: where what follows it starts. */
static __always_inline u32 skip_name(const unsigned char *msg, u32 off)
{
	for (int n = 0; n < 16 && off < DNS_MAX; n++) {
		u32 i = off;
		u8 len;

		barrier_var(i); /* the mask stays: the verifier needs it */
		len = msg[i & (DNS_MAX - 1)];

		if ((len & 0xc0) == 0xc0) /* a pointer ends the name */
			return off + 2;
		off += 1 + len;
		if (!len)
			break;
	}
	return off;
}

/*
 * v, with what the verifier knows of it forgotten: a number stored in a map
 * and read back could be any.  The paths that led to different values join
 * there, where the verifier would otherwise walk each of them on.
 */
static __always_inline u32 forget(volatile u32 *slot, u32 v)
{
	*slot = v;
	return *slot;
}

/* v in decimal at s[o], and where the text goes on. */
static __always_inline u32 put_octet(char *s, u32 o, u8 v)
{
	barrier_var(o); /* an index, not bits clang may OR into the address */
	if (v >= 100)
		s[o++ & 15] = '0' + v / 100;
	if (v >= 10)
		s[o++ & 15] = '0' + v / 10 % 10;
	s[o++ & 15] = '0' + v % 10;
	return o;
}

SEC("tracepoint/syscalls/sys_exit_recvfrom")
int on_recvfrom_exit(struct trace_event_raw_sys_exit *ctx)
{
	u64 pid = bpf_get_current_pid_tgid();
	u64 *saved = bpf_map_lookup_elem(&recv_buf, &pid);
	struct scratch *sc = bpf_map_lookup_elem(&scratch, &(u32){ 0 });
	long ret = ctx->ret; /* read once: each ctx->ret is a load of its own (CO-RE) */
	unsigned char *msg;
	char *text;
	u64 buf, len;
	u32 off, o = 0;

	if (!saved)
		return 0;
	buf = *saved;
	bpf_map_delete_elem(&recv_buf, &pid);
	if (ret < 12 || !sc)
		return 0;
	msg = sc->msg;
	text = sc->text;
	len = ret < DNS_MAX ? ret : DNS_MAX;
	if (bpf_probe_read_user(msg, len, (const void *)buf))
		return 0;
	/* A response (QR), one question, an answer. */
	if (!(msg[2] & 0x80) || msg[5] != 1 || !msg[7])
		return 0;
	off = forget(&sc->slot, skip_name(msg, 12) + 4); /* QTYPE, QCLASS */
	off = forget(&sc->slot, skip_name(msg, off));
	/* TYPE A, CLASS IN, TTL, RDLENGTH 4, then the address */
	if (off + 14 > len || msg[(off + 1) & (DNS_MAX - 1)] != 1 ||
	    msg[(off + 9) & (DNS_MAX - 1)] != 4)
		return 0;
	off += 10;
	for (int i = 0; i < 4; i++) {
		if (i)
			text[o++ & 15] = '.';
		o = forget(&sc->slot, o);
		o = put_octet(text, o, msg[(off + 3 - i) & (DNS_MAX - 1)]);
	}
	SUBMIT_STR_LEN(text, o);
	return 0;
}
