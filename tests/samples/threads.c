/*
 * threads TARGET [NTHREADS]
 *
 * The main thread opens the target once; NTHREADS threads (default 4) then
 * read it at the same time through that shared fd, each with pread64 of its
 * own slice, so that the slices together are the whole file.  The password
 * tracer must report each slice once, from the thread that read it: the fd is
 * the process's, the read in flight the thread's.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_THREADS 64

struct slice {
	int fd;
	off_t off;
	size_t len;
};

static pthread_barrier_t start;

static void *read_slice(void *arg)
{
	struct slice *s = arg;
	char *buf = malloc(s->len ? s->len : 1);
	ssize_t n;

	pthread_barrier_wait(&start); /* read together, not one after another */
	n = buf ? pread(s->fd, buf, s->len, s->off) : -1;
	free(buf);
	return (void *)(long)(n == (ssize_t)s->len);
}

int main(int argc, char **argv)
{
	struct slice slices[MAX_THREADS];
	pthread_t threads[MAX_THREADS];
	int i, fd, nthreads = argc > 2 ? atoi(argv[2]) : 4, ok = 1;
	struct stat st;
	void *res;

	if (argc < 2 || argc > 3 || nthreads < 1 || nthreads > MAX_THREADS) {
		fprintf(stderr, "usage: %s TARGET [NTHREADS <= %d]\n", argv[0], MAX_THREADS);
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(argv[1]);
		return 1;
	}
	pthread_barrier_init(&start, NULL, nthreads);
	for (i = 0; i < nthreads; i++) {
		slices[i].fd = fd;
		slices[i].off = st.st_size * i / nthreads;
		slices[i].len = st.st_size * (i + 1) / nthreads - slices[i].off;
		if (pthread_create(&threads[i], NULL, read_slice, &slices[i])) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(threads[i], &res);
		ok &= res != NULL;
	}
	close(fd);
	return ok ? 0 : 1;
}
