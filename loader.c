// SPDX-License-Identifier: MIT
/*
 * mini-trace: load a BPF object with nothing but bpf(2) and perf_event_open(2),
 * attach its programs to tracepoints and print what they report.
 *
 * Every command tells the same story, which main() narrates:
 *
 *	object bytes -> spec (elf.c, btf.c) -> kernel objects (load.c)
 *	-> attached tracepoints and perf rings (perf.c) -> events -> output
 *
 * and differs only in which object it embeds, the constants it patches in
 * before load, and how it prints an event (command.h, cmd_*.c).  Each step
 * is a function below that fills struct pipeline and returns 0 or -errno
 * with one line in a diag; main() chains them and, on failure, prints that
 * line with the hint its step and errno call for.  Only this file prints
 * errors (options.c its usage errors) and picks exit statuses: 0 success,
 * 1 runtime error, 2 usage error, 3 an object file that is not a valid BPF
 * object or asks for what mini-trace cannot apply.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "channel.h"
#include "child.h"
#include "command.h"
#include "events.h"
#include "file.h"
#include "kfiles.h"
#include "object.h"
#include "lz4.h"
#include "options.h"
#include "output.h"
#include "perf_event.h"
#include "sections.h"
#include "spec.h"

enum { EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_BADOBJ };

/* -v: 0 errors and warnings only, 1 the narration of each step (options.c). */
static int verbose;

enum log_level { LOG_ERROR, LOG_INFO };

/*
 * One message, one write(2): a line of ours is never split by another's.
 * Names an object chose are escaped where they are formatted (esc());
 * whatever else of theirs a lower layer put in a message has its bytes
 * that are not printable escaped here, so none reaches a terminal raw
 * and no message runs onto a second line.
 */
__attribute__((format(printf, 2, 3)))
static void say(enum log_level level, const char *f, ...)
{
	char msg[1024], shown[4 * sizeof(msg)];
	va_list ap;
	int n;

	if ((int)level > verbose)
		return;
	va_start(ap, f);
	n = fmt_v(msg, sizeof(msg), f, ap);
	va_end(ap);
	n = escape(shown, msg, n < (int)sizeof(msg) ? n : (int)sizeof(msg) - 1, 0, false);
	fmt_write(STDERR_FILENO, "mini-trace: %.*s\n", n, shown);
}

/*
 * A name an object or a traced process chose, escaped for a message:
 * "map '%s'", esc(m->name).  Each call takes the next of a few buffers, so
 * one message can show several names.
 */
static const char *esc(const char *name)
{
	static char bufs[4][4 * 64 + 1];
	static unsigned next;

	return escape_name(bufs[next++ % 4], sizeof(bufs[0]), name);
}

#define error(...) say(LOG_ERROR, __VA_ARGS__)
#define narrate(...) say(LOG_INFO, __VA_ARGS__)

/* ---- narration ---------------------------------------------------------- */

static const char *map_type_name(__u32 type)
{
	switch (type) {
	case BPF_MAP_TYPE_HASH: return "hash";
	case BPF_MAP_TYPE_ARRAY: return "array";
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY: return "perf_event_array";
	case BPF_MAP_TYPE_PERCPU_HASH: return "percpu_hash";
	case BPF_MAP_TYPE_PERCPU_ARRAY: return "percpu_array";
	case BPF_MAP_TYPE_LRU_HASH: return "lru_hash";
	case BPF_MAP_TYPE_RINGBUF: return "ringbuf";
	default: return "other";
	}
}

static void narrate_spec(const struct spec *s)
{
	narrate("object: license '%s', %zu programs, %zu maps", esc(s->license), s->prog_cnt, s->map_cnt);
	for (size_t i = 0; i < s->map_cnt; i++) {
		const struct spec_map *m = &s->maps[i];

		narrate("  map '%s': %s, key %u, value %u, max_entries %u%s", esc(m->name),
			map_type_name(m->type), m->key_size, m->value_size, m->max_entries,
			m->kind == SPEC_MAP_DATA ? (m->readonly ? ", read-only data" : ", data") : "");
	}
	for (size_t i = 0; i < s->prog_cnt; i++) {
		const struct spec_prog *p = &s->progs[i];

		narrate("  prog '%s': section '%s', %zu insns (%zu from subprograms), %zu relocations",
			esc(p->name), esc(p->sec_name), p->insn_cnt, p->insn_cnt - p->main_cnt, p->reloc_cnt);
	}
}

static void narrate_load(const struct object *o)
{
	const struct spec *s = o->spec;

	if (o->has_btf)
		narrate("btf: the object's BTF loaded: fd %d", o->btf_fd);
	else if (s->btf)
		narrate("%s: going on without it", o->btf_refused.msg);
	for (size_t i = 0; i < s->map_cnt; i++)
		narrate("map '%s' created: fd %d", esc(s->maps[i].name), o->map_fds[i]);
	for (size_t i = 0; i < s->prog_cnt; i++) {
		const struct spec_prog *p = &s->progs[i];

		for (size_t r = 0; r < p->reloc_cnt; r++) {
			const struct spec_reloc *rel = &p->relocs[r];

			if (rel->kind == SPEC_RELOC_MAP_FD)
				narrate("  prog '%s': insn %u: map '%s' (fd %d)", esc(p->name), rel->insn,
					esc(s->maps[rel->map].name), o->map_fds[rel->map]);
			else
				narrate("  prog '%s': insn %u: '%s' + %u (fd %d)", esc(p->name), rel->insn,
					esc(s->maps[rel->map].name), rel->off, o->map_fds[rel->map]);
		}
		if (o->has_btf && p->func_info_cnt)
			narrate("  prog '%s': BTF func_info %zu, line_info %zu", esc(p->name),
				p->func_info_cnt, p->line_info_cnt);
		narrate("prog '%s' loaded: fd %d", esc(p->name), o->prog_fds[i]);
	}
}

/*
 * A verifier log can run to a million lines; the reason is at its end.  So
 * the last LOG_TAIL lines are shown, and all of them with -v.
 */
#define LOG_TAIL 40

/* All n bytes written, or -errno. */
static int write_all(int fd, const char *p, size_t n)
{
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

static void print_log(const char *log)
{
	const char *start;
	int lines = 0;

	if (!log || !*log)
		return;
	start = log + strlen(log);
	while (start > log && (verbose || lines <= LOG_TAIL))
		if (*--start == '\n')
			lines++;
	if (start > log) {
		fmt_write(STDERR_FILENO, "mini-trace: verifier log, last %d lines (all with -v):\n",
			  LOG_TAIL);
		start++;
	}
	/* The log quotes the object's source lines: their bytes are escaped. */
	while (*start) {
		char shown[4 * 1024 + 1];
		size_t line = strcspn(start, "\n"), take = line < 1024 ? line : 1024;
		size_t n = escape(shown, start, take, 0, false);

		if (take == line && start[line] == '\n') {
			shown[n++] = '\n';
			take++;
		}
		if (write_all(STDERR_FILENO, shown, n))
			break;
		start += take;
	}
}

/* ---- the steps' helpers ------------------------------------------------ */

/*
 * Reads an object file into memory from malloc, which is aligned enough for
 * the parser's in-place reads.  Objects are small: 64 MiB is plenty.
 */
#define OBJECT_MAX (64u << 20)

static int read_object(const char *path, unsigned char **buf, size_t *size, struct diag *d)
{
	int err = read_file(path, OBJECT_MAX, buf, size);

	if (err == -EFBIG)
		return diag(d, err, "run: '%s' is larger than %u MiB", path, OBJECT_MAX >> 20);
	if (err == -ENOMEM)
		return diag(d, err, "run: out of memory");
	if (err)
		return diag(d, err, "run: cannot open '%s': %s", path, strerror(-err));
	return 0;
}

/*
 * Before 5.11 the kernel charges BPF maps and programs against
 * RLIMIT_MEMLOCK, whose default is far too small (commit 97306be45fbe moved
 * it to memcg).  Raising it is harmless where it is no longer used.
 */
static void raise_memlock(void)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	if (setrlimit(RLIMIT_MEMLOCK, &r))
		narrate("cannot raise RLIMIT_MEMLOCK: %s", strerror(errno));
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Closing an attached tracepoint event is the slow part of exiting: the
 * last close runs perf_trace_destroy() (kernel/trace/trace_event_perf.c),
 * which holds event_mutex while tracepoint_synchronize_unregister() waits
 * for RCU grace periods, tens of milliseconds per tracepoint.  Nobody needs
 * to wait for that once every line is out.  So a child takes the events
 * over: fork() gives it references to the same open files, the parent drops
 * its own (a close that is not the last one is instant) and exits, and the
 * child's closes, now the last ones, do the detaching.  The child holds
 * nothing of the caller's, so a pipe or $(...) reading our output sees EOF
 * when the parent exits.  Everything is still released, only a little
 * later: even a killed child releases its files as it dies.
 *
 * (PERF_EVENT_IOC_DISABLE first would change nothing: it takes the event
 * off the tracepoint's list of enabled events, but the program hangs off
 * the tracepoint itself, and perf_trace_run_bpf_submit() runs it either way
 * until the event is destroyed.  What it sends meanwhile goes to rings
 * nobody reads any more.)
 *
 * Returns the child's pid, with every entry of links closed and set to -1
 * here, or -errno, with links untouched, for the caller to close them itself.
 */
static pid_t detach_in_background(int *links, size_t n, int sigfd)
{
	size_t attached = 0;
	int ready[2], err;
	pid_t pid;
	char c;

	for (size_t i = 0; i < n; i++)
		attached += links[i] >= 0;
	if (!attached)
		return -ENOENT;
	if (pipe(ready) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(ready[0]);
		close(ready[1]);
		return err;
	}
	if (pid == 0) {
		/* Our streams are the caller's: let go of them at once. */
		close(STDIN_FILENO);
		close(STDOUT_FILENO);
		close(STDERR_FILENO);
		close(sigfd);
		close(ready[1]);
		/* Its own session: the terminal's signals and hangup are not for it. */
		setsid();
		/* SIGTERM and SIGINT were ours to read; a kill now ends it, which releases all the same. */
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/*
		 * Until the parent has closed its copies, a close here might not
		 * be the last one, and the detaching would happen in the parent's
		 * exit.  EOF on the pipe says they are gone.
		 */
		while (read(ready[0], &c, 1) < 0 && errno == EINTR)
			;
		perf_detach_all(links, n);
		_exit(0);	/* the rest closes with the process; no atexit work */
	}
	close(ready[0]);
	for (size_t i = 0; i < n; i++) {
		if (links[i] >= 0)
			close(links[i]);
		links[i] = -1;
	}
	close(ready[1]);
	narrate("detaching %zu tracepoint%s in the background (pid %d)", attached,
		attached == 1 ? "" : "s", (int)pid);
	return pid;
}

/* ---- the pipeline ------------------------------------------------------- */

/* The steps, in order: what failed decides the hint and the exit status. */
enum step {
	STEP_SETUP, STEP_READ, STEP_PARSE, STEP_CONFIGURE, STEP_TRACEFS, STEP_RESOLVE,
	STEP_LOAD, STEP_RINGS, STEP_ATTACH, STEP_START, STEP_EVENTS,
};

/* Everything the run holds; pipeline_close() is safe at any point. */
struct pipeline {
	struct options opt;
	struct session ss;
	enum step step;		/* the one running, or the one that failed */
	unsigned char *file;	/* the object's bytes; the spec points into them */
	size_t size;
	struct spec spec;
	struct object obj;
	struct tracefs tracefs;
	int *tp_ids;		/* per program: its tracepoint's id */
	int *links;		/* per program: the attached perf event, or -1 */
	struct channel *chs;	/* per perf event array or ring buffer */
	size_t ch_cnt;
	int sigfd;
	struct child cmd;	/* the command after --, if any (child.h) */
	size_t fds_needed;	/* about how many fds the run takes, once parsed */
};

#define NEED_CAPS "run as root, or with CAP_BPF and CAP_PERFMON"

/*
 * What to tell the user, by step and error.  EPERM from bpf(2) or
 * perf_event_open(2) means missing privileges; EACCES does not: it is also
 * the verifier's rejection and the kernel's refusal to attach a program
 * that reads past a tracepoint's record.
 */
static const struct hint {
	enum step step;
	int err;
	const char *text;
} hints[] = {
	/* tracefs' default mode is 0700 and its id files' 0440 (fs/tracefs/inode.c). */
	{ STEP_TRACEFS, -EACCES, "run as root, or with CAP_DAC_READ_SEARCH as well as CAP_BPF "
				 "and CAP_PERFMON" },
	{ STEP_TRACEFS, -EPERM, "mounting it needs CAP_SYS_ADMIN: run as root, or mount it "
				"first: mount -t tracefs nodev /sys/kernel/tracing" },
	{ STEP_LOAD, -EPERM, NEED_CAPS },
	{ STEP_RINGS, -EPERM, "the rings exceed the locked-memory limit: try a smaller --buffer-pages" },
	{ STEP_ATTACH, -EPERM, NEED_CAPS },
	{ STEP_ATTACH, -EACCES, "it reads past the end of the tracepoint's record: "
				"compare with its format file" },
	/*
	 * One tracepoint runs at most BPF_TRACE_MAX_PROGS programs, every
	 * tool's together (perf_event_attach_bpf_prog(), kernel/trace/bpf_trace.c).
	 */
	{ STEP_ATTACH, -E2BIG, "the kernel allows at most 64 BPF programs on one tracepoint, "
			       "and other tools have that many attached there: bpftool perf "
			       "lists them" },
};

/*
 * Every map, program, attached tracepoint and perf ring is an fd, and
 * RLIMIT_NOFILE caps how many a process holds (EMFILE).  About how many a
 * run takes: stdin, stdout, stderr and the signalfd; a file open for a
 * moment (a tracefs id, CMD's spawn pipe); each map and program; a perf
 * event per attached program; and for each perf event array one event per
 * CPU and an epoll fd.
 */
static size_t fds_needed(const struct spec *s)
{
	int cpus = cpus_possible();
	size_t n = 4 + 2 + s->map_cnt + 2 * s->prog_cnt;

	for (size_t i = 0; i < s->map_cnt; i++)
		if (s->maps[i].type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			n += (cpus > 0 ? cpus : 1) + 1;
	return n;
}

/*
 * Out of fds, which step failed does not matter, nor its message: bpf(2)
 * may even have verified a program and written its log before it found no
 * fd to return (bpf_prog_load(), kernel/bpf/syscall.c), and that log says
 * nothing.  The limit and the need do.
 */
static bool report_fds(const struct pipeline *p, int err)
{
	struct rlimit r;

	if (err == -ENFILE)
		error("the system is out of open files (fs.file-max)");
	else if (err != -EMFILE)
		return false;
	else if (getrlimit(RLIMIT_NOFILE, &r))
		error("too many open files");
	else if (!p->fds_needed)
		error("too many open files (ulimit -n is %llu)", (unsigned long long)r.rlim_cur);
	else
		error("too many open files (ulimit -n is %llu; mini-trace %s needs about %zu)",
		      (unsigned long long)r.rlim_cur, p->opt.cmd->name, p->fds_needed);
	return true;
}

static void report_error(const struct pipeline *p, int err, const struct diag *d)
{
	/* A parse error names the file it is in; the built-in objects are not files. */
	const char *path = p->step == STEP_PARSE ? p->opt.object : NULL;
	const char *hint = NULL;

	if (report_fds(p, err))
		return;
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (hints[i].step == p->step && hints[i].err == err)
			hint = hints[i].text;
	error("%s%s%s%s%s%s", path ?: "", path ? ": " : "", d->msg, hint ? " (" : "",
	      hint ?: "", hint ? ")" : "");
	if (p->step == STEP_LOAD)
		print_log(p->obj.log);
}

/*
 * SIGINT, SIGTERM, SIGHUP and SIGCHLD are read from a signalfd, never
 * delivered.  A blocked signal is queued even when its action is to ignore
 * it (sig_ignored(), kernel/signal.c), so SIGHUP is left out when nohup
 * set it so.
 */
static int signals_open(struct pipeline *p, struct diag *d)
{
	sigset_t mask;

	p->step = STEP_SETUP;
	/* A write past RLIMIT_FSIZE is an error to report (EFBIG), not a death. */
	signal(SIGXFSZ, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	if (signal(SIGHUP, SIG_IGN) != SIG_IGN) {
		signal(SIGHUP, SIG_DFL);
		sigaddset(&mask, SIGHUP);
	}
	sigprocmask(SIG_BLOCK, &mask, NULL);
	p->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (p->sigfd < 0)
		return diag(d, -errno, "signalfd: %s", strerror(errno));
	return 0;
}

/* The object's bytes: embedded in this binary, or the file run was given. */
static int object_bytes(struct pipeline *p, struct diag *d)
{
	const struct command *cmd = p->opt.cmd;

	p->step = STEP_READ;
	if (!cmd->obj)
		return read_object(p->opt.object, &p->file, &p->size, d);
	p->file = lz4_unpack(cmd->obj, cmd->obj_end - cmd->obj, &p->size);
	if (!p->file)
		return diag(d, -ENOMEM, "%s: cannot unpack the built-in object (out of memory?)",
			    cmd->name);
	return 0;
}

/* Parse: pure, no kernel involved yet; then the command patches its constants. */
static int parse(struct pipeline *p, struct diag *d)
{
	int err;

	p->step = STEP_PARSE;
	err = spec_parse(&p->spec, p->file, p->size, d);
	if (err)
		return err;
	narrate_spec(&p->spec);
	p->fds_needed = fds_needed(&p->spec);	/* while there are fds to count CPUs with */
	p->step = STEP_CONFIGURE;
	return p->opt.cmd->configure ? p->opt.cmd->configure(&p->spec, &p->opt, d) : 0;
}

static bool is_optional(const struct command *cmd, const char *target)
{
	for (const char *const *t = cmd->optional; t && *t; t++)
		if (!strcmp(*t, target))
			return true;
	return false;
}

/* What each program attaches to, looked up before anything is created in the kernel. */
static int resolve_targets(struct pipeline *p, struct diag *d)
{
	struct spec *s = &p->spec;
	char owner[32] = "root";
	struct stat st;
	int err;

	p->step = STEP_TRACEFS;
	err = tracefs_open(&p->tracefs);
	if (err == -EACCES && !stat(p->tracefs.path, &st)) {
		if (st.st_uid)
			fmt(owner, sizeof(owner), "uid %u", (unsigned)st.st_uid);
		/* The mode's three octal digits, each 0 to 7. */
		return diag(d, err, "tracefs: cannot read %s (mode 0%u%u%u, owner %s)",
			    p->tracefs.path, (unsigned)(st.st_mode >> 6) & 7,
			    (unsigned)(st.st_mode >> 3) & 7, (unsigned)st.st_mode & 7, owner);
	}
	if (err)
		return diag(d, err, "tracefs: %s: %s", err == -EACCES ? "cannot read it" :
			    "not mounted and cannot mount it", strerror(-err));
	narrate("tracefs: %s", p->tracefs.path);
	p->step = STEP_RESOLVE;
	p->tp_ids = calloc(s->prog_cnt, sizeof(*p->tp_ids));
	p->links = malloc(s->prog_cnt * sizeof(*p->links));
	if (!p->tp_ids || !p->links)
		return diag(d, -ENOMEM, "out of memory");
	memset(p->links, -1, s->prog_cnt * sizeof(*p->links));
	for (size_t i = 0; i < s->prog_cnt; i++) {
		struct spec_prog *prog = &s->progs[i];
		const struct sec_def *def = sec_def_find(prog->sec_name);
		int id = -EOPNOTSUPP;

		if (!def)
			return diag(d, -EOPNOTSUPP, "prog '%s': section '%s' is not a type mini-trace "
				    "can attach (tracepoint/<category>/<name> or tp/<category>/<name>)",
				    esc(prog->name), esc(prog->sec_name));
		switch (def->resolve) {
		case SEC_RESOLVE_TRACEFS_ID:
			id = p->tp_ids[i] = tracepoint_id(p->tracefs.path, prog->target);
			break;
		}
		if (id == -ENOENT && is_optional(p->opt.cmd, prog->target)) {
			narrate("prog '%s': tracepoint %s not in this kernel: skipped", esc(prog->name),
				esc(prog->target));
			prog->skip = true;
		} else if (id < 0) {
			return diag(d, id, "prog '%s': tracepoint %s: %s", esc(prog->name), esc(prog->target),
				    id == -ENOENT ? "not in this kernel" : strerror(-id));
		}
	}
	return 0;
}

/* Create maps, fill and freeze global data, load and verify programs. */
static int load(struct pipeline *p, struct diag *d)
{
	unsigned flags = 0;
	int err;

	p->step = STEP_LOAD;
	/* Before 5.17, bpf_strncmp's work is done by the program itself. */
	if (spec_calls_helper(&p->spec, BPF_FUNC_strncmp) &&
	    probe_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_strncmp) == 0) {
		narrate("kernel lacks bpf_strncmp (5.17): each call becomes a byte loop");
		flags |= LOAD_EMULATE_STRNCMP;
	}
	err = object_load(&p->obj, &p->spec, flags, d);
	if (!err)
		narrate_load(&p->obj);
	return err;
}

static void warn_lost(const struct channel *ch, int cpu, __u64 lost)
{
	error("warning: map '%s': lost %llu events on cpu %d (ring full; try a larger --buffer-pages)",
	      esc(ch->map->name), (unsigned long long)lost, cpu);
}

/* The command's own map entries, before anything runs (password: fds held before start-up). */
static int seed(struct pipeline *p, struct diag *d)
{
	int err;

	if (!p->opt.cmd->loaded)
		return 0;
	d->msg[0] = '\0';
	err = p->opt.cmd->loaded(&p->obj, &p->opt, d);
	if (err > 0)
		error("%s", d->msg);
	else if (!err && d->msg[0])
		narrate("%s", d->msg);
	return err < 0 ? err : 0;
}

/* Every perf event array gets its per-CPU rings, every ring buffer its mmap. */
static int channels_open(struct pipeline *p, struct diag *d)
{
	const struct spec *s = &p->spec;
	char line[256];
	int err;

	p->step = STEP_RINGS;
	p->chs = calloc(s->map_cnt + 1, sizeof(*p->chs));
	if (!p->chs)
		return diag(d, -ENOMEM, "out of memory");
	for (size_t i = 0; i < s->map_cnt; i++) {
		struct channel *ch = &p->chs[p->ch_cnt];

		if (!is_channel(&s->maps[i]))
			continue;
		*ch = (struct channel){ .ss = &p->ss, .map = &s->maps[i], .on_lost = warn_lost };
		p->ch_cnt++;
		err = channel_open(ch, p->obj.map_fds[i], p->opt.buffer_pages, d);
		if (err)
			return err;
		channel_describe(ch, line, sizeof(line));
		narrate("%s", line);
	}
	if (p->ch_cnt == 0)
		return diag(d, -ENOENT, "the object has no perf event array or ring buffer to report through");
	return 0;
}

/*
 * Attach: the programs run from here on, in the order the section table
 * asks (a syscall's exit before its entry).
 */
static int attach(struct pipeline *p, struct diag *d)
{
	const struct spec *s = &p->spec;
	size_t attached = 0;

	p->step = STEP_ATTACH;
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < s->prog_cnt; i++) {
			const struct spec_prog *prog = &s->progs[i];
			int fd = -EOPNOTSUPP;

			if (prog->skip || sec_attach_round(prog->sec_name, prog->target) != round)
				continue;
			switch (sec_def_find(prog->sec_name)->link) {
			case SEC_LINK_PERF_TRACEPOINT:
				fd = perf_attach_tracepoint(p->tp_ids[i], p->obj.prog_fds[i]);
				break;
			}
			if (fd < 0)
				return diag(d, fd, "prog '%s': attach to %s: %s", esc(prog->name),
					    esc(prog->target), strerror(-fd));
			p->links[i] = fd;
			attached++;
			narrate("prog '%s' attached to %s (id %d): fd %d", esc(prog->name), esc(prog->target),
				p->tp_ids[i], fd);
		}
	}
	/*
	 * From here on every event is seen: one line says so, for whoever
	 * started us in the background and waits to make events (-q: not).
	 */
	if (!p->opt.quiet || verbose)
		error("tracing: %zu programs attached; %s", attached,
		      p->opt.argv ? "running the command" : "Ctrl-C to stop");
	return 0;
}

/* The command's own state, then CMD if one was given after --. */
static int start(struct pipeline *p, struct diag *d)
{
	char **argv = p->opt.argv;
	int err;

	p->step = STEP_START;
	if (p->opt.cmd->start && p->opt.cmd->start(&p->ss))
		return diag(d, -ENOMEM, "out of memory");
	if (!argv)
		return 0;
	err = child_spawn(&p->cmd, argv);
	if (err)
		return diag(d, err, "cannot run '%s': %s", argv[0], strerror(-err));
	narrate("started '%s': pid %d", argv[0], (int)p->cmd.pid);
	return 0;
}

/* One pass over every channel, then its lines written out, even after an error. */
static int drain(struct pipeline *p)
{
	int err = 0;

	for (size_t i = 0; i < p->ch_cnt && !err; i++)
		err = channel_consume(&p->chs[i]);
	output_flush(&p->ss);	/* a failed write ends the run: ss.done */
	return err;
}

/*
 * What the signalfd said.  A signal also starts stopping CMD (child.h);
 * SIGCHLD reaps it.
 */
enum stop { GO_ON, STOP_DONE /* the command exited */, STOP_NOW /* a signal */ };

static enum stop read_signals(struct pipeline *p)
{
	struct signalfd_siginfo si;
	enum stop stop = GO_ON;

	while (read(p->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGCHLD) {
			narrate("%s: stopping", strsignal(si.ssi_signo));
			child_stop(&p->cmd, si.ssi_signo == SIGINT, now_ns());
			stop = STOP_NOW;
		} else if (p->cmd.pid > 0 && child_reap(&p->cmd)) {
			stop = stop ?: STOP_DONE;
		}
	}
	return stop;
}

/*
 * The perf rings wake us only once a part of them has filled (perf.c), so
 * a trickle of events could wait there unseen: poll() never sleeps longer
 * than this, which bounds how late a line is printed.  Under load the
 * rings wake us long before it; when idle it costs ten wakeups a second.
 */
#define POLL_TICK_MS 100

/* Starts stopping CMD, if it runs, and takes the step of it that is due. */
static void stop_child(struct pipeline *p, int why)
{
	int sent;

	if (p->cmd.pid <= 0)
		return;
	if (!p->cmd.next_ns)
		child_stop(&p->cmd, why == SIGINT, now_ns());
	sent = child_stop_step(&p->cmd, now_ns());
	if (sent > 0)
		narrate("command still running: sent %s", sent == SIGKILL ? "SIGKILL" : "SIGTERM");
}

/*
 * The run is over: CMD, if it still runs, is stopped and reaped (SIGTERM,
 * SIGKILL a second later), or given up on a second after that.
 */
static void end_child(struct pipeline *p)
{
	while (!child_reap(&p->cmd)) {
		struct pollfd pfd = { .fd = p->sigfd, .events = POLLIN };
		struct signalfd_siginfo si;
		int next;

		stop_child(p, SIGTERM);
		if (child_stop_step(&p->cmd, now_ns()) == -ETIMEDOUT) {
			error("warning: the command (pid %d) is still there after SIGKILL; left behind",
			      (int)p->cmd.pid);
			return;
		}
		next = child_next_ms(&p->cmd, now_ns());
		/* SIGCHLD wakes us; another signal takes the next step at once. */
		if (poll(&pfd, 1, next < 0 ? POLL_TICK_MS : next) > 0)
			while (read(p->sigfd, &si, sizeof(si)) == sizeof(si))
				if (si.ssi_signo != SIGCHLD)
					child_stop(&p->cmd, false, now_ns());
	}
}

/* How CMD ended, for -v. */
static void narrate_child(const struct child *c)
{
	if (!c->exited)
		return;
	if (WIFSIGNALED(c->status))
		narrate("command killed by signal %d (%s): status %d", WTERMSIG(c->status),
			strsignal(WTERMSIG(c->status)), child_exit_status(c));
	else
		narrate("command exited: status %d", child_exit_status(c));
}

/*
 * How long lines may still be written once a signal or --timeout has
 * stopped the run: what stdout has not taken by then is counted, not
 * waited for.
 */
#define STOP_GRACE_MS 500

/*
 * The event loop.  Signals arrive through a signalfd, so SIGINT, SIGTERM,
 * SIGHUP and SIGCHLD wake the same poll() that waits for the rings and for
 * stdout, and a stop is always followed by one last pass over every ring.
 * Nothing in it blocks but poll(): lines are written only when stdout
 * takes them (output.c), and while it takes none the rings are not read.
 * So a reader that stalls can delay the end by STOP_GRACE_MS at most after
 * a signal or --timeout; a reader that goes away shows as POLLERR on a
 * pipe (pipe_poll(), fs/pipe.c) or POLLHUP on a socket, and ends the run
 * at once.  After the command exits, its lines are waited for.
 *
 * When the run ends first (a signal, --once, --timeout, an error), CMD is
 * sent SIGTERM at once (after SIGINT, a second later: child.h), and once
 * the last lines are out, waited for, then killed, so it never outlives us.
 */
static int event_loop(struct pipeline *p)
{
	const struct options *opt = &p->opt;
	struct session *ss = &p->ss;
	long long deadline = 0, give_up = 0;
	bool stop = false, last_pass = false, watch = output_watchable(ss);
	size_t n = p->ch_cnt;
	struct pollfd fds[n + 2];
	int err = 0;

	if (opt->timeout_ms >= 0)
		deadline = now_ns() + opt->timeout_ms * 1000000;
	fds[0] = (struct pollfd){ .fd = p->sigfd, .events = POLLIN };
	for (size_t i = 0; i < n; i++)
		fds[i + 1] = (struct pollfd){ .fd = channel_fd(&p->chs[i]) };
	fds[n + 1] = (struct pollfd){ .fd = STDOUT_FILENO };
	for (;;) {
		int timeout_ms = POLL_TICK_MS;
		long long t = now_ns(), until = give_up ?: deadline;
		enum stop why;

		if (stop || ss->done || err)
			stop_child(p, SIGTERM);

		/*
		 * Once stopped: one whole pass over the rings that stdout did
		 * not cut short, and every line written.  (The exit and read
		 * tracepoints run in the traced task before it can be reaped,
		 * so once waitpid() has returned its events are in the rings.)
		 */
		if (stop && !ss->done && !last_pass && !output_full(ss)) {
			err = drain(p);
			last_pass = !output_full(ss);
		}
		if (err || ss->broken_pipe || ss->write_err ||
		    ((stop || ss->done) && (last_pass || ss->done) && !output_pending(ss)))
			break;
		if (until && t >= until) {
			if (give_up)
				break;
			/* --timeout: stop, with a little time to write what is left. */
			stop = true;
			give_up = t + STOP_GRACE_MS * 1000000LL;
			continue;
		}
		if (until && until - t < POLL_TICK_MS * 1000000LL)
			timeout_ms = (until - t + 999999) / 1000000;	/* rounded up */
		/* The rings are read until the stop, and while stdout takes lines. */
		for (size_t i = 0; i < n; i++)
			fds[i + 1].events = stop || ss->done || output_full(ss) ? 0 : POLLIN;
		fds[n + 1].events = output_pending(ss) ? POLLOUT : 0;
		fds[n + 1].fd = watch || output_pending(ss) ? STDOUT_FILENO : -1;
		if (poll(fds, n + 2, timeout_ms) < 0 && errno != EINTR) {
			err = -errno;
			break;		/* CMD is still ended below */
		}
		if ((fds[n + 1].revents & (POLLERR | POLLHUP)) && !output_pending(ss))
			output_gone(ss);
		output_flush(ss);
		if (!stop && !ss->done && !output_full(ss)) {
			err = drain(p);
			if (err)
				break;
		}
		why = fds[0].revents & POLLIN ? read_signals(p) : GO_ON;
		stop = stop || why != GO_ON;
		if (why == STOP_NOW && !give_up)
			give_up = now_ns() + STOP_GRACE_MS * 1000000LL;
	}
	if (!err && !ss->broken_pipe && !ss->write_err && output_pending(ss)) {
		/* stdout took too little: the rest is counted, the rings included. */
		output_abandon(ss);
		if (!last_pass && !ss->done)
			err = drain(p);
	}
	end_child(p);
	return err;
}

/* Print events until the command exits, a signal, --once or --timeout. */
static int events(struct pipeline *p, struct diag *d)
{
	int err;

	p->step = STEP_EVENTS;
	err = event_loop(p);
	narrate_child(&p->cmd);
	if (err && err != -EPIPE)
		return diag(d, err, "reading events: %s", strerror(-err));
	return 0;
}

/*
 * What became of the lines: a failed write is an error (status 1), lines a
 * stalled reader never took are a warning, a reader that went away is
 * nothing to say.
 */
static int report_output(const struct session *ss)
{
	if (ss->write_err) {
		error("stdout: %s: %llu line%s not written%s", strerror(ss->write_err),
		      (unsigned long long)ss->unwritten, ss->unwritten == 1 ? "" : "s",
		      ss->cut_left ? ", the last one written is cut short" : "");
		return -ss->write_err;
	}
	if (ss->unwritten && !ss->broken_pipe)
		error("warning: %llu line%s not written: stdout blocked",
		      (unsigned long long)ss->unwritten, ss->unwritten == 1 ? "" : "s");
	return 0;
}

/*
 * The end of any run: what is pending printed, and written as far as
 * stdout takes it, before the verdict (--expect) and the count of events
 * lost.
 */
static int finish(struct pipeline *p, int status, struct diag *d)
{
	const struct command *cmd = p->opt.cmd;
	int verdict = cmd->finish ? cmd->finish(&p->ss, d) : 0;
	__u64 lost = 0, counted = 0;

	output_close(&p->ss, p->ss.abandoned ? 0 : STOP_GRACE_MS);
	if (report_output(&p->ss))
		status = EXIT_RUNTIME;
	if (verdict && status == EXIT_OK) {
		error("%s", d->msg);
		status = EXIT_RUNTIME;
	}
	if (status != EXIT_OK && !p->ss.events)
		return status;
	/*
	 * PERF_RECORD_LOST reaches us only with a later record that fits, and
	 * a full ring buffer reports nothing at all: where the programs count
	 * their failed outputs, that count is the truth.
	 */
	for (size_t i = 0; i < p->ch_cnt; i++)
		lost += channel_lost(&p->chs[i]);
	if (!object_read_var(&p->obj, "events_lost", &counted, sizeof(counted), d) &&
	    counted > lost)
		lost = counted;
	narrate("events: %llu, lost: %llu", (unsigned long long)p->ss.events,
		(unsigned long long)lost);
	if (lost)
		error("warning: %llu events were lost in all", (unsigned long long)lost);
	for (const struct missed *m = cmd->missed; m && m->var; m++) {
		__u64 n = 0;

		if (!object_read_var(&p->obj, m->var, &n, sizeof(n), d) && n)
			error("warning: %llu %s", (unsigned long long)n, m->what);
	}
	if (p->ss.malformed)
		error("warning: %llu records were malformed and skipped",
		      (unsigned long long)p->ss.malformed);
	return status;
}

/*
 * Closing the fds detaches and frees everything: nothing is pinned.  Every
 * line is written: the slow part goes to the background, or is done here
 * if no child could be made.
 */
static void pipeline_close(struct pipeline *p)
{
	if (p->links) {
		detach_in_background(p->links, p->spec.prog_cnt, p->sigfd);
		perf_detach_all(p->links, p->spec.prog_cnt);
	}
	for (size_t i = 0; p->chs && i < p->spec.map_cnt; i++)
		channel_close(&p->chs[i]);
	free(p->chs);
	free(p->links);
	free(p->tp_ids);
	object_close(&p->obj);
	tracefs_close(&p->tracefs);
	spec_free(&p->spec);
	free(p->file);
	if (p->sigfd >= 0)
		close(p->sigfd);
}

int main(int argc, char **argv)
{
	struct pipeline p = { .sigfd = -1, .ss.opt = &p.opt };
	struct diag d = { "" };
	int err, status;

	/* A reader that went away is EPIPE from write(2), from --help on. */
	signal(SIGPIPE, SIG_IGN);
	err = parse_args(argc, argv, &p.opt);
	if (err)
		return err == ARGS_ANSWERED ? EXIT_OK : err > 0 ? EXIT_RUNTIME : EXIT_USAGE;
	verbose = p.opt.verbose;

	err = signals_open(&p, &d);
	/* Before 5.11 bpf(2) charges RLIMIT_MEMLOCK, from the first load (the probe) on. */
	if (!err)
		raise_memlock();
	/* The object, parsed and patched: no kernel involved yet. */
	err = err ?: object_bytes(&p, &d);
	err = err ?: parse(&p, &d);
	/* Look every tracepoint up before creating anything in the kernel. */
	err = err ?: resolve_targets(&p, &d);
	/* Maps, global data and programs, loaded and verified. */
	err = err ?: load(&p, &d);
	/* What the command writes into the maps itself, before anything runs. */
	err = err ?: seed(&p, &d);
	/* The output maps, wired to rings we can read. */
	err = err ?: channels_open(&p, &d);
	/* From here on the programs run. */
	err = err ?: attach(&p, &d);
	err = err ?: start(&p, &d);
	err = err ?: events(&p, &d);

	if (err)
		report_error(&p, err, &d);
	status = !err ? EXIT_OK : p.step == STEP_PARSE ? EXIT_BADOBJ : EXIT_RUNTIME;
	status = finish(&p, status, &d);
	/*
	 * CMD's status is ours, as with strace and time; --expect's verdict is
	 * its own.  A CMD given up on (still there after SIGKILL) has none.
	 */
	if (status == EXIT_OK && p.cmd.pid > 0)
		status = EXIT_RUNTIME;
	else if (status == EXIT_OK && p.cmd.exited && !p.opt.expect)
		status = child_exit_status(&p.cmd);
	pipeline_close(&p);
	return status;
}
