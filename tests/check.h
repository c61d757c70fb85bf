/* SPDX-License-Identifier: MIT */
/*
 * What the C test programs share: one "PASS name" or "FAIL name: why" line
 * per check (tests/run.sh counts them), and reading a built object the way
 * mini-trace does, into malloc'ed (so 8-byte aligned) memory.
 */
#ifndef MINI_TRACE_TESTS_CHECK_H
#define MINI_TRACE_TESTS_CHECK_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

__attribute__((format(printf, 3, 4))) static void check(int ok, const char *name, const char *fmt,
							...)
{
	va_list ap;

	if (ok) {
		printf("PASS %s\n", name);
		return;
	}
	failures++;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* DIR/NAME, whole; exits with status 2 if it cannot be read. */
static unsigned char *read_object(const char *dir, const char *name, size_t *size)
{
	char path[4096];
	unsigned char *p;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(2);
	}
	rewind(f);
	p = malloc(n ? n : 1);
	*size = p ? fread(p, 1, n, f) : 0;
	fclose(f);
	return p;
}

#endif
