/*
 * path_flip TARGET DECOY TRIES COUNTS
 *
 * One thread rewrites a path buffer between TARGET and DECOY (two paths of
 * the same length) as fast as it can, while the main thread opens whatever
 * the buffer says at that instant, reads it and closes it, TRIES times.
 * Which file each open really got is told by its first byte ('h': the
 * target's "hunter2\n", anything else the decoy's); the counts are written
 * to COUNTS as "target=N decoy=M".  Exits 1 if no open got the target.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[4096];
static const char *paths[2];
static atomic_int stop, started;

static void *flip(void *arg)
{
	size_t len = strlen(paths[0]);
	unsigned i = 0;

	(void)arg;
	while (!atomic_load(&stop)) {
		memcpy(path, paths[i++ & 1], len);
		atomic_store(&started, 1);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int tries, target = 0, decoy = 0;
	pthread_t t;
	FILE *f;

	if (argc != 5 || strlen(argv[1]) != strlen(argv[2]) || strlen(argv[1]) >= sizeof(path)) {
		fprintf(stderr, "usage: %s TARGET DECOY TRIES COUNTS (paths of one length)\n",
			argv[0]);
		return 2;
	}
	paths[0] = argv[1];
	paths[1] = argv[2];
	tries = atoi(argv[3]);
	strcpy(path, argv[1]);
	pthread_create(&t, NULL, flip, NULL);
	while (!atomic_load(&started))
		;
	for (int i = 0; i < tries; i++) {
		char buf[64];
		int fd = open(path, O_RDONLY);

		if (fd < 0)
			continue;
		if (read(fd, buf, sizeof(buf)) > 0)
			buf[0] == 'h' ? target++ : decoy++;
		close(fd);
		sched_yield(); /* on a busy machine, let the flipper run too */
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	f = fopen(argv[4], "w");
	if (!f)
		return 1;
	fprintf(f, "target=%d decoy=%d\n", target, decoy);
	fclose(f);
	return target ? 0 : 1;
}
