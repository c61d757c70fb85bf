// SPDX-License-Identifier: MIT
/*
 * mini-trace password, what the command does besides printing: it takes
 * --file in the one spelling the program can match, sizes the fd-table map
 * for the running kernel, writes the fd tables of processes that held the
 * file before the programs were attached, and says at the end what the
 * programs could not follow (progs/password.bpf.c, include/events.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "bpf.h"
#include "events.h"
#include "fmt.h"
#include "load.h"
#include "output.h"

/*
 * The program compares the path a process hands to open() byte for byte
 * with --file, so a --file no process would write could never match.
 * Empty and "." components are dropped ("/tmp//x", "/tmp/./x" are
 * "/tmp/x").  ".." is refused, not resolved: "/a/b/../x" is "/a/x" only if
 * b is not a symlink, which is the kernel's to know (fs/namei.c).  A path
 * that ends in "/" or "/." names a directory, whose bytes are never read.
 * The result, in out, fits PASSWORD_PATH_MAX or -ENAMETOOLONG.
 */
int password_path_normalise(const char *in, char out[PASSWORD_PATH_MAX])
{
	const char *p = in, *end;
	size_t n = 0, len;

	if (*in != '/')
		return -EINVAL;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)		/* a trailing slash */
			return -EISDIR;
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return -EXDEV;
		if (len == 1 && p[0] == '.' && !end)
			return -EISDIR;
		if (len != 1 || p[0] != '.') {
			if (n + 1 + len >= PASSWORD_PATH_MAX)
				return -ENAMETOOLONG;
			out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p += len;
	}
	if (n == 0)			/* "/": the root directory */
		return -EISDIR;
	out[n] = '\0';
	return 0;
}

static int map_index(const struct spec *s, const char *name)
{
	for (size_t i = 0; i < s->map_cnt; i++)
		if (!strcmp(s->maps[i].name, name))
			return i;
	return -1;
}

/*
 * Before 6.1 a tracing program that uses a hash map which allocates as it
 * runs makes the verifier WARN (check_map_prog_compatibility() in
 * kernel/bpf/verifier.c), so the object preallocates its fd tables.  6.1's
 * allocator for any context (kernel/bpf/memalloc.c) lifted that; it has no
 * flag of its own to probe for, so the map type the same release added,
 * BPF_MAP_TYPE_USER_RINGBUF, stands for it.  There the table map is made
 * BPF_F_NO_PREALLOC and bigger: memory goes only to live tables.
 */
int password_size_tables(struct spec *s)
{
	int i = map_index(s, "fd_tables");
	int fd;

	if (i < 0)
		return -ENOENT;
	fd = bpf_map_create(BPF_MAP_TYPE_USER_RINGBUF, NULL, 0, 0, getpagesize(), NULL);
	if (fd < 0)
		return 0;
	close(fd);
	s->maps[i].map_flags |= BPF_F_NO_PREALLOC;
	s->maps[i].max_entries = PASSWORD_FD_TABLES_MAX;
	return 1;
}

/* O_CLOEXEC of fd n of pid: fs/proc/fd.c prints f_flags, in octal, with it. */
static int fd_cloexec(__u32 pid, unsigned long n)
{
	char path[64], buf[256], *flags;
	ssize_t len;
	int fd;

	fmt(path, sizeof(path), "/proc/%u/fdinfo/%lu", pid, n);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;		/* unknown: let the mark end at exec */
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[len > 0 ? len : 0] = '\0';
	flags = strstr(buf, "flags:");
	return flags ? !!(strtoul(flags + 6, NULL, 8) & O_CLOEXEC) : 1;
}

/*
 * Marks the fds of pid that are the target in table; how many there are,
 * or -EACCES if mini-trace may not look (ptrace access, fs/proc/base.c).
 * The same file is the same st_dev and st_ino: the link text is only a
 * spelling.  stat() through /proc/PID/fd/N follows the fd itself.
 */
static int scan_fds(__u32 pid, const struct stat *target, unsigned char *table)
{
	char path[64];
	struct dirent *e;
	struct stat st;
	int found = 0;
	DIR *dir;

	fmt(path, sizeof(path), "/proc/%u/fd", pid);
	dir = opendir(path);
	if (!dir)
		return errno == EACCES ? -EACCES : 0;	/* or gone meanwhile */
	while ((e = readdir(dir))) {
		char *end;
		unsigned long n = strtoul(e->d_name, &end, 10);

		if (*end || end == e->d_name || n >= PASSWORD_FD_LIMIT)
			continue;
		if (fstatat(dirfd(dir), e->d_name, &st, 0) || st.st_dev != target->st_dev ||
		    st.st_ino != target->st_ino)
			continue;
		table[n] = PASSWORD_MARK_TARGET |
			   (fd_cloexec(pid, n) ? PASSWORD_MARK_CLOEXEC : 0);
		found++;
	}
	closedir(dir);
	return found;
}

/*
 * The program marks an fd when open() returns it, so an fd opened before
 * the programs were attached (a daemon holding the file) would never be
 * seen.  So after load, before attach, each process in /proc that holds
 * the target gets the fd table the program would have made, and the count
 * of tables the fast path reads is set to match.  Left to the race: an fd
 * opened between this scan and the attach is missed, and one closed in
 * that time keeps its mark until its number is opened again.  Pids are
 * those of mini-trace's pid namespace, which the program's are only in the
 * initial one.  Returns 1, with a warning in d, if some processes' fds
 * could not be looked at.
 */
int password_seed(const struct object *o, const char *file, struct diag *d)
{
	const struct spec *s = o->spec;
	unsigned char table[PASSWORD_FD_LIMIT];
	__u64 live = 0, full = 0, hidden = 0;
	int found;
	int i = map_index(s, "fd_tables"), err = 0;
	struct stat target;
	struct dirent *e;
	DIR *proc;

	if (i < 0)
		return diag(d, -ENOENT, "password: the object has no fd_tables map");
	if (stat(file, &target))
		return 0;		/* no such file: nobody holds it */
	proc = opendir("/proc");
	if (!proc)
		return diag(d, 1, "warning: /proc: %s: fds opened before start-up are not seen",
			    strerror(errno));
	while ((e = readdir(proc))) {
		char *end;
		__u32 pid = strtoul(e->d_name, &end, 10);

		if (*end || end == e->d_name)
			continue;
		memset(table, 0, sizeof(table));
		found = scan_fds(pid, &target, table);
		hidden += found == -EACCES;
		if (found <= 0)
			continue;
		err = bpf_map_update_elem(o->map_fds[i], &pid, table, BPF_NOEXIST);
		if (err == -E2BIG || err == -ENOMEM)
			full++;
		else if (err)
			break;
		else
			live++;
	}
	closedir(proc);
	if (err && err != -E2BIG && err != -ENOMEM)
		return diag(d, err, "password: fd_tables: %s", strerror(-err));
	err = object_write_var(o, "tables_live", &live, sizeof(live), d);
	if (!err && full)
		err = object_write_var(o, "tables_full", &full, sizeof(full), d);
	if (err)
		return err;
	if (hidden)
		return diag(d, 1, "warning: %llu processes were not looked at for fds opened "
			    "before start-up: /proc/PID/fd: %s", (unsigned long long)hidden,
			    strerror(EACCES));
	return diag(d, 0, "password: processes holding the file before start-up: %llu",
		    (unsigned long long)live);
}
