// SPDX-License-Identifier: MIT
/*
 * mini-trace exit: how every process with a given name ended, as wait(2)
 * tells its parent, one line each:
 *
 *	comm="exit_with_code" pid=4242 code=42
 *	comm="exit_with_code" pid=4243 signal=SIGTERM
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "bpf.h"
#include "command.h"
#include "events.h"
#include "fmt.h"
#include "object.h"
#include "output.h"

/* The BPF object, embedded packed by objects.S. */
extern const unsigned char exit_bpf_o[], exit_bpf_o_end[];

/*
 * The pid namespace's inode in the initial namespace (PROC_PID_INIT_INO,
 * include/linux/proc_ns.h): pids there are the global ones.
 */
#define PID_NS_INIT_INO 0xEFFFFFFCu

/* A task's flag once it has begun to exit (include/linux/sched.h). */
#define PF_EXITING 0x00000004u

/*
 * The name to report, and mini-trace's pid namespace for the program's
 * bpf_get_ns_current_pid_tgid(): the helper compares the device given with
 * nsfs's s_dev, a kernel dev_t (MKDEV(), major << 20 | minor,
 * include/linux/kdev_t.h; ns_match() in fs/nsfs.c), not stat(2)'s encoding.
 */
static int exit_configure(struct spec *s, const struct options *opt, struct diag *d)
{
	struct stat st;
	__u64 dev, ino;
	int err;

	err = spec_set_var(s, "target_comm", opt->comm, strlen(opt->comm) + 1, d);
	if (err)
		return err;
	if (stat("/proc/self/ns/pid", &st))
		return diag(d, -errno, "exit: cannot tell our pid namespace: /proc/self/ns/pid: %s",
			    strerror(errno));
	if (st.st_ino == PID_NS_INIT_INO)
		return 0;
	dev = (__u64)major(st.st_dev) << 20 | minor(st.st_dev);
	ino = st.st_ino;
	return spec_set_var(s, "pidns_dev", &dev, sizeof(dev), d)
		       ?: spec_set_var(s, "pidns_ino", &ino, sizeof(ino), d);
}

/* Reads the small file at dir/name into buf as a string; its length, or -errno. */
static ssize_t read_small(int dir, const char *name, char *buf, size_t size)
{
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/*
 * Threads of /proc/PID that have not exited: a zombie (Z) is a thread that
 * has, such as a leader gone by pthread_exit whose process lives on.  The
 * state is the field after the last ')' of stat (proc(5)).
 */
static __u32 live_threads(int proc_pid)
{
	int task = openat(proc_pid, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	char path[32], line[512], *paren;
	__u32 live = 0;
	DIR *dir;

	if (task < 0 || !(dir = fdopendir(task))) {
		if (task >= 0)
			close(task);
		return 0;
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		fmt(path, sizeof(path), "%s/stat", de->d_name);
		if (read_small(task, path, line, sizeof(line)) <= 0)
			continue;
		paren = strrchr(line, ')');
		if (paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X')
			live++;
	}
	closedir(dir);
	return live;
}

/*
 * An entry the programs made since attach (a thread of the process started
 * or ended) has a newer status and name than ours, but fewer threads than
 * /proc has just told: they counted from 1.  Ours is put in only when none
 * is there; a process gone meanwhile has been reported and is left alone.
 */
static int enter_process(int fd, __u32 pid, const struct exit_process *seen)
{
	struct exit_process cur;
	int err = bpf_map_update_elem(fd, &pid, seen, BPF_NOEXIST);

	if (!err)
		return 1;
	if (err != -EEXIST || bpf_map_lookup_elem(fd, &pid, &cur))
		return err == -EEXIST ? 0 : err;
	cur.threads = seen->threads;
	if (!cur.comm[0])
		memcpy(cur.comm, seen->comm, sizeof(cur.comm));
	return bpf_map_update_elem(fd, &pid, &cur, BPF_EXIST);
}

/*
 * Deletes the entry we wrote unless a program has changed it (the process's
 * exit_group or fatal signal, seen after our write): that one is its end,
 * to be reported.
 */
static void take_back(int fd, __u32 pid, const struct exit_process *ours)
{
	struct exit_process cur;

	if (!bpf_map_lookup_elem(fd, &pid, &cur) && !memcmp(&cur, ours, sizeof(cur)))
		bpf_map_delete_elem(fd, &pid);
}

/* The number n fields after the one s starts at (fields are space-separated), or 0. */
static unsigned long stat_field(const char *s, int n)
{
	while (n-- > 0 && (s = strchr(s, ' ')))
		s++;
	return s ? strtoul(s, NULL, 10) : 0;
}

/*
 * The threads of process pid (a /proc entry) that have not exited, and its
 * name into p->comm when p is given; 0 when it is gone.  One read of stat
 * tells all (proc(5)): the name between the first '(' and the last ')'
 * (raw: do_task_stat() in fs/proc/array.c does not escape it, and it may
 * hold ')'), then the state, the flags 6 fields on and num_threads 17 on.
 * num_threads counts a leader gone by pthread_exit until the whole process
 * is reaped: a zombie (Z) leader has its threads counted one by one.  A
 * process of one thread that has begun to exit (PF_EXITING, set by
 * exit_signals() early in do_exit(), kernel/exit.c) counts as gone: it may
 * have passed sched_process_exit already, which do_exit() traces well
 * before exit_notify() makes it a zombie.
 */
static __u32 threads_alive(int proc, const char *pid, struct exit_process *p)
{
	char path[32], line[512], *comm, *paren;
	unsigned long threads;

	fmt(path, sizeof(path), "%s/stat", pid);
	if (read_small(proc, path, line, sizeof(line)) <= 0)
		return 0; /* it has exited */
	comm = strchr(line, '(');
	paren = strrchr(line, ')');
	if (!comm || !paren || paren < comm || paren[1] != ' ' || !paren[2])
		return 0;
	*paren = '\0';
	threads = stat_field(paren + 2, 20 - 3);
	if (threads == 1 && stat_field(paren + 2, 9 - 3) & PF_EXITING)
		return 0;
	if (paren[2] == 'Z' || paren[2] == 'X') {
		int dfd = openat(proc, pid, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dfd < 0)
			return 0;
		threads = live_threads(dfd);
		close(dfd);
	}
	if (p) {
		comm++;
		memcpy(p->comm, comm, strnlen(comm, sizeof(p->comm)));
	}
	return threads > 0xffffffffUL ? 0xffffffffU : (__u32)threads;
}

/*
 * The processes already running, entered in process_names as exec would
 * have entered them (their leader's name, their threads alive), so that
 * they are reported too.  Done once the programs run (the command's
 * seed_running), so that every thread that starts or ends from then on is
 * counted by them: only one doing so between our read of its process's
 * stat and our write of the entry is miscounted, a window of microseconds
 * where seeding before attach left the whole of attach's.  The pids
 * must be those of our pid namespace, so /proc must be ours: under
 * "unshare --pid --fork" without a /proc of its own, it is not, and nothing
 * is entered.  Returns 1 with a warning in d when some are not entered.
 */
static int exit_loaded(const struct object *o, const struct options *opt, struct diag *d)
{
	const struct spec_map *m = spec_find_map(o->spec, "process_names");
	int proc, fd, err, missed = 0, entered = 0;
	struct dirent *de;
	char self[32];
	ssize_t n;
	DIR *dir;

	(void)opt;
	if (!m)
		return diag(d, -ENOENT, "exit: the object has no map 'process_names'");
	fd = o->map_fds[m - o->spec->maps];
	proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* Out of fds is the run's failure, not /proc's: the loader says so. */
	if (proc < 0 && (errno == EMFILE || errno == ENFILE))
		return diag(d, -errno, "exit: /proc: %s", strerror(errno));
	if (proc < 0)
		return diag(d, 1,
			    "warning: exit: /proc: %s: processes already running are not "
			    "seen",
			    strerror(errno));
	n = readlinkat(proc, "self", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	if (atoi(self) != getpid()) {
		close(proc);
		return diag(d, 1,
			    "warning: exit: /proc is another pid namespace's: processes "
			    "already running are not seen");
	}
	dir = fdopendir(proc);
	if (!dir) {
		close(proc);
		return diag(d, 1,
			    "warning: exit: /proc: %s: processes already running are not "
			    "seen",
			    strerror(errno));
	}
	while ((de = readdir(dir))) {
		struct exit_process p = { 0 };
		__u32 pid = (__u32)atoi(de->d_name);

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		p.threads = threads_alive(proc, de->d_name, &p);
		if (!p.threads)
			continue;
		err = enter_process(fd, pid, &p);
		/*
		 * A process that ended between our read of its stat and our
		 * entry was counted down by the programs before the entry
		 * was there: ours would stay.  Looked at once more, after,
		 * and taken back if no program has written to it since.
		 */
		if (err == 1 && !threads_alive(proc, de->d_name, NULL))
			take_back(fd, pid, &p);
		if (err == -E2BIG)
			missed++;
		else if (err >= 0)
			entered++;
	}
	closedir(dir);
	if (missed)
		return diag(d, 1,
			    "warning: exit: %d processes already running are not "
			    "followed: table full",
			    missed);
	return diag(d, 0, "exit: %d processes already running entered in process_names", entered);
}

/*
 * The signal's name as kill -l gives it (with "SIG"), by the generic numbers
 * of x86 and arm; a real-time signal is SIG<number>.
 */
static const char *signal_name(unsigned sig)
{
	static const char *const names[] = {
		[1] = "SIGHUP", "SIGINT",    "SIGQUIT", "SIGILL",    "SIGTRAP", "SIGABRT",
		"SIGBUS",	"SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",
		"SIGPIPE",	"SIGALRM",   "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
		"SIGSTOP",	"SIGTSTP",   "SIGTTIN", "SIGTTOU",   "SIGURG",	"SIGXCPU",
		"SIGXFSZ",	"SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGIO",	"SIGPWR",
		"SIGSYS",
	};
	static char other[24];

	if (sig < sizeof(names) / sizeof(names[0]) && names[sig])
		return names[sig];
	fmt(other, sizeof(other), "SIG%u", sig);
	return other;
}

static int exit_print(struct session *ss, const struct spec_map *m, const void *data, __u32 size)
{
	bool json = ss->opt->json;
	struct exit_event e;

	(void)m;
	if (size < sizeof(e)) {
		ss->malformed++;
		return 0;
	}
	memcpy(&e, data, sizeof(e));
	out_puts(ss, json ? "{\"comm\":\"" : "comm=\"");
	put_comm(ss, e.comm, json);
	put_uint(ss, json ? "\",\"pid\":" : "\" pid=", e.pid);
	if (e.signal) {
		out_puts(ss, json ? ",\"signal\":\"" : " signal=");
		out_puts(ss, signal_name(e.signal));
		if (json)
			out_putc(ss, '"');
	} else {
		put_int(ss, json ? ",\"code\":" : " code=", e.code);
	}
	if (json)
		out_putc(ss, '}');
	return end_line(ss);
}

/* The programs' counts of what they could not follow. */
static const struct missed exit_missed[] = {
	{ "processes_untracked", "processes were not followed: table full" },
	{ NULL, NULL },
};

const struct command cmd_exit = {
	.name = "exit",
	.summary = "report how every process with a given name ended (exit code or signal)",
	.obj = exit_bpf_o,
	.obj_end = exit_bpf_o_end,
	.configure = exit_configure,
	.print = exit_print,
	.loaded = exit_loaded,
	.seed_running = true,
	.missed = exit_missed,
};
