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
#include <linux/btf.h>

#include "bpf.h"
#include "channel.h"
#include "child.h"
#include "command.h"
#include "events.h"
#include "file.h"
#include "kfiles.h"
#include "explain.h"
#include "object.h"
#include "log.h"
#include "loop.h"
#include "lzma.h"
#include "narrate.h"
#include "core_load.h"
#include "options.h"
#include "output.h"
#include "perf_event.h"
#include "probe.h"
#include "sections.h"
#include "spec.h"
#include "syscalls.h"

enum { EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_BADOBJ };

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

/* ---- the pipeline ------------------------------------------------------- */

/* The steps, in order: what failed decides the hint and the exit status. */
enum step {
	STEP_SETUP,
	STEP_READ,
	STEP_PARSE,
	STEP_CONFIGURE,
	STEP_TRACEFS,
	STEP_RESOLVE,
	STEP_LOAD,
	STEP_RINGS,
	STEP_ATTACH,
	STEP_START,
	STEP_EVENTS,
};

/* Everything the run holds; pipeline_close() is safe at any point. */
struct pipeline {
	struct options opt;
	struct session ss;
	enum step step;	     /* the one running, or the one that failed */
	unsigned char *file; /* the object's bytes; the spec points into them */
	size_t size;
	struct spec spec;
	struct object obj;
	struct tracefs tracefs;
	int *tp_ids;	     /* per program: its tracepoint's id */
	int *links;	     /* per program: the attached perf event, or -1 */
	struct channel *chs; /* per perf event array or ring buffer */
	size_t ch_cnt;
	/* Per program: its kprobe or uprobe.  Kprobes made in tracefs are removed after detaching. */
	struct probe *probes;
	bool legacy_kprobes;
	int sigfd;
	struct child cmd;  /* the command after --, if any (child.h) */
	size_t fds_needed; /* about how many fds the run takes, once parsed */
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
	{ STEP_TRACEFS, -EACCES,
	  "run as root, or with CAP_DAC_READ_SEARCH as well as CAP_BPF "
	  "and CAP_PERFMON" },
	{ STEP_TRACEFS, -EPERM,
	  "mounting it needs CAP_SYS_ADMIN: run as root, or mount it "
	  "first: mount -t tracefs nodev /sys/kernel/tracing" },
	{ STEP_LOAD, -EPERM, NEED_CAPS },
	{ STEP_RINGS, -EPERM,
	  "the rings exceed the locked-memory limit: try a smaller --buffer-pages" },
	{ STEP_ATTACH, -EPERM, NEED_CAPS },
	{ STEP_ATTACH, -EACCES,
	  "it reads past the end of the tracepoint's record: "
	  "compare with its format file" },
	/*
	 * One tracepoint runs at most BPF_TRACE_MAX_PROGS programs, every
	 * tool's together (perf_event_attach_bpf_prog(), kernel/trace/bpf_trace.c).
	 */
	{ STEP_ATTACH, -E2BIG,
	  "the kernel allows at most 64 BPF programs on one tracepoint, "
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

/*
 * Where a rejected program stopped, in its source, and why in plain words
 * (explain.c): the last lines a learner reads.
 */
static void explain_rejection(const char *log)
{
	/* The source text and the message quote the object: escaped. */
	char src[4 * sizeof(((struct explained *)0)->source) + 1];
	char msg[4 * sizeof(((struct explained *)0)->message) + 1];
	struct explained x;

	if (verifier_explain(log, &x))
		return;
	src[escape(src, x.source, strlen(x.source), 0, false)] = '\0';
	msg[escape(msg, x.message, strlen(x.message), 0, false)] = '\0';
	if (x.line)
		error("%s:%u: %s", esc(x.file), x.line, src);
	error("verifier: %s", msg);
	if (x.hint)
		error("hint: %s", x.hint);
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
	error("%s%s%s%s%s%s", path ?: "", path ? ": " : "", d->msg, hint ? " (" : "", hint ?: "",
	      hint ? ")" : "");
	if (p->step == STEP_LOAD) {
		print_log(p->obj.log);
		explain_rejection(p->obj.log);
	}
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
	p->file = lzma_unpack(cmd->obj, cmd->obj_end - cmd->obj, &p->size);
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
	p->fds_needed = fds_needed(&p->spec); /* while there are fds to count CPUs with */
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

/* The kernel type a TRACING program attaches to (core_tracing_target_id). */
static int resolve_btf_target(struct spec_prog *prog, struct diag *d)
{
	bool tp = prog->expected_attach_type == BPF_TRACE_RAW_TP;
	struct diag e;
	int id;

	if (!*prog->target)
		return diag(d, -EINVAL, "prog '%s': section '%s' names no %s", esc(prog->name),
			    esc(prog->sec_name), tp ? "tracepoint" : "function");
	id = core_tracing_target_id(prog, &e);
	if (id == -ENAMETOOLONG)
		return diag(d, id, "prog '%s': '%s': name too long", esc(prog->name),
			    esc(prog->target));
	if (id == -ENOENT && !e.msg[0])
		return diag(d, id, "prog '%s': %s: %s %s is not in this kernel's BTF",
			    esc(prog->name), esc(prog->sec_name), tp ? "tracepoint" : "function",
			    esc(prog->target));
	if (id < 0)
		return diag(d, id, "prog '%s': %s: %s", esc(prog->name), esc(prog->sec_name),
			    e.msg);
	prog->attach_btf_id = id;
	narrate("prog '%s': %s is BTF type %d of the kernel's (%s)", esc(prog->name),
		esc(prog->target), id, tp ? "TYPEDEF btf_trace_..." : "FUNC");
	return 0;
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
		return diag(d, err, "tracefs: %s: %s",
			    err == -EACCES ? "cannot read it" : "not mounted and cannot mount it",
			    strerror(-err));
	narrate("tracefs: %s", p->tracefs.path);
	core_set_tracefs(p->tracefs.path);
	p->step = STEP_RESOLVE;
	p->tp_ids = calloc(s->prog_cnt, sizeof(*p->tp_ids));
	p->probes = calloc(s->prog_cnt, sizeof(*p->probes));
	p->links = malloc(s->prog_cnt * sizeof(*p->links));
	if (!p->tp_ids || !p->probes || !p->links)
		return diag(d, -ENOMEM, "out of memory");
	memset(p->links, -1, s->prog_cnt * sizeof(*p->links));
	for (size_t i = 0; i < s->prog_cnt; i++) {
		struct spec_prog *prog = &s->progs[i];
		const struct sec_def *def = sec_def_find(prog->sec_name);
		struct probe *pr = &p->probes[i];
		struct diag e;
		int id = -EOPNOTSUPP;

		if (!def)
			return diag(d, -EOPNOTSUPP,
				    "prog '%s': section '%s' is not a type mini-trace "
				    "can attach (tracepoint/, tp/, raw_tp/, kprobe/, kretprobe/, "
				    "ksyscall/, kretsyscall/, uprobe/, uretprobe/, fentry/, fexit/ "
				    "or tp_btf/)",
				    esc(prog->name), esc(prog->sec_name));
		switch (def->resolve) {
		case SEC_RESOLVE_TRACEFS_ID:
			id = p->tp_ids[i] = tracepoint_id(p->tracefs.path, prog->target);
			break;
		case SEC_RESOLVE_NAME:
			if (!*prog->target)
				return diag(d, -EINVAL,
					    "prog '%s': section '%s' names no tracepoint",
					    esc(prog->name), esc(prog->sec_name));
			continue;
		case SEC_RESOLVE_KERNEL_FUNC:
			err = kprobe_resolve(pr, prog->target, def->retprobe, def->syscall,
					     getenv("MINI_TRACE_KPROBE_LEGACY"), p->tracefs.path,
					     &e);
			if (err)
				return diag(d, err, "prog '%s': %s: %s", esc(prog->name),
					    esc(prog->sec_name), e.msg);
			if (pr->pmu_type < 0 && !p->legacy_kprobes) {
				p->legacy_kprobes = true;
				err = kprobe_legacy_sweep(p->tracefs.path);
				if (err > 0)
					narrate("kprobe_events: removed %d entries of runs that were killed",
						err);
			}
			continue;
		case SEC_RESOLVE_ELF_FUNC:
			err = uprobe_resolve(pr, prog->target, def->retprobe, &e);
			if (err)
				return diag(d, err, "prog '%s': %s", esc(prog->name), e.msg);
			continue;
		case SEC_RESOLVE_KERNEL_BTF:
			err = resolve_btf_target(prog, d);
			if (err)
				return err;
			continue;
		}
		if (id == -ENOENT && is_optional(p->opt.cmd, prog->target)) {
			narrate("prog '%s': tracepoint %s not in this kernel: skipped",
				esc(prog->name), esc(prog->target));
			prog->skip = true;
		} else if (id < 0) {
			return diag(d, id, "prog '%s': tracepoint %s: %s", esc(prog->name),
				    esc(prog->target),
				    id == -ENOENT ? "not in this kernel" : strerror(-id));
		}
	}
	return 0;
}

/* -v: each CO-RE relocation and extern, as it is applied (load/core_load.c). */
static void note_core(const char *prog, const char *line)
{
	narrate("prog '%s': %s", esc(prog), esc(line));
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

/*
 * The command's own map entries: before anything runs (password: fds held
 * before start-up), or once the programs run (exit: the processes already
 * running, whose threads the programs count from then on).
 */
static int seed(struct pipeline *p, bool running, struct diag *d)
{
	int err;

	if (!p->opt.cmd->loaded || p->opt.cmd->seed_running != running)
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
		return diag(d, -ENOENT,
			    "the object has no perf event array or ring buffer to report through");
	/* bpf_printk's lines, shown with the rest (the slot calloc left for it). */
	if (spec_calls_helper(s, BPF_FUNC_trace_printk)) {
		struct channel *ch = &p->chs[p->ch_cnt];

		*ch = (struct channel){ .ss = &p->ss, .tp.fd = -1 };
		p->ch_cnt++;
		err = channel_open_printk(ch, p->tracefs.path, d);
		/* Since 6.x trace_pipe has one reader at a time (EBUSY for the next). */
		if (err == -EBUSY) {
			p->ch_cnt--;
			error("warning: bpf_printk: another reader has the kernel's trace_pipe: "
			      "its lines are not shown");
			return 0;
		}
		if (err)
			return err;
		error("bpf_printk: its lines are read from the kernel's trace buffer, which the "
		      "whole machine shares: other programs' lines show too, and are gone for "
		      "other readers");
	}
	return 0;
}

/*
 * What the kernel's refusal to attach means, where errno alone says less:
 * a kprobe's or raw tracepoint's target looked up only now.
 */
static const char *attach_error(const struct spec_prog *prog, int err)
{
	/*
	 * EINVAL too where the kernel has no CONFIG_KPROBES_ON_FTRACE and the
	 * place is a function's ftrace site (check_ftrace_location(),
	 * kernel/kprobes.c): riscv64's entry, whose kprobes must go past it.
	 */
	if (err == -ENOENT && prog->attach == SPEC_ATTACH_KPROBE)
		return "not a function this kernel can probe";
	if (err == -EINVAL && prog->attach == SPEC_ATTACH_KPROBE)
		return "the kernel refuses a kprobe there (EINVAL): not a function it can probe, "
		       "or its ftrace site on a kernel without CONFIG_KPROBES_ON_FTRACE";
	if (err == -ENOENT && prog->attach == SPEC_ATTACH_RAW_TP)
		return "no such tracepoint in this kernel";
	/*
	 * ENOTSUPP (524, a kernel-internal errno libc has no text for): no
	 * BPF trampoline on this architecture (arch_prepare_bpf_trampoline(),
	 * kernel/bpf/trampoline.c): arm64 before 6.0, or a kernel without
	 * DYNAMIC_FTRACE_WITH_DIRECT_CALLS.
	 */
	if (err == -524 && prog->attach == SPEC_ATTACH_TRACING)
		return "this kernel makes no BPF trampolines on this architecture, which fentry "
		       "and fexit need (ENOTSUPP)";
	return strerror(-err);
}

static const char *tracing_kind(const struct spec_prog *prog)
{
	switch (prog->expected_attach_type) {
	case BPF_TRACE_FENTRY: return "fentry";
	case BPF_TRACE_FEXIT: return "fexit";
	default: return "tp_btf";
	}
}

/*
 * Attach: the programs run from here on, in the order the section table
 * asks (ends before beginnings: sec_attach_round()).
 */
static int attach(struct pipeline *p, struct diag *d)
{
	const struct spec *s = &p->spec;
	size_t attached = 0;
	char how[PATH_MAX + 128];

	p->step = STEP_ATTACH;
	for (int round = 0; round < SEC_ATTACH_ROUNDS; round++) {
		for (size_t i = 0; i < s->prog_cnt; i++) {
			const struct spec_prog *prog = &s->progs[i];
			int fd = -EOPNOTSUPP;

			if (prog->skip || sec_attach_round(prog->sec_name, prog->target) != round)
				continue;
			switch (sec_def_find(prog->sec_name)->link) {
			case SEC_LINK_PERF_TRACEPOINT:
				fd = perf_attach_tracepoint(p->tp_ids[i], p->obj.prog_fds[i]);
				fmt(how, sizeof(how), "%s (id %d)", esc(prog->target),
				    p->tp_ids[i]);
				break;
			case SEC_LINK_RAW_TRACEPOINT:
				fd = bpf_raw_tracepoint_open(prog->target, p->obj.prog_fds[i]);
				fmt(how, sizeof(how), "raw tracepoint %s (BPF_RAW_TRACEPOINT_OPEN)",
				    esc(prog->target));
				break;
			case SEC_LINK_PERF_PROBE:
				fd = probe_attach(&p->probes[i], p->obj.prog_fds[i],
						  p->tracefs.path, (int)i);
				probe_describe(&p->probes[i], how, sizeof(how));
				break;
			case SEC_LINK_TRACING:
				fd = bpf_raw_tracepoint_open(NULL, p->obj.prog_fds[i]);
				fmt(how, sizeof(how), "%s %s (BTF id %u, BPF_RAW_TRACEPOINT_OPEN)",
				    tracing_kind(prog), esc(prog->target), prog->attach_btf_id);
				break;
			}
			if (fd < 0)
				return diag(d, fd, "prog '%s': attach to %s: %s", esc(prog->name),
					    prog->attach == SPEC_ATTACH_KPROBE ||
							    prog->attach == SPEC_ATTACH_TRACING
						    ? how
						    : esc(prog->target),
					    attach_error(prog, fd));
			p->links[i] = fd;
			attached++;
			narrate("prog '%s' attached to %s: fd %d", esc(prog->name), how, fd);
		}
	}
	/*
	 * From here on every event is seen: one line says so, for whoever
	 * started us in the background and waits to make events (-q: not).
	 */
	if (!p->opt.quiet || log_verbose())
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

/* Print events until the command exits, a signal, --once or --timeout. */
static int events(struct pipeline *p, struct diag *d)
{
	int err;

	p->step = STEP_EVENTS;
	err = event_loop(&(struct loop){ &p->opt, &p->ss, p->chs, p->ch_cnt, p->sigfd, &p->cmd });
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
		/* A verdict the command printed itself (grade) has no message. */
		if (d->msg[0])
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

/* The legacy kprobes' entries, their events closed: in the detaching child. */
struct legacy_removal {
	struct probe *probes;
	size_t n;
	int fd; /* kprobe_events */
};

static void legacy_remove(void *arg)
{
	struct legacy_removal *r = arg;

	for (size_t i = 0; i < r->n; i++)
		probe_remove_at(&r->probes[i], r->fd);
}

/*
 * Closing the fds detaches and frees everything: nothing is pinned.  Every
 * line is written: the slow part goes to the background, or is done here
 * if no child could be made.
 */
static void pipeline_close(struct pipeline *p)
{
	if (p->links) {
		/*
		 * A kprobe made in kprobe_events goes only once its event is
		 * closed, and its removal waits for RCU grace periods as the
		 * close does (unregister_kprobe(), kernel/kprobes.c): the
		 * detaching child removes it after the closes, through a file
		 * opened here, which stays valid if tracefs_close() unmounts.
		 * A child killed first leaves the entries to the next run's
		 * sweep (kprobe_legacy_sweep()), as a killed run does.
		 */
		struct legacy_removal r = { p->probes, p->spec.prog_cnt, -1 };
		size_t n = 0;
		pid_t pid;

		if (p->legacy_kprobes)
			r.fd = kprobe_events_open(p->tracefs.path);
		for (size_t i = 0; i < p->spec.prog_cnt; i++)
			n += p->links[i] >= 0;
		/* trace_pipe's one reader must not live on in the detaching child. */
		for (size_t i = 0; p->chs && i < p->ch_cnt; i++)
			if (!p->chs[i].map)
				channel_close(&p->chs[i]);
		pid = perf_detach_in_background(p->links, p->spec.prog_cnt, p->sigfd,
						r.fd >= 0 ? legacy_remove : NULL, &r);
		if (pid > 0)
			narrate("detaching %zu program%s in the background (pid %d)", n,
				n == 1 ? "" : "s", (int)pid);
		if (pid > 0 && r.fd >= 0)
			p->legacy_kprobes = false; /* the child's to remove */
		perf_detach_all(p->links, p->spec.prog_cnt);
		if (r.fd >= 0)
			close(r.fd);
	}
	/* No child to hand them to: their events are closed, removed here. */
	for (size_t i = 0; p->legacy_kprobes && i < p->spec.prog_cnt; i++)
		if (probe_remove(&p->probes[i], p->tracefs.path))
			error("warning: kprobe_events: cannot remove kprobes/%s",
			      p->probes[i].legacy);
	for (size_t i = 0; p->chs && i < p->ch_cnt; i++)
		channel_close(&p->chs[i]);
	free(p->chs);
	free(p->links);
	free(p->tp_ids);
	free(p->probes);
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

	/* Started as one of an exercise's programs (cmd_grade.c): that, and nothing else. */
	if (getenv("MINI_TRACE_ROLE"))
		return grade_role(getenv("MINI_TRACE_ROLE"), argc, argv);
	/* A reader that went away is EPIPE from write(2), from --help on. */
	signal(SIGPIPE, SIG_IGN);
	err = parse_args(argc, argv, &p.opt);
	if (err)
		return err == ARGS_ANSWERED ? EXIT_OK : err > 0 ? EXIT_RUNTIME : EXIT_USAGE;
	log_set_verbose(p.opt.verbose);
	syscalls_show(p.opt.verbose >= 2, p.opt.json);
	core_set_btf_path(p.opt.btf);
	core_note = note_core;

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
	err = err ?: seed(&p, false, &d);
	/* The output maps, wired to rings we can read. */
	err = err ?: channels_open(&p, &d);
	/* From here on the programs run. */
	err = err ?: attach(&p, &d);
	err = err ?: seed(&p, true, &d);
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
