// SPDX-License-Identifier: GPL-2.0
/*
 * read-dns: a program asks a DNS server on 127.0.0.1 for the address of
 * ebpf.party, over UDP.  The server receives the query with recvfrom(2),
 * the program the response.  Submit the address the response gives, as
 * text: SUBMIT_STR_LEN(text, len) of "10.1.2.3".
 *
 * recvfrom(2)'s entry has the buffer (args[1]), its exit how many bytes
 * were put there (ret): a hash map keyed by pid carries one to the other,
 * as in read-file-password.  The message (RFC 1035, 4.1), byte by byte:
 *
 *	0	ID (2), FLAGS (2: the top bit of byte 2 is 1 in a response),
 *		QDCOUNT (2), ANCOUNT (2), NSCOUNT (2), ARCOUNT (2)
 *	12	the question: the name as labels, each a length byte and that
 *		many bytes, ended by a 0 ("\4ebpf\5party\0"); TYPE (2), CLASS (2)
 *	then	the answer: the name again (or 2 bytes 0xc0 0x0c pointing back
 *		at it), TYPE (2: 1 is A), CLASS (2), TTL (4), RDLENGTH (2: 4),
 *		and the 4 bytes of the address
 *
 * The verifier wants every index into a stack array bounded: "i & 127"
 * into a 128-byte one is.
 */
#include "ep_platform.h"
#include "syscalls.h"

/* The buffer a recvfrom(2) in progress fills, keyed by pid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, u64);
} recv_buf SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_recvfrom")
int on_recvfrom_enter(struct trace_event_raw_sys_enter *ctx)
{
	/* TODO: save args[1] */
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_recvfrom")
int on_recvfrom_exit(struct trace_event_raw_sys_exit *ctx)
{
	/*
	 * TODO: a buffer saved and ret > 0: copy the message to the stack
	 * with bpf_probe_read_user(); a response: walk past the question, to
	 * the answer's address; write it as text and submit it
	 */
	return 0;
}
