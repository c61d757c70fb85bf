// SPDX-License-Identifier: MIT
/*
 * A process with several threads that end one by one (pthread_exit issues
 * the plain exit syscall for each), then exits with argv[1] through
 * exit_group.  mini-trace exit must report it once, with that code.
 */
#include <pthread.h>
#include <stdlib.h>

static void *worker(void *arg)
{
	pthread_exit(arg);
}

int main(int argc, char **argv)
{
	pthread_t t[4];

	for (int i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, worker, NULL))
			return 100;
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	return argc > 1 ? atoi(argv[1]) : 0;
}
