// SPDX-License-Identifier: MIT
/*
 * kprobes and uprobes, made for one run.  Since 4.17 each is a perf event
 * of a dynamic PMU, "kprobe" or "uprobe" in /sys/bus/event_source/devices:
 * perf_event_open(2) with that PMU's type creates a probe that belongs to
 * the event alone (create_local_trace_kprobe() and
 * create_local_trace_uprobe(), kernel/trace/trace_{k,u}probe.c), listed
 * nowhere, and closing the event removes it.  The attr says where:
 *
 *	kprobe: config1 = the function's name (kprobe_func), config2 = offset
 *	uprobe: config1 = the file's path (uprobe_path),     config2 = offset
 *	return probe: the bit named in the PMU's format/retprobe, in config
 *
 * Before 4.17 (or with MINI_TRACE_KPROBE_LEGACY set, to test it) a kprobe
 * is a line written to tracefs' kprobe_events, which makes a tracepoint
 * event kprobes/<name> that is attached like any other; it outlives the
 * process that made it, so its name carries our pid and the entry is
 * removed once its event is closed (by the child that detaches in the
 * background, loader.c), and the next run removes those a killed run
 * left.  (Documentation/trace/kprobetrace.rst.)
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "elf_target.h"
#include "file.h"
#include "fmt.h"
#include "kfiles.h"
#include "perf_event.h"
#include "probe.h"
#include "syscalls.h"

#define PMU_DIR "/sys/bus/event_source/devices"
#define LEGACY_PREFIX "mini_trace_"
#define KPROBE_EVENTS_MAX (1u << 20)

/*
 * The architecture's syscall wrapper: where one exists, sys_<name> takes
 * its arguments from a struct pt_regs that __<arch>_sys_<name> is given
 * (arch/x86/include/asm/syscall_wrapper.h, arch/arm64/.../syscall_wrapper.h);
 * libbpf's ksyscall/ probes the wrapper, and so do we.  A kernel older
 * than its arch's wrapper (x86_64 4.17, arm64 4.19, riscv 6.6) or one that
 * spells it sys_<name> (powerpc in 6.1) gets sys_<name>, tried when the
 * wrapper is not found, as libbpf does (probe_kern_syscall_wrapper()).
 */
#if defined(__x86_64__)
#define SYSCALL_PREFIX "__x64_sys_"
#elif defined(__aarch64__)
#define SYSCALL_PREFIX "__arm64_sys_"
#elif defined(__s390x__)
#define SYSCALL_PREFIX "__s390x_sys_"
#elif defined(__riscv)
#define SYSCALL_PREFIX "__riscv_sys_"
#elif defined(__powerpc64__)
#define SYSCALL_PREFIX "__powerpc_sys_"
#else
#define SYSCALL_PREFIX "sys_"
#endif

/* A small sysfs file's number: "8\n". */
static int read_int_file(const char *path, long *val)
{
	unsigned char *buf;
	char *end;
	size_t len;
	int err;

	err = read_file(path, 64, &buf, &len);
	if (err)
		return err;
	errno = 0;
	*val = strtol((char *)buf, &end, 10);
	err = errno || end == (char *)buf || (*end && *end != '\n') ? -EINVAL : 0;
	free(buf);
	return err;
}

/*
 * The PMU's type for perf_event_attr.type, and the config bit of its
 * "retprobe" format ("config:0\n"); -ENOENT when the kernel has no such PMU.
 */
static int pmu_find(const char *pmu, int *type, __u64 *retprobe_bit)
{
	char path[128];
	unsigned char *buf;
	size_t len;
	long val;
	int err;

	fmt(path, sizeof(path), PMU_DIR "/%s/type", pmu);
	err = read_int_file(path, &val);
	if (err)
		return err;
	if (val < 0 || val > INT32_MAX)
		return -EINVAL;
	*type = val;
	fmt(path, sizeof(path), PMU_DIR "/%s/format/retprobe", pmu);
	err = read_file(path, 64, &buf, &len);
	if (err)
		return err;
	/* "config:N\n"; read without sscanf(3), 12 KB of a static binary. */
	val = -1;
	if (!strncmp((char *)buf, "config:", 7) && isdigit(buf[7]))
		val = strtol((char *)buf + 7, NULL, 10);
	if (val < 0 || val > 63)
		err = -EINVAL;
	else
		*retprobe_bit = 1ull << val;
	free(buf);
	return err;
}

/*
 * A symbol name as kprobe_events and ELF symbol tables spell them.  It goes
 * into a line written to tracefs: nothing that could end or extend it.
 */
static bool is_symbol(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.')
			return false;
	return true;
}

/* "<func>", "<func>+<offset>": the offset decimal or 0x hex. */
static int split_func(char *func, __u64 *offset, struct diag *d, const char *what)
{
	char *plus = strchr(func, '+'), *end;

	*offset = 0;
	if (plus) {
		*plus = '\0';
		errno = 0;
		*offset = strtoull(plus + 1, &end, 0);
		if (errno || !isdigit((unsigned char)plus[1]) || *end)
			return diag(d, -EINVAL, "%s: bad offset '%s'", what, plus + 1);
	}
	if (!is_symbol(func))
		return diag(d, -EINVAL, "%s: '%s' is not a function name", what, func);
	return 0;
}

/* The target's bytes, mapped for reading: a file we only look at once. */
static int map_file(const char *path, void **p, size_t *size)
{
	struct stat st;
	int fd, err = 0;

	*p = NULL;
	*size = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		err = -errno;
	else if (!S_ISREG(st.st_mode))
		err = -EISDIR;
	else
		*size = st.st_size;
	if (!err && *size) {
		*p = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (*p == MAP_FAILED) {
			err = -errno;
			*p = NULL;
		}
	}
	close(fd);
	return err;
}

/* A bare name is looked up the way a shell finds a command: in $PATH. */
static int find_in_path(const char *name, char *out, size_t len)
{
	const char *dirs = getenv("PATH");
	char buf[PATH_MAX];

	if (strchr(name, '/'))
		return (size_t)fmt(out, len, "%s", name) < len ? 0 : -ENAMETOOLONG;
	if (strstr(name, ".so"))
		dirs = "/lib64:/usr/lib64:/lib:/usr/lib"
#ifdef MULTIARCH_LIB
		       ":/lib/" MULTIARCH_LIB ":/usr/lib/" MULTIARCH_LIB
#endif
			;
	for (const char *d = dirs ?: "/usr/bin:/bin"; *d;) {
		size_t n = strcspn(d, ":");

		if ((size_t)fmt(buf, sizeof(buf), "%.*s/%s", (int)n, d, name) < sizeof(buf) &&
		    !access(buf, F_OK))
			return (size_t)fmt(out, len, "%s", buf) < len ? 0 : -ENAMETOOLONG;
		d += n + (d[n] == ':');
	}
	return -ENOENT;
}

int uprobe_resolve(struct probe *pr, const char *spec, bool retprobe, struct diag *d)
{
	char func[256], path[PATH_MAX];
	const char *colon = strrchr(spec, ':');
	__u64 extra = 0;
	size_t size;
	void *p;
	int err;

	memset(pr, 0, sizeof(*pr));
	pr->uprobe = true;
	pr->retprobe = retprobe;
	if (!colon || colon == spec || !colon[1])
		return diag(d, -EINVAL, "uprobe '%s': not <path>:<function>", spec);
	if ((size_t)(colon - spec) >= sizeof(path) || strlen(colon + 1) >= sizeof(func))
		return diag(d, -ENAMETOOLONG, "uprobe '%s': name too long", spec);
	fmt(path, sizeof(path), "%.*s", (int)(colon - spec), spec);
	fmt(func, sizeof(func), "%s", colon + 1);

	err = find_in_path(path, pr->target, sizeof(pr->target));
	if (err)
		return diag(d, err, "uprobe: %s: %s", path, strerror(-err));
	/* The name the kernel resolves is the one narrated: symlinks followed. */
	if (realpath(pr->target, path))
		fmt(pr->target, sizeof(pr->target), "%s", path);

	err = map_file(pr->target, &p, &size);
	if (err)
		return diag(d, err, "uprobe: %s: %s", pr->target,
			    err == -EISDIR ? "not a regular file" : strerror(-err));
	if (isdigit((unsigned char)func[0])) {
		/* "<path>:0x<offset>": a file offset given outright. */
		char *end;

		errno = 0;
		pr->offset = strtoull(func, &end, 0);
		if (errno || *end)
			err = diag(d, -EINVAL, "uprobe '%s': bad offset '%s'", spec, func);
	} else {
		err = split_func(func, &extra, d, "uprobe");
		if (!err) {
			struct diag e;

			err = elf_target_func_offset(p, size, func, &pr->offset, &e);
			if (err)
				diag(d, err, "uprobe: %s: %s", pr->target, e.msg);
		}
		pr->offset += extra;
	}
	if (p)
		munmap(p, size);
	if (err)
		return err;
	if (retprobe && extra)
		return diag(d, -EINVAL, "uretprobe '%s': a return probe takes no offset", spec);
	err = pmu_find("uprobe", &pr->pmu_type, &pr->retprobe_bit);
	if (err == -ENOENT)
		return diag(d, -EOPNOTSUPP,
			    "uprobe: this kernel has no uprobe PMU in " PMU_DIR
			    " (CONFIG_UPROBE_EVENTS is not set, or it is older than 4.17)");
	if (err)
		return diag(d, err, "uprobe: " PMU_DIR "/uprobe: %s", strerror(-err));
	return 0;
}

int kprobe_resolve(struct probe *pr, const char *spec, bool retprobe, bool syscall, bool legacy,
		   const char *tracefs, struct diag *d)
{
	char func[256], path[PATH_MAX];
	int err;

	memset(pr, 0, sizeof(*pr));
	pr->retprobe = retprobe;
	pr->pmu_type = -1;
	if (strlen(spec) >= sizeof(func))
		return diag(d, -ENAMETOOLONG, "kprobe: '%s': name too long", spec);
	fmt(func, sizeof(func), "%s", spec);
	err = split_func(func, &pr->offset, d, "kprobe");
	if (err)
		return err;
	if (retprobe && pr->offset)
		return diag(d, -EINVAL, "kretprobe '%s': a return probe takes no offset", spec);
	fmt(pr->target, sizeof(pr->target), "%s%s", syscall ? SYSCALL_PREFIX : "", func);
	if (syscall && strcmp(SYSCALL_PREFIX, "sys_"))
		fmt(pr->alt, sizeof(pr->alt), "sys_%s", func);

	err = legacy ? -ENOENT : pmu_find("kprobe", &pr->pmu_type, &pr->retprobe_bit);
	if (!err)
		return 0;
	if (err != -ENOENT)
		return diag(d, err, "kprobe: " PMU_DIR "/kprobe: %s", strerror(-err));
	pr->pmu_type = -1;
	fmt(path, sizeof(path), "%s/kprobe_events", tracefs);
	if (access(path, W_OK) == 0)
		return 0;
	if (errno != ENOENT)
		return diag(d, -errno, "kprobe: %s: %s", path, strerror(errno));
	return diag(d, -EOPNOTSUPP,
		    "this kernel has no kprobes: no kprobe PMU in " PMU_DIR
		    " and no kprobe_events in %s (CONFIG_KPROBES and CONFIG_KPROBE_EVENTS "
		    "are not set)",
		    tracefs);
}

/* Appending: O_TRUNC would remove every kprobe there (probes_open(), trace_kprobe.c). */
int kprobe_events_open(const char *tracefs)
{
	char path[PATH_MAX];
	int fd;

	fmt(path, sizeof(path), "%s/kprobe_events", tracefs);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* One whole line per write(2): the kernel parses each write as it comes. */
static int kprobe_events_write_at(int fd, const char *line)
{
	show_time t = show_start(); /* -vv */
	int err = write(fd, line, strlen(line)) < 0 ? -errno : 0;

	show_write(t, "kprobe_events", line, err ?: (long)strlen(line));
	return err;
}

static int kprobe_events_write(const char *tracefs, const char *line)
{
	int fd = kprobe_events_open(tracefs), err;

	if (fd < 0)
		return fd;
	err = kprobe_events_write_at(fd, line);
	close(fd);
	return err;
}

static int legacy_attach(struct probe *pr, int prog_fd, const char *tracefs, int n)
{
	char line[PATH_MAX + 128], event[PROBE_LEGACY_NAME_MAX + 16];
	int id, fd, err;

	fmt(pr->legacy, sizeof(pr->legacy), LEGACY_PREFIX "%d_%d", (int)getpid(), n);
	/* "p:kprobes/<name> <func>+<offset>", "r:kprobes/<name> <func>" */
	if (pr->retprobe)
		fmt(line, sizeof(line), "r:kprobes/%s %s\n", pr->legacy, pr->target);
	else
		fmt(line, sizeof(line), "p:kprobes/%s %s+%llu\n", pr->legacy, pr->target,
		    (unsigned long long)pr->offset);
	err = kprobe_events_write(tracefs, line);
	if (err) {
		pr->legacy[0] = '\0';
		return err;
	}
	fmt(event, sizeof(event), "kprobes/%s", pr->legacy);
	id = tracepoint_id(tracefs, event);
	fd = id < 0 ? id : perf_attach_tracepoint(id, prog_fd);
	if (fd < 0)
		probe_remove(pr, tracefs);
	return fd;
}

static int probe_attach_one(struct probe *pr, int prog_fd, const char *tracefs, int n)
{
	struct perf_event_attr attr = {
		.type = pr->pmu_type,
		.size = sizeof(attr),
		.config = pr->retprobe ? pr->retprobe_bit : 0,
		.sample_period = 1,
		.wakeup_events = 1,
		.disabled = 1,
	};

	if (pr->pmu_type < 0)
		return legacy_attach(pr, prog_fd, tracefs, n);
	if (pr->uprobe)
		attr.uprobe_path = (__u64)(unsigned long)pr->target;
	else
		attr.kprobe_func = (__u64)(unsigned long)pr->target;
	attr.probe_offset = pr->offset;
	return perf_attach_event(&attr, prog_fd);
}

/*
 * A symbol the kernel cannot probe is ENOENT or EINVAL, by kernel version,
 * from the kprobe PMU and from a write to kprobe_events alike
 * (trace_kprobe_create(), kernel/trace/trace_kprobe.c): either sends a
 * ksyscall on to sys_<name>.  If that fails too, the wrapper stays in
 * tried, so that the refusal names both.
 */
int probe_attach(struct probe *pr, int prog_fd, const char *tracefs, int n)
{
	int fd = probe_attach_one(pr, prog_fd, tracefs, n);

	if ((fd == -ENOENT || fd == -EINVAL) && pr->alt[0]) {
		fmt(pr->tried, sizeof(pr->tried), "%s", pr->target);
		fmt(pr->target, sizeof(pr->target), "%s", pr->alt);
		pr->alt[0] = '\0';
		fd = probe_attach_one(pr, prog_fd, tracefs, n);
		if (fd >= 0)
			pr->tried[0] = '\0';
	}
	return fd;
}

void probe_describe(const struct probe *pr, char *buf, size_t len)
{
	const char *kind = pr->uprobe ? (pr->retprobe ? "uretprobe" : "uprobe")
				      : (pr->retprobe ? "kretprobe" : "kprobe");
	unsigned long long off = pr->offset;
	char tried[sizeof(pr->tried) + 32] = "";

	/* "kprobe __riscv_sys_x+0x0 or sys_x+0x0 (...)": both symbols a ksyscall tried */
	if (pr->tried[0])
		fmt(tried, sizeof(tried), "%s+0x%llx or ", pr->tried, off);
	if (pr->pmu_type >= 0)
		fmt(buf, len, "%s %s%s+0x%llx (%s PMU type %d)", kind, tried, pr->target, off,
		    pr->uprobe ? "uprobe" : "kprobe", pr->pmu_type);
	else
		fmt(buf, len, "%s %s%s+0x%llx (tracefs kprobe_events %c:kprobes/%s)", kind, tried,
		    pr->target, off, pr->retprobe ? 'r' : 'p', pr->legacy);
}

int probe_remove_at(struct probe *pr, int fd)
{
	char line[PROBE_LEGACY_NAME_MAX + 16];
	int err;

	if (!pr->legacy[0])
		return 0;
	fmt(line, sizeof(line), "-:kprobes/%s\n", pr->legacy);
	err = kprobe_events_write_at(fd, line);
	if (!err)
		pr->legacy[0] = '\0';
	return err;
}

int probe_remove(struct probe *pr, const char *tracefs)
{
	int fd, err;

	if (!pr->legacy[0])
		return 0;
	fd = kprobe_events_open(tracefs);
	if (fd < 0)
		return fd;
	err = probe_remove_at(pr, fd);
	close(fd);
	return err;
}

/* Whether pid is a running mini-trace: its comm starts so. */
static bool is_mini_trace(long pid)
{
	char path[64];
	unsigned char *comm;
	size_t len;
	bool yes;

	fmt(path, sizeof(path), "/proc/%ld/comm", pid);
	if (read_file(path, 64, &comm, &len))
		return false;
	yes = !strncmp((char *)comm, "mini-trace", 10);
	free(comm);
	return yes;
}

int kprobe_legacy_sweep(const char *tracefs)
{
	char path[PATH_MAX], line[PROBE_LEGACY_NAME_MAX + 16];
	unsigned char *buf;
	size_t len;
	int err, removed = 0;

	fmt(path, sizeof(path), "%s/kprobe_events", tracefs);
	err = read_file(path, KPROBE_EVENTS_MAX, &buf, &len);
	if (err)
		return err;
	/* Each line: "p:kprobes/mini_trace_<pid>_<n> <func>+<offset>" */
	for (char *s = (char *)buf, *nl; *s; s = nl + !!*nl) {
		char *name = strstr(s, ":kprobes/" LEGACY_PREFIX), *end;
		long pid;

		nl = s + strcspn(s, "\n");
		if (!name || name > nl)
			continue;
		name += strlen(":kprobes/");
		pid = strtol(name + strlen(LEGACY_PREFIX), &end, 10);
		if (*end != '_' || pid <= 0 || is_mini_trace(pid))
			continue;
		end = name + strcspn(name, " \n");
		if ((size_t)(end - name) >= PROBE_LEGACY_NAME_MAX)
			continue;
		/*
		 * A run that has exited may still be detaching in the
		 * background: while its event is open the removal is EBUSY
		 * (trace_kprobe's dyn_event release), and the entry stays
		 * for that child to remove.
		 */
		fmt(line, sizeof(line), "-:kprobes/%.*s\n", (int)(end - name), name);
		if (!kprobe_events_write(tracefs, line))
			removed++;
	}
	free(buf);
	return removed;
}
