/*
 * fd_pass TARGET
 *
 * A child opens the target and sends the fd over a unix socket
 * (SCM_RIGHTS, unix(7)) and exits; the parent, which never opens the
 * target, reads it through the fd it received.  Exits 1 if the fd did not
 * arrive or the read failed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte = 0, buf[64];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int sv[2], fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s TARGET\n", argv[0]);
		return 2;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	memset(cbuf, 0, sizeof(cbuf));
	if (fork() == 0) {
		fd = open(argv[1], O_RDONLY);
		if (fd < 0)
			_exit(1);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
		_exit(sendmsg(sv[0], &msg, 0) == 1 ? 0 : 1);
	}
	wait(NULL);
	if (recvmsg(sv[1], &msg, 0) != 1)
		return 1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return 1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return read(fd, buf, sizeof(buf)) > 0 ? 0 : 1;
}
