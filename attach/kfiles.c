// SPDX-License-Identifier: MIT
/*
 * Files the kernel publishes.  A tracepoint's id, which perf_event_open(2)
 * takes as its config, is a file in tracefs; the CPUs that exist, which size
 * a perf event array and its rings, are lists in sysfs.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "file.h"
#include "fmt.h"
#include "kfiles.h"
#include "syscalls.h"

#define CPU_MAX 65536	  /* far above any kernel's NR_CPUS */
#define TP_TARGET_MAX 256 /* "category/name" */
#define TP_ID_MAX 31	  /* an id file: a decimal number and a newline */
#define CPU_LIST_MAX 4095

static const char *const tracefs_dirs[] = {
	"/sys/kernel/tracing",	     /* its own mount point, since 4.1 */
	"/sys/kernel/debug/tracing", /* older kernels: inside debugfs */
};

/* Strict decimal: a digit first (no sign, no blanks), no overflow, <= max. */
static int parse_ulong(char **s, unsigned long max, unsigned long *val)
{
	if (!isdigit((unsigned char)**s))
		return -EINVAL;
	errno = 0;
	*val = strtoul(*s, s, 10);
	if (errno || *val > max)
		return -EINVAL;
	return 0;
}

static int tracefs_lookup(char *path, size_t len)
{
	char events[64];
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(tracefs_dirs) / sizeof(tracefs_dirs[0]); i++) {
		show_time t = show_start(); /* -vv */
		int err;

		fmt(events, sizeof(events), "%s/events", tracefs_dirs[i]);
		err = stat(events, &st) < 0 ? -errno : 0;
		show_file(t, "stat", events, err);
		if (err) {
			/* tracefs is root's alone (mode 0700): not ours to mount over. */
			if (err == -EACCES) {
				fmt(path, len, "%s", tracefs_dirs[i]);
				return -EACCES;
			}
			continue;
		}
		if (!S_ISDIR(st.st_mode))
			continue;
		if ((size_t)fmt(path, len, "%s", tracefs_dirs[i]) >= len)
			return -ENAMETOOLONG;
		return 0;
	}
	return -ENOENT;
}

int tracefs_open(struct tracefs *t)
{
	show_time start;
	int err;

	t->mounted = false;
	err = tracefs_lookup(t->path, sizeof(t->path));
	if (err != -ENOENT)
		return err;

	/* An empty /sys/kernel/tracing is tracefs' mount point, not mounted. */
	start = show_start(); /* -vv */
	if (mount("nodev", tracefs_dirs[0], "tracefs", 0 /* flags */, NULL /* data */) < 0)
		err = -errno;
	else
		err = 0;
	show_file(start, "mount", tracefs_dirs[0], err);
	if (err) {
		/* EBUSY: someone else mounted it since we looked. */
		return tracefs_lookup(t->path, sizeof(t->path)) ? err : 0;
	}
	t->mounted = true;
	return tracefs_lookup(t->path, sizeof(t->path));
}

/*
 * MNT_DETACH (umount2(2)): the mount leaves the tree now and goes once
 * nothing uses it, so a file of it still open elsewhere does not make this
 * fail with EBUSY.  Events already attached hold the tracepoint, not the
 * mount (perf_trace_init(), kernel/trace/trace_event_perf.c).
 */
void tracefs_close(struct tracefs *t)
{
	if (t->mounted) {
		show_time start = show_start(); /* -vv */
		int err = umount2(tracefs_dirs[0], MNT_DETACH) < 0 ? -errno : 0;

		show_file(start, "umount", tracefs_dirs[0], err);
	}
	t->mounted = false;
}

int tracepoint_id(const char *tracefs, const char *target)
{
	const char *slash = strchr(target, '/');
	unsigned char *buf;
	unsigned long id;
	char path[512], *s;
	show_time t;
	size_t len;
	int err;

	/* The target becomes part of a path: keep it inside events/. */
	if (!slash || slash == target || !slash[1] || strchr(slash + 1, '/') ||
	    strstr(target, "..") || strnlen(target, TP_TARGET_MAX) == TP_TARGET_MAX)
		return -EINVAL;
	if ((size_t)fmt(path, sizeof(path), "%s/events/%s/id", tracefs, target) >= sizeof(path))
		return -ENAMETOOLONG;

	t = show_start(); /* -vv */
	err = read_file(path, TP_ID_MAX, &buf, &len);
	if (!err) {
		s = (char *)buf;
		err = parse_ulong(&s, INT32_MAX, &id);
		if (err || (*s && strcmp(s, "\n")))
			err = -EINVAL;
		free(buf);
	}
	err = err ? err : (int)id; /* -ENOENT: no such tracepoint in this kernel */
	show_file(t, "read", path, err);
	return err;
}

/*
 * A sysfs CPU list ("0", "0-1", "0-3,5-7\n", see
 * Documentation/ABI/testing/sysfs-devices-system-cpu).  Marks each CPU in
 * mask, if given, and returns the highest CPU + 1.
 */
static int cpu_list_parse(char *s, __u8 *mask, unsigned long cap)
{
	unsigned long lo, hi, end = 0;

	for (;; s++) {
		if (parse_ulong(&s, CPU_MAX - 1, &lo))
			return -EINVAL;
		hi = lo;
		if (*s == '-') {
			s++;
			if (parse_ulong(&s, CPU_MAX - 1, &hi) || hi < lo)
				return -EINVAL;
		}
		if (mask) {
			if (hi >= cap)
				return -ERANGE;
			memset(mask + lo, 1, hi - lo + 1);
		}
		if (hi + 1 > end)
			end = hi + 1;
		if (*s != ',')
			break;
	}
	if (*s && strcmp(s, "\n"))
		return -EINVAL;
	return end;
}

static int cpu_list_read(const char *path, __u8 *mask, unsigned long cap)
{
	show_time t = show_start(); /* -vv */
	unsigned char *buf;
	size_t len;
	int err;

	err = read_file(path, CPU_LIST_MAX, &buf, &len);
	if (!err) {
		err = cpu_list_parse((char *)buf, mask, cap);
		free(buf);
	}
	show_file(t, "read", path, err);
	return err;
}

/*
 * Possible, not online: a BPF_MAP_TYPE_PERF_EVENT_ARRAY is indexed by CPU
 * number, so it needs an entry for every CPU that could ever come up.
 */
int cpus_possible(void)
{
	return cpu_list_read("/sys/devices/system/cpu/possible", NULL, 0);
}

int cpus_online(__u8 *mask, unsigned long cap)
{
	return cpu_list_read("/sys/devices/system/cpu/online", mask, cap);
}
