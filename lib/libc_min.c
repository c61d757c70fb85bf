// SPDX-License-Identifier: MIT
/*
 * Small stand-ins for three pieces of musl, for the static binary, like
 * lib/malloc.c.  Each does what mini-trace asks of it and is a fraction of
 * musl's size, which serves every caller:
 *
 *	getopt_long()	musl's pulls in getopt(), its multibyte decoding and
 *			stdio (fputs/fwrite to stderr for messages that
 *			opterr = 0 turns off): about 5 KB
 *	qsort()		musl's smoothsort, 2 KB, for lists of tens of items
 *	setrlimit()	musl's goes through __synccall() and semaphores, to
 *			repeat the call in every thread for kernels before
 *			prlimit64: 1.5 KB
 *	strtol() etc.	musl's read through a FILE (__intscan, shgetc), which
 *			brings stdio's reading half: 3 KB
 *	strstr()	musl's two-way search, 1.3 KB, for needles of a few
 *			words in verifier logs and tracefs lines
 *	sysconf()	asked for the page size only; musl's knows every name
 *	realpath()	musl's walks the path itself, 1.6 KB with getcwd();
 *			the kernel says it in a line of /proc
 *
 * Built into the shipped binary only (the Makefile): the sanitizer builds
 * keep their libc's, and run the same tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "fmt.h"

char *optarg;
int optind = 1, opterr = 1, optopt;

/* Where in a cluster of short options ("-vq") the next one is. */
static int optpos;

/*
 * getopt_long() as musl does it for mini-trace's optstring ("+:vqh"):
 * parsing stops at the first non-option or after "--"; a long option
 * matches its whole name, or failing that a prefix of one name only;
 * its value follows '=' or is the next argument; ':' is returned for a
 * missing value, '?' for anything unknown; nothing is printed.
 */
int getopt_long(int argc, char *const argv[], const char *optstring, const struct option *longopts,
		int *longindex)
{
	const char *arg, *p;
	int colon, i, found = -1, n = 0;
	size_t len;

	optstring += *optstring == '+' || *optstring == '-';
	colon = *optstring == ':';
	optstring += colon;
	if (optind >= argc || !(arg = argv[optind]))
		return -1;
	if (!optpos) {
		if (arg[0] != '-' || !arg[1])
			return -1;
		if (arg[1] == '-' && !arg[2]) {
			optind++;
			return -1;
		}
		if (arg[1] == '-') {
			arg += 2;
			len = strcspn(arg, "=");
			for (i = 0; longopts[i].name; i++) {
				if (strncmp(longopts[i].name, arg, len))
					continue;
				if (!longopts[i].name[len]) {
					found = i, n = 1;
					break;
				}
				found = i, n++;
			}
			optind++;
			optopt = 0;
			if (n != 1)
				return '?';
			if (longindex)
				*longindex = found;
			optarg = NULL;
			if (arg[len] == '=') {
				if (longopts[found].has_arg == no_argument)
					return '?';
				optarg = (char *)arg + len + 1;
			} else if (longopts[found].has_arg == required_argument) {
				if (optind >= argc)
					return colon ? ':' : '?';
				optarg = argv[optind++];
			}
			if (longopts[found].flag) {
				*longopts[found].flag = longopts[found].val;
				return 0;
			}
			return longopts[found].val;
		}
		optpos = 1;
	}
	optopt = arg[optpos++];
	if (!arg[optpos])
		optind++, optpos = 0;
	p = strchr(optstring, optopt);
	if (!p || optopt == ':')
		return '?';
	if (p[1] == ':') {
		/* A value: the rest of this argument, or the next one. */
		if (optpos)
			optarg = (char *)arg + optpos, optind++, optpos = 0;
		else if (optind < argc)
			optarg = argv[optind++];
		else
			return colon ? ':' : '?';
	}
	return optopt;
}

/* Insertion sort: stable, and short; the lists are tens of items. */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	unsigned char *b = base, *x, *y, t;

	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j && cmp(x = b + (j - 1) * size, y = b + j * size) > 0; j--)
			for (size_t k = 0; k < size; k++)
				t = x[k], x[k] = y[k], y[k] = t;
}

/*
 * The limits belong to the whole process (struct signal_struct, in
 * kernel/sys.c's do_prlimit()), and prlimit64(2) is in every kernel that
 * has BPF: one call sets them.
 */
int setrlimit(int resource, const struct rlimit *rlim)
{
	return syscall(SYS_prlimit64, 0, resource, rlim, NULL);
}

/* A digit's value in bases up to 36, or 36 for anything else. */
static unsigned digit(unsigned char c)
{
	if ((unsigned)(c - '0') < 10)
		return c - '0';
	if ((unsigned)((c | 32) - 'a') < 26)
		return (c | 32) - 'a' + 10;
	return 36;
}

/*
 * The one scan behind strtol() and its kin: spaces, a sign, a base prefix
 * (0x for 0 and 16, 0 for 0), digits.  Returns the magnitude, saturated
 * with *ovf set; *end is past the digits, or the start when there are none.
 */
static unsigned long long scan(const char *start, char **end, int base, bool *neg, bool *ovf)
{
	const unsigned char *s = (const unsigned char *)start;
	unsigned long long v = 0;
	bool any = false;
	unsigned d;

	*ovf = false;
	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	*neg = *s == '-';
	s += *s == '-' || *s == '+';
	if ((!base || base == 16) && s[0] == '0' && (s[1] | 32) == 'x' && digit(s[2]) < 16)
		s += 2, base = 16;
	else if (!base)
		base = *s == '0' ? 8 : 10;
	for (;; s++, any = true) {
		d = digit(*s);
		if (d >= (unsigned)base)
			break;
		if (v > (ULLONG_MAX - d) / base)
			*ovf = true, v = ULLONG_MAX;
		else
			v = v * base + d;
	}
	if (end)
		*end = (char *)(any ? (const char *)s : start);
	return v;
}

/* Unsigned: a minus sign negates; beyond MAX is MAX and ERANGE. */
static unsigned long long scan_u(const char *s, char **end, int base, unsigned long long max)
{
	bool neg, ovf;
	unsigned long long v = scan(s, end, base, &neg, &ovf);

	if (ovf || v > max) {
		errno = ERANGE;
		return max;
	}
	return neg ? -v : v;
}

/* Signed: beyond MAX (or below -MAX - 1) is the bound and ERANGE. */
static long long scan_s(const char *s, char **end, int base, long long max)
{
	bool neg, ovf;
	unsigned long long v = scan(s, end, base, &neg, &ovf);

	if (ovf || v > (unsigned long long)max + neg) {
		errno = ERANGE;
		return neg ? -max - 1 : max;
	}
	return neg ? (long long)(0 - v) : (long long)v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	return scan_u(s, end, base, ULLONG_MAX);
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return scan_u(s, end, base, ULONG_MAX);
}

long long strtoll(const char *s, char **end, int base)
{
	return scan_s(s, end, base, LLONG_MAX);
}

long strtol(const char *s, char **end, int base)
{
	return scan_s(s, end, base, LONG_MAX);
}

int atoi(const char *s)
{
	return strtol(s, NULL, 10);
}

/* The plain search: the needles are short, the haystacks some KiB. */
char *strstr(const char *h, const char *n)
{
	size_t len = strlen(n);

	for (; *h; h++)
		if (!strncmp(h, n, len))
			return (char *)h;
	return *n ? NULL : (char *)h;
}

/* The page size, from the kernel's auxiliary vector (AT_PAGESZ). */
long sysconf(int name)
{
	if (name == _SC_PAGESIZE)
		return getpagesize();
	errno = EINVAL;
	return -1;
}

/*
 * The kernel's own resolution: the file opened (O_PATH: no permission on it
 * needed), the name of the fd read back from /proc/self/fd, which is the
 * dentry's path (fs/proc/base.c, proc_fd_link(), then d_path()).
 */
char *realpath(const char *path, char *resolved)
{
	char proc[32], buf[PATH_MAX];
	int fd = open(path, O_PATH | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return NULL;
	fmt(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return NULL;
	if (n == sizeof(buf)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	buf[n] = '\0';
	return resolved ? strcpy(resolved, buf) : strdup(buf);
}
