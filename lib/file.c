// SPDX-License-Identifier: MIT
/* The one reader of whole files, and the one loop that writes a buffer whole. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "file.h"

int read_file(const char *path, size_t max, unsigned char **buf, size_t *len)
{
	unsigned char *p = NULL;
	size_t n = 0, cap = 0;
	ssize_t got = 1;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got > 0) {
		if (n == cap) {
			void *grown;

			/* One byte past max is how we see that there is more. */
			if (cap > max) {
				err = -EFBIG;
				break;
			}
			cap = cap ? cap * 2 : 64;
			if (cap > max + 1)
				cap = max + 1;
			grown = realloc(p, cap + 1); /* + 1: the NUL */
			if (!grown) {
				err = -ENOMEM;
				break;
			}
			p = grown;
		}
		got = read(fd, p + n, cap - n);
		if (got > 0)
			n += got;
		else if (got < 0 && errno != EINTR)
			err = -errno;
		else if (got < 0)
			got = 1; /* interrupted: read again */
	}
	close(fd);
	if (!err && n > max)
		err = -EFBIG;
	if (err) {
		free(p);
		return err;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
}

int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= w;
	}
	return 0;
}
