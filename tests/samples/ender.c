// SPDX-License-Identifier: MIT
/*
 * ender MODE [ARGS]: a process that ends in one of the ways mini-trace exit
 * must report as wait(2) does.  The tests copy it to a file named
 * exit_with_code, the name mini-trace exit looks for.
 *
 *   leader CODE      the leader thread leaves by pthread_exit, another
 *                    thread then calls exit(CODE): $? is CODE
 *   segv             a write through a null pointer: SIGSEGV
 *   abort            abort(): SIGABRT
 *   ready            writes "ready\n" to stdout, then waits for a signal
 *   wait FILE CODE   writes "ready\n" to stdout, waits (up to a minute)
 *                    until FILE exists, then exit(CODE)
 *   wait FILE CODE N the same from one of N + 1 threads, once the leader
 *                    has left by pthread_exit and the others wait for ever
 *   rename NAME CODE prctl(PR_SET_NAME, NAME), then exit(CODE)
 *   comm NAME CODE   writes NAME to /proc/self/comm, then exit(CODE)
 *   fork CODE        a child (no exec) exits with CODE, then the parent
 *                    exits with 0
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int code;

static void *exit_later(void *arg)
{
	(void)arg;
	usleep(100 * 1000); /* the leader is gone by then */
	exit(code);
}

static void *block(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void ready(void)
{
	if (write(STDOUT_FILENO, "ready\n", 6) != 6)
		exit(101);
}

static void *exit_once_there(void *file)
{
	for (int i = 0; i < 6000 && access(file, F_OK); i++)
		usleep(10 * 1000);
	exit(code);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	pthread_t t;

	if (!strcmp(mode, "leader") && argc > 2) {
		code = atoi(argv[2]);
		if (pthread_create(&t, NULL, exit_later, NULL))
			return 100;
		pthread_exit(NULL);
	}
	if (!strcmp(mode, "segv"))
		*(volatile int *)(unsigned long)argc /* 2: never a valid address */ = 0;
	if (!strcmp(mode, "abort"))
		abort();
	if (!strcmp(mode, "ready")) {
		ready();
		for (;;)
			pause();
	}
	if (!strcmp(mode, "wait") && argc > 3) {
		code = atoi(argv[3]);
		if (argc < 5) {
			ready();
			exit_once_there(argv[2]);
		}
		for (int i = atoi(argv[4]); i > 0; i--)
			if (pthread_create(&t, NULL, block, NULL))
				return 100;
		if (pthread_create(&t, NULL, exit_once_there, argv[2]))
			return 100;
		ready();
		pthread_exit(NULL);
	}
	if (!strcmp(mode, "rename") && argc > 3) {
		if (prctl(PR_SET_NAME, argv[2]))
			return 100;
		exit(atoi(argv[3]));
	}
	if (!strcmp(mode, "comm") && argc > 3) {
		FILE *f = fopen("/proc/self/comm", "w");

		if (!f || fputs(argv[2], f) < 0 || fclose(f))
			return 100;
		exit(atoi(argv[3]));
	}
	if (!strcmp(mode, "fork") && argc > 2) {
		pid_t pid = fork();
		int status;

		if (pid == 0)
			exit(atoi(argv[2]));
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			return 100;
		exit(0);
	}
	fprintf(stderr, "usage: ender leader|segv|abort|ready|wait|rename|comm|fork ...\n");
	return 2;
}
