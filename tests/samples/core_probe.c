// SPDX-License-Identifier: MIT
/*
 * What the CO-RE tests trace (tests/core/): prints getppid(), which the
 * objects find as task->real_parent->tgid, after asking the scheduler for
 * SCHED_RESET_ON_FORK (sched(7)), a bit of task_struct any user may set,
 * for the bitfield test, and after opening a TCP socket that listens on a
 * port bind() picks, for core_sock (struct sock's fields).  It must be
 * named core_probe.
 */
#include <sched.h>
#include <stdio.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

int main(void)
{
	struct sched_param sp = { 0 };

	struct sockaddr_in any = { .sin_family = AF_INET }; /* 0.0.0.0, port 0: any */
	int sock;

	if (sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp))
		perror("sched_setscheduler");
	sock = socket(AF_INET, SOCK_STREAM, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&any, sizeof(any)) || listen(sock, 1))
		perror("core_probe: listen");
	if (sock >= 0)
		close(sock);
	printf("%d\n", (int)getppid());
	return 0;
}
