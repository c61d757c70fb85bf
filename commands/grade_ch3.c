// SPDX-License-Identifier: MIT
/*
 * The scenarios of ebpf.party's chapter 3 (sockets), for "mini-trace
 * grade": what a program does on the network, on 127.0.0.1, while the
 * learner's programs watch.  Each runs in the traced command itself (see
 * cmd_grade.c), and makes its answer from the random number grade_setup()
 * drew:
 *
 *	socket-and-connect	nine connect(2)s refused, one accepted: its port
 *	tcp-connect		the same, non-blocking: connect(2) returns
 *				EINPROGRESS for all ten, and only the kernel's
 *				tcp_finish_connect() knows which one succeeded
 *	read-dns		a DNS query for ebpf.party answered with an
 *				A record: its address
 *	read-http-password	an HTTP login sent with sendmsg(2): the password
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fmt.h"
#include "grade_ch3.h"

/*
 * A port for the listener, with ten closed ones after it: 20000 to 59999,
 * below the ephemeral range (32768-60999 is Linux's default, so a
 * connection of the machine's may hold one; that is an extra answer, rare).
 * Its two bytes differ, so that a port left in network byte order is a
 * wrong answer, never the right one by chance.
 */
void answer_port(char *buf, size_t size, __u64 r)
{
	unsigned port = 20000 + r % 40000;

	if ((port >> 8) == (port & 0xff))
		port++;
	fmt(buf, size, "%u", port);
}

/* An address in 10.0.0.0/8 that reads differently backwards. */
void answer_ipv4(char *buf, size_t size, __u64 r)
{
	unsigned b = (r >> 8) & 0xff, c = (r >> 16) & 0xff, d = 1 + (r >> 24) % 254;

	if (d == 10 && b == c)
		d++;
	fmt(buf, size, "10.%u.%u.%u", b, c, d);
}

void answer_http(char *buf, size_t size, __u64 r)
{
	fmt(buf, size, "hunter-%06llu", (unsigned long long)(r % 1000000));
}

static struct sockaddr_in loopback(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A socket bound to 127.0.0.1:port (0: one the kernel picks, put in *port). */
static int bound(int type, unsigned *port)
{
	struct sockaddr_in a = loopback(*port);
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || (type == SOCK_STREAM && listen(fd, 16)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len)) {
		int err = -errno;

		close(fd);
		return err;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

/*
 * One connect(2) to 127.0.0.1:port, the socket closed after.  Non-blocking,
 * the kernel sends the SYN and returns EINPROGRESS; the handshake ends in
 * tcp_finish_connect() (net/ipv4/tcp_input.c) or in a reset, and poll(2)
 * waits for either.
 */
static void connect_once(unsigned port, int flags)
{
	struct sockaddr_in a = loopback(port);
	struct pollfd p = { .events = POLLOUT };

	p.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
	if (p.fd < 0)
		return;
	if (connect(p.fd, (struct sockaddr *)&a, sizeof(a)) && errno == EINPROGRESS)
		poll(&p, 1, 1000);
	close(p.fd);
}

/* Ten connects, the listener's fifth: a learner cannot take the first or the last. */
static int connects(const char *answer, int flags)
{
	unsigned port = atoi(answer), off[] = { 3, 7, 1, 9, 0, 5, 2, 8, 4, 6 };
	int l = bound(SOCK_STREAM, &port);

	if (l < 0)
		return l;
	for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++)
		connect_once(port + off[i], flags);
	close(l);
	return 0;
}

int scenario_connect(const char *answer)
{
	return connects(answer, 0);
}

int scenario_tcp_connect(const char *answer)
{
	return connects(answer, SOCK_NONBLOCK);
}

/*
 * The DNS exchange (RFC 1035, 4.1): a 12-byte header, the question
 * (QNAME as length-prefixed labels, QTYPE A = 1, QCLASS IN = 1), and in the
 * response one answer whose NAME points back at the question's (0xc00c),
 * TYPE A, CLASS IN, a TTL, RDLENGTH 4 and the address.
 */
static const unsigned char dns_query[] = {
	0x2b, 0x1d, 0x01, 0x00, 0,   1, 0,   0,	  0,   0,   0,	 0, /* id, RD, 1 question */
	4,    'e',  'b',  'p',	'f', 5, 'p', 'a', 'r', 't', 'y', 0, 0, 1, 0, 1,
};

int scenario_dns(const char *answer)
{
	unsigned char resp[sizeof(dns_query) + 16], buf[512];
	unsigned a[4], server_port = 0, client_port = 0;
	int server = bound(SOCK_DGRAM, &server_port), client, err = 0;
	struct sockaddr_in to = loopback(server_port), from;
	socklen_t len = sizeof(from);
	char *p = (char *)answer;

	for (int i = 0; i < 4; i++)
		a[i] = strtoul(p, &p, 10), p += *p == '.';
	if (server < 0)
		return server;
	client = bound(SOCK_DGRAM, &client_port);
	if (client < 0) {
		close(server);
		return client;
	}
	memcpy(resp, dns_query, sizeof(dns_query));
	resp[2] = 0x81, resp[3] = 0x80; /* a response, recursion available */
	resp[7] = 1;			/* 1 answer */
	memcpy(resp + sizeof(dns_query),
	       (unsigned char[]){ 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x01, 0x2c, 0, 4, a[0], a[1], a[2],
				  a[3] },
	       16);
	/* The server's recvfrom(2) reads the query, the client's the answer. */
	if (sendto(client, dns_query, sizeof(dns_query), 0, (struct sockaddr *)&to, sizeof(to)) <
		    0 ||
	    recvfrom(server, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len) < 0 ||
	    sendto(server, resp, sizeof(resp), 0, (struct sockaddr *)&from, len) < 0 ||
	    recvfrom(client, buf, sizeof(buf), 0, NULL, NULL) < 0)
		err = -errno;
	close(client);
	close(server);
	return err;
}

/*
 * A login over HTTP, the head and the body in two buffers of one
 * sendmsg(2): the kernel copies the two iovecs into msg_iter
 * (ITER_IOVEC), which tcp_sendmsg() sees.
 */
int scenario_http(const char *answer)
{
	char head[256], body[128], buf[512];
	unsigned port = 0;
	int l = bound(SOCK_STREAM, &port), c, s, err = 0;
	struct sockaddr_in a = loopback(port);
	struct iovec iov[2];
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };

	if (l < 0)
		return l;
	iov[1].iov_base = body;
	iov[1].iov_len = fmt(body, sizeof(body), "user=admin&password=%s", answer);
	iov[0].iov_base = head;
	iov[0].iov_len = fmt(head, sizeof(head),
			     "POST /login HTTP/1.1\r\nHost: ebpf.party\r\n"
			     "Content-Type: application/x-www-form-urlencoded\r\n"
			     "Content-Length: %zu\r\n\r\n",
			     iov[1].iov_len);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) ||
	    (s = accept(l, NULL, NULL)) < 0) {
		err = -errno;
	} else {
		if (sendmsg(c, &msg, 0) < 0)
			err = -errno;
		else
			while (recv(s, buf, sizeof(buf), MSG_DONTWAIT) > 0)
				;
		close(s);
	}
	if (c >= 0)
		close(c);
	close(l);
	return err;
}
