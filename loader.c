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
 * before load, and how it prints an event.  Only this file prints errors and
 * picks exit statuses: 0 success, 1 runtime error, 2 usage error, 3 an object
 * file that is not a valid BPF object or asks for what mini-trace cannot do.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <ctype.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include "events.h"
#include "kfiles.h"
#include "lz4.h"
#include "object.h"
#include "output.h"
#include "perf_event.h"
#include "perfbuf.h"
#include "ringbuf.h"
#include "spec.h"

#ifndef MINI_TRACE_VERSION
#define MINI_TRACE_VERSION "0.1"
#endif

enum { EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_BADOBJ };

/*
 * Per CPU, 1 MiB of ring: at the password command's 80 bytes for a small
 * read, 13,000 records, some 17 ms of a storm of reads for the reader to be
 * late by (a busy machine's scheduler) before any is lost.  Ring pages are
 * locked kernel memory: past perf_event_mlock_kb (516 KiB per CPU by
 * default), mmap() fails with EPERM for a user without CAP_IPC_LOCK
 * (perf_mmap(), kernel/events/core.c), and the default then halves down to
 * MIN_AUTO_PAGES, which always fits.  An explicit --buffer-pages is kept.
 */
#define DEFAULT_BUFFER_PAGES 256
#define MIN_AUTO_PAGES 128

extern char **environ;

/* -v: 0 errors and warnings only, 1 the narration of each step. */
static int verbose;

enum log_level { LOG_ERROR, LOG_INFO };

/* One message, one write(2): a line of ours is never split by another's. */
static void vsay(const char *f, va_list ap, const char *after)
{
	char msg[1024];

	fmt_v(msg, sizeof(msg), f, ap);
	fmt_write(STDERR_FILENO, "mini-trace: %s%s\n", msg, after);
}

__attribute__((format(printf, 2, 3)))
static void say(enum log_level level, const char *f, ...)
{
	va_list ap;

	if ((int)level > verbose)
		return;
	va_start(ap, f);
	vsay(f, ap, "");
	va_end(ap);
}

#define error(...) say(LOG_ERROR, __VA_ARGS__)
#define narrate(...) say(LOG_INFO, __VA_ARGS__)

/* ---- command line ------------------------------------------------------ */

static void usage(void)
{
	fmt_write(STDOUT_FILENO,
		"usage: mini-trace exit [OPTIONS] [-- CMD [ARGS...]]\n"
		"       mini-trace password [OPTIONS] [-- CMD [ARGS...]]\n"
		"       mini-trace run OBJECT [OPTIONS] [-- CMD [ARGS...]]\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < command_cnt; i++)
		fmt_write(STDOUT_FILENO, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fmt_write(STDOUT_FILENO,
		"\n"
		"Options:\n"
		"  --comm NAME         exit: the process name to report (default exit_with_code,\n"
		"                      at most 15 bytes)\n"
		"  --file PATH         password: the absolute path to watch (default /tmp/password)\n"
		"  --expect VALUE      run: succeed only if exactly one answer arrives, equal to VALUE\n"
		"  --json              one JSON object per line\n"
		"  --once              exit after the first event\n"
		"  --timeout SEC       exit after SEC seconds (to the millisecond: 2, 0.5, 1.25)\n"
		"  --buffer-pages N    perf ring size per CPU, in pages (power of two, default %d)\n"
		"  -v, --verbose       narrate each step on stderr\n"
		"  -h, --help          show this help\n"
		"  --version           show the version\n"
		"\n"
		"With -- CMD, mini-trace attaches, runs CMD, and exits once CMD has exited\n"
		"and every event it caused has been printed.\n"
		"Exit status: 0 success, 1 runtime error (or --expect not met), 2 usage error,\n"
		"3 invalid or unsupported BPF object.\n",
		DEFAULT_BUFFER_PAGES);
}

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsay(f, ap, " (see 'mini-trace --help')");
	va_end(ap);
	return -EINVAL;
}

/*
 * A decimal number with at most `decimals` digits after the point, as a
 * count of 10^-decimals units ("1.25" with 3 decimals: 1250), up to max
 * (far below ULLONG_MAX / 10^(decimals + 1)).  Digits first; no sign,
 * blanks or exponent.
 */
static int parse_decimal(const char *s, int decimals, unsigned long long max,
			 unsigned long long *out)
{
	unsigned long long v = 0;
	int frac = -1;		/* digits after the point; -1: no point yet */

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; *s; s++) {
		if (*s == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (!isdigit((unsigned char)*s) || frac == decimals || v > max)
			return -EINVAL;
		v = v * 10 + (*s - '0');
		frac += frac >= 0;
	}
	if (frac == 0)
		return -EINVAL;		/* "2." */
	for (frac = frac < 0 ? 0 : frac; frac < decimals; frac++)
		v *= 10;
	if (v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Which command an option belongs to, when not all. */
static int only_for(const struct options *opt, const char *option, const char *cmd)
{
	if (strcmp(opt->cmd->name, cmd))
		return usage_error("%s applies to '%s' only", option, cmd);
	return 0;
}

/* Returns 0, 1 when --help or --version was answered, or -EINVAL. */
static int parse_args(int argc, char **argv, struct options *opt)
{
	enum { OPT_COMM = 256, OPT_FILE, OPT_EXPECT, OPT_JSON, OPT_ONCE, OPT_TIMEOUT, OPT_PAGES,
	       OPT_VERSION };
	static const struct option longopts[] = {
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "file", required_argument, NULL, OPT_FILE },
		{ "expect", required_argument, NULL, OPT_EXPECT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "buffer-pages", required_argument, NULL, OPT_PAGES },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long num;
	int c;

	*opt = (struct options){
		.comm = "exit_with_code",
		.file = "/tmp/password",
		.timeout_ms = -1,
		.buffer_pages = 0,	/* DEFAULT_BUFFER_PAGES, or less if need be */
	};
	if (argc < 2)
		return usage_error("no command given");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage();
		return 1;
	}
	if (!strcmp(argv[1], "--version")) {
		fmt_write(STDOUT_FILENO, "mini-trace %s\n", MINI_TRACE_VERSION);
		return 1;
	}
	for (size_t i = 0; i < command_cnt; i++)
		if (!strcmp(argv[1], commands[i].name))
			opt->cmd = &commands[i];
	if (!opt->cmd)
		return usage_error("unknown command '%s'", argv[1]);

	argc--, argv++;
	opterr = 0;
	/*
	 * "+": stop at the first non-option, so CMD's own options stay its
	 * own.  For run, that first non-option is the object; parsing then
	 * carries on after it.
	 */
	for (;;) {
		c = getopt_long(argc, argv, "+:vh", longopts, NULL);
		if (c == -1) {
			if (!opt->cmd->obj && !opt->object && optind < argc &&
			    strcmp(argv[optind - 1], "--")) {
				opt->object = argv[optind++];
				continue;
			}
			break;
		}
		switch (c) {
		case OPT_COMM:
			if (strlen(optarg) == 0 || strlen(optarg) >= TASK_COMM_LEN)
				return usage_error("--comm '%s': a process name is 1 to %d bytes",
						   optarg, TASK_COMM_LEN - 1);
			opt->comm = optarg;
			if (only_for(opt, "--comm", "exit"))
				return -EINVAL;
			break;
		case OPT_FILE:
			if (optarg[0] != '/')
				return usage_error("--file '%s': the path must be absolute", optarg);
			if (strlen(optarg) >= PASSWORD_PATH_MAX)
				return usage_error("--file: the path is longer than %d bytes",
						   PASSWORD_PATH_MAX - 1);
			opt->file = optarg;
			if (only_for(opt, "--file", "password"))
				return -EINVAL;
			break;
		case OPT_EXPECT:
			opt->expect = optarg;
			if (only_for(opt, "--expect", "run"))
				return -EINVAL;
			break;
		case OPT_JSON:
			opt->json = true;
			break;
		case OPT_ONCE:
			opt->once = true;
			break;
		case OPT_TIMEOUT:
			if (parse_decimal(optarg, 3, 365 * 86400 * 1000ULL, &num))
				return usage_error("--timeout '%s': want a number of seconds "
						   "(at most 3 decimals)", optarg);
			opt->timeout_ms = num;
			break;
		case OPT_PAGES:
			if (parse_decimal(optarg, 0, 1 << 16, &num) || !num || (num & (num - 1)))
				return usage_error("--buffer-pages '%s': want a power of two from 1 to 65536",
						   optarg);
			opt->buffer_pages = num;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			usage();
			return 1;
		case OPT_VERSION:
			fmt_write(STDOUT_FILENO, "mini-trace %s\n", MINI_TRACE_VERSION);
			return 1;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!opt->cmd->obj && !opt->object)
		return usage_error("%s: no object file given", opt->cmd->name);
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--"))
			return usage_error("unexpected argument '%s' (put a command after --)",
					   argv[optind]);
		opt->argv = &argv[optind];
	} else if (optind > 1 && !strcmp(argv[optind - 1], "--")) {
		return usage_error("no command after --");
	}
	return 0;
}

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
	narrate("object: license '%s', %zu programs, %zu maps", s->license, s->prog_cnt, s->map_cnt);
	for (size_t i = 0; i < s->map_cnt; i++) {
		const struct spec_map *m = &s->maps[i];

		narrate("  map '%s': %s, key %u, value %u, max_entries %u%s", m->name,
			map_type_name(m->type), m->key_size, m->value_size, m->max_entries,
			m->kind == SPEC_MAP_DATA ? (m->readonly ? ", read-only data" : ", data") : "");
	}
	for (size_t i = 0; i < s->prog_cnt; i++) {
		const struct spec_prog *p = &s->progs[i];

		narrate("  prog '%s': section '%s', %zu insns (%zu from subprograms), %zu relocations",
			p->name, p->sec_name, p->insn_cnt, p->insn_cnt - p->main_cnt, p->reloc_cnt);
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
		narrate("map '%s' created: fd %d", s->maps[i].name, o->map_fds[i]);
	for (size_t i = 0; i < s->prog_cnt; i++) {
		const struct spec_prog *p = &s->progs[i];

		for (size_t r = 0; r < p->reloc_cnt; r++) {
			const struct spec_reloc *rel = &p->relocs[r];

			if (rel->kind == SPEC_RELOC_MAP_FD)
				narrate("  prog '%s': insn %u: map '%s' (fd %d)", p->name, rel->insn,
					s->maps[rel->map].name, o->map_fds[rel->map]);
			else
				narrate("  prog '%s': insn %u: '%s' + %u (fd %d)", p->name, rel->insn,
					s->maps[rel->map].name, rel->off, o->map_fds[rel->map]);
		}
		if (o->has_btf && p->func_info_cnt)
			narrate("  prog '%s': BTF func_info %zu, line_info %zu", p->name,
				p->func_info_cnt, p->line_info_cnt);
		narrate("prog '%s' loaded: fd %d", p->name, o->prog_fds[i]);
	}
}

/*
 * EPERM from bpf(2) or perf_event_open(2) means missing privileges.  (EACCES
 * does not: it is also the verifier's rejection and the kernel's refusal to
 * attach a program that reads past a tracepoint's record.)
 */
static void explain_error(int err, const struct diag *d)
{
	if (err == -EPERM && !strstr(d->msg, "--buffer-pages"))
		error("%s (run as root, or with CAP_BPF and CAP_PERFMON)", d->msg);
	else
		error("%s", d->msg);
}

/*
 * A verifier log can run to a million lines; the reason is at its end.  So
 * the last LOG_TAIL lines are shown, and all of them with -v.
 */
#define LOG_TAIL 40

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
	for (size_t len = strlen(start); len;) {
		ssize_t n = write(STDERR_FILENO, start, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		start += n;
		len -= n;
	}
}

/* ---- the run ------------------------------------------------------------ */

static bool is_optional(const struct command *cmd, const char *target)
{
	for (const char *const *t = cmd->optional; t && *t; t++)
		if (!strcmp(*t, target))
			return true;
	return false;
}

/* The n-th program to attach: every sys_exit_* one, then the rest. */
static size_t attach_order(const struct spec *s, size_t n)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < s->prog_cnt; i++) {
			bool exit_side = strncmp(s->progs[i].target ?: "", "syscalls/sys_exit_", 18) == 0;

			if (exit_side == (pass == 0) && n-- == 0)
				return i;
		}
	}
	return 0;
}

/*
 * Reads an object file into memory from malloc, which is aligned enough for
 * the parser's in-place reads.  Objects are small: 64 MiB is plenty.
 */
#define OBJECT_MAX (64u << 20)

static int read_object(const char *path, unsigned char **buf, size_t *size, struct diag *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char *p = NULL;
	size_t n = 0, cap = 0;
	ssize_t got = 1;
	int err = 0;

	if (fd < 0)
		return diag(d, -errno, "run: cannot open '%s': %s", path, strerror(errno));
	/* Read to the end rather than trust a size: a pipe or /proc file has none. */
	while (got > 0) {
		if (n == cap) {
			void *grown;

			if (cap == OBJECT_MAX) {
				err = diag(d, -EFBIG, "run: '%s' is larger than %u MiB", path,
					   OBJECT_MAX >> 20);
				break;
			}
			cap = cap ? cap * 2 : 64 * 1024;
			grown = realloc(p, cap);
			if (!grown) {
				err = diag(d, -ENOMEM, "run: out of memory");
				break;
			}
			p = grown;
		}
		got = read(fd, p + n, cap - n);
		if (got > 0)
			n += got;
		else if (got < 0 && errno != EINTR)
			err = diag(d, -errno, "run: cannot read '%s': %s", path, strerror(errno));
		else if (got < 0)
			got = 1;	/* interrupted: read again */
	}
	close(fd);
	if (err) {
		free(p);
		return err;
	}
	*buf = p;
	*size = n;
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

/* An output channel: the perf buffer or ring buffer of one map. */
struct channel {
	struct session *ss;
	const struct spec_map *map;
	struct perf_buffer pb;		/* BPF_MAP_TYPE_PERF_EVENT_ARRAY */
	struct ringbuf rb;		/* BPF_MAP_TYPE_RINGBUF */
};

static int channel_sample(struct channel *ch, const void *data, __u32 size)
{
	struct session *ss = ch->ss;

	if (ss->done)
		return -ECANCELED;	/* --once is satisfied: leave the rest */
	return ss->opt->cmd->print(ss, ch->map, data, size) ?: (ss->done ? -ECANCELED : 0);
}

static int perf_sample(void *ctx, int cpu, const void *data, __u32 size)
{
	(void)cpu;
	return channel_sample(ctx, data, size);
}

static int ring_sample(void *ctx, const void *data, __u32 size)
{
	return channel_sample(ctx, data, size);
}

static int perf_lost(void *ctx, int cpu, __u64 lost)
{
	struct channel *ch = ctx;

	output_flush(ch->ss);	/* the lines before the loss come first */
	error("warning: map '%s': lost %llu events on cpu %d (ring full; try a larger --buffer-pages)",
	      ch->map->name, (unsigned long long)lost, cpu);
	return 0;
}

static bool is_channel(const struct spec_map *m)
{
	return m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY || m->type == BPF_MAP_TYPE_RINGBUF;
}

/* pages per CPU if given, else the default, halved while the kernel says EPERM. */
static int perf_channel_open(struct channel *ch, int map_fd, size_t pages, struct diag *d)
{
	const struct perf_buffer_ops ops = { perf_sample, perf_lost, ch };
	size_t try = pages ?: DEFAULT_BUFFER_PAGES;
	int err;

	while ((err = perf_buffer_open(&ch->pb, map_fd, try, &ops, d)) == -EPERM && !pages &&
	       try > MIN_AUTO_PAGES)
		try /= 2;
	return err;
}

/* Every perf event array gets its per-CPU rings, every ring buffer its mmap. */
static int channels_open(struct channel *chs, const struct object *o, struct session *ss,
			 size_t pages, struct diag *d)
{
	const struct spec *s = o->spec;
	size_t n = 0;
	int err;

	for (size_t i = 0; i < s->map_cnt; i++) {
		struct channel *ch = &chs[n];

		if (!is_channel(&s->maps[i]))
			continue;
		ch->ss = ss;
		ch->map = &s->maps[i];
		n++;
		if (ch->map->type == BPF_MAP_TYPE_RINGBUF)
			err = ringbuf_open(&ch->rb, o->map_fds[i],
					   &(struct ringbuf_ops){ ring_sample, ch }, d);
		else
			err = perf_channel_open(ch, o->map_fds[i], pages, d);
		if (err)
			return err;
		if (ch->map->type == BPF_MAP_TYPE_RINGBUF)
			narrate("ring buffer '%s': %zu bytes", ch->map->name, ch->rb.data_size);
		else
			narrate("perf buffer '%s': %zu rings of %zu bytes", ch->map->name,
				ch->pb.ring_cnt, ch->pb.data_size);
	}
	return 0;
}

static int channels_consume(struct channel *chs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int err = chs[i].map->type == BPF_MAP_TYPE_RINGBUF ?
			ringbuf_consume(&chs[i].rb) : perf_buffer_consume(&chs[i].pb);

		if (err == -ECANCELED)
			return 0;
		if (err < 0)
			return err;
	}
	return 0;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Starts CMD with the signal state mini-trace found, not the one it set. */
static int spawn(char **argv, pid_t *pid)
{
	posix_spawnattr_t attr;
	sigset_t empty, dfl;
	int err;

	sigemptyset(&empty);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &empty);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	err = posix_spawnp(pid, argv[0], NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	return -err;
}

/* One pass over every channel, then its lines written out, even after an error. */
static int drain(struct channel *chs, size_t n, struct session *ss)
{
	int err = channels_consume(chs, n), flushed = output_flush(ss);

	return err ?: flushed;
}

/*
 * The perf rings wake us only once a part of them has filled (perf.c), so
 * a trickle of events could wait there unseen: poll() never sleeps longer
 * than this, which bounds how late a line is printed.  Under load the
 * rings wake us long before it; when idle it costs ten wakeups a second.
 */
#define POLL_TICK_MS 100

/*
 * The event loop.  Signals arrive through a signalfd, so SIGINT, SIGTERM and
 * SIGCHLD wake the same poll() that waits for the rings, and a stop is always
 * followed by one last drain of every ring.
 */
static int run_loop(struct channel *chs, size_t n, struct session *ss, int sigfd, pid_t child)
{
	const struct options *opt = ss->opt;
	long long deadline = opt->timeout_ms >= 0 ? now_ns() + opt->timeout_ms * 1000000 : 0;
	struct pollfd fds[n + 1];
	bool stop = false;
	int err;

	fds[0] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
	for (size_t i = 0; i < n; i++) {
		/* A perf buffer's rings share one epoll fd; a ring buffer is its map fd. */
		int fd = chs[i].map->type == BPF_MAP_TYPE_RINGBUF ? chs[i].rb.map_fd :
			chs[i].pb.epoll_fd;

		fds[i + 1] = (struct pollfd){ .fd = fd, .events = POLLIN };
	}
	while (!stop && !ss->done) {
		int timeout_ms = POLL_TICK_MS;

		if (opt->timeout_ms >= 0) {
			long long left = deadline - now_ns();

			if (left <= 0)
				break;
			if (left < POLL_TICK_MS * 1000000LL)
				timeout_ms = (left + 999999) / 1000000;	/* rounded up */
		}
		if (poll(fds, n + 1, timeout_ms) < 0 && errno != EINTR)
			return -errno;
		err = drain(chs, n, ss);
		if (err)
			return err;
		if (fds[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo != SIGCHLD) {
					narrate("%s: stopping", strsignal(si.ssi_signo));
					stop = true;
				} else if (child > 0 && waitpid(child, NULL, WNOHANG) == child) {
					narrate("command exited");
					child = 0;
					stop = true;
				}
			}
		}
	}
	/*
	 * The exit and read tracepoints run in the traced task before it can be
	 * reaped, so once waitpid() has returned its events are in the rings.
	 */
	return ss->done ? 0 : drain(chs, n, ss);
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

int main(int argc, char **argv)
{
	struct object obj = { 0 };
	struct spec spec = { 0 };
	struct options opt;
	struct session ss = { .opt = &opt };
	struct diag d = { "" };
	struct channel *chs = NULL;
	unsigned char *file = NULL;
	size_t size = 0, ch_cnt = 0;
	struct tracefs tracefs = { 0 };
	int *tp_ids = NULL, *links = NULL;
	int status = EXIT_RUNTIME, sigfd = -1, verdict, err;
	unsigned load_flags = 0;
	sigset_t mask;
	pid_t child = 0;

	err = parse_args(argc, argv, &opt);
	if (err)
		return err > 0 ? EXIT_OK : EXIT_USAGE;
	signal(SIGPIPE, SIG_IGN);

	/* SIGINT, SIGTERM and SIGCHLD are read from a signalfd, never delivered. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigfd < 0) {
		error("signalfd: %s", strerror(errno));
		goto out;
	}

	/* Before 5.11 bpf(2) charges RLIMIT_MEMLOCK, from the first load (the probe) on. */
	raise_memlock();

	/* The object: embedded in this binary, or the file run was given. */
	if (opt.cmd->obj) {
		file = lz4_unpack(opt.cmd->obj, opt.cmd->obj_end - opt.cmd->obj, &size);
		if (!file) {
			error("%s: cannot unpack the built-in object (out of memory?)", opt.cmd->name);
			goto out;
		}
	} else {
		err = read_object(opt.object, &file, &size, &d);
		if (err) {
			error("%s", d.msg);
			goto out;
		}
	}

	/* Parse it: pure, no kernel involved yet. */
	err = spec_parse(&spec, file, size, &d);
	if (err) {
		error("%s%s%s", opt.object ? opt.object : "", opt.object ? ": " : "", d.msg);
		status = EXIT_BADOBJ;
		goto out;
	}
	narrate_spec(&spec);

	/* Patch the constants the programs read from .rodata. */
	if (opt.cmd->configure) {
		err = opt.cmd->configure(&spec, &opt, &d);
		if (err) {
			error("%s", d.msg);
			goto out;
		}
	}

	/* Look every tracepoint up before creating anything in the kernel. */
	err = tracefs_open(&tracefs);
	if (err) {
		fmt(d.msg, sizeof(d.msg), "tracefs: %s: %s",
		    err == -EACCES ? "cannot read it" : "not mounted and cannot mount it",
		    strerror(-err));
		explain_error(err == -EACCES ? -EPERM : err, &d);
		goto out;
	}
	narrate("tracefs: %s", tracefs.path);
	tp_ids = calloc(spec.prog_cnt, sizeof(*tp_ids));
	links = malloc(spec.prog_cnt * sizeof(*links));
	chs = calloc(spec.map_cnt + 1, sizeof(*chs));
	if (!tp_ids || !links || !chs) {
		error("out of memory");
		goto out;
	}
	memset(links, -1, spec.prog_cnt * sizeof(*links));
	for (size_t i = 0; i < spec.prog_cnt; i++) {
		const struct spec_prog *p = &spec.progs[i];

		if (p->attach == SPEC_ATTACH_NONE) {
			error("prog '%s': section '%s' is not a type mini-trace can attach "
			      "(tracepoint/<category>/<name> or tp/<category>/<name>)", p->name, p->sec_name);
			status = EXIT_BADOBJ;
			goto out;
		}
		tp_ids[i] = tracepoint_id(tracefs.path, p->target);
		if (tp_ids[i] == -ENOENT && is_optional(opt.cmd, p->target)) {
			narrate("prog '%s': tracepoint %s not in this kernel: skipped", p->name,
				p->target);
			spec.progs[i].skip = true;
			continue;
		}
		if (tp_ids[i] < 0) {
			error("prog '%s': tracepoint %s: %s", p->name, p->target,
			      tp_ids[i] == -ENOENT ? "not in this kernel" : strerror(-tp_ids[i]));
			goto out;
		}
	}

	/* Before 5.17, bpf_strncmp's work is done by the program itself. */
	if (spec_calls_helper(&spec, BPF_FUNC_strncmp) &&
	    probe_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_strncmp) == 0) {
		narrate("kernel lacks bpf_strncmp (5.17): each call becomes a byte loop");
		load_flags |= LOAD_EMULATE_STRNCMP;
	}

	/* Create maps, fill and freeze global data, load and verify programs. */
	err = object_load(&obj, &spec, load_flags, &d);
	if (err) {
		explain_error(err, &d);
		print_log(obj.log);
		goto out;
	}
	narrate_load(&obj);

	/* Wire the output maps to rings we can read. */
	for (size_t i = 0; i < spec.map_cnt; i++)
		ch_cnt += is_channel(&spec.maps[i]);
	if (ch_cnt == 0) {
		error("the object has no perf event array or ring buffer to report through");
		goto out;
	}
	err = channels_open(chs, &obj, &ss, opt.buffer_pages, &d);
	if (err) {
		explain_error(err, &d);
		goto out;
	}

	/*
	 * Attach: the programs run from here on.  Syscall exits first, so that
	 * no entry is recorded whose exit would go unseen.
	 */
	for (size_t n = 0; n < spec.prog_cnt; n++) {
		size_t i = attach_order(&spec, n);

		if (spec.progs[i].skip)
			continue;
		links[i] = perf_attach_tracepoint(tp_ids[i], obj.prog_fds[i]);
		if (links[i] < 0) {
			fmt(d.msg, sizeof(d.msg), "prog '%s': attach to %s: %s%s",
			    spec.progs[i].name, spec.progs[i].target, strerror(-links[i]),
			    links[i] == -EACCES ? " (it reads past the end of the tracepoint's "
			    "record: compare with its format file)" : "");
			explain_error(links[i], &d);
			goto out;
		}
		narrate("prog '%s' attached to %s (id %d): fd %d", spec.progs[i].name,
			spec.progs[i].target, tp_ids[i], links[i]);
	}
	narrate("tracing: %zu programs attached", spec.prog_cnt);

	if (opt.argv) {
		err = spawn(opt.argv, &child);
		if (err) {
			error("cannot run '%s': %s", opt.argv[0], strerror(-err));
			goto out;
		}
		narrate("started '%s': pid %d", opt.argv[0], child);
	}

	/* Print events until the command exits, a signal, --once or --timeout. */
	err = run_loop(chs, ch_cnt, &ss, sigfd, child);
	if (err && err != -EPIPE) {
		error("reading events: %s", strerror(-err));
		goto out;
	}
	status = EXIT_OK;
out:
	/* What is pending is printed, and all of it written, before any verdict. */
	verdict = opt.cmd && opt.cmd->finish ? opt.cmd->finish(&ss, &d) : 0;
	output_close(&ss);
	if (verdict && status == EXIT_OK) {
		error("%s", d.msg);
		status = EXIT_RUNTIME;
	}
	if (status == EXIT_OK || ss.events) {
		__u64 lost = 0, counted = 0;

		/*
		 * PERF_RECORD_LOST reaches us only with a later record that
		 * fits, and a full ring buffer reports nothing at all: where the
		 * programs count their failed outputs, that count is the truth.
		 */
		for (size_t i = 0; i < ch_cnt; i++)
			lost += chs[i].pb.lost;
		if (!object_read_var(&obj, "events_lost", &counted, sizeof(counted), &d) &&
		    counted > lost)
			lost = counted;
		narrate("events: %llu, lost: %llu", (unsigned long long)ss.events,
			(unsigned long long)lost);
		if (lost)
			error("warning: %llu events were lost in all", (unsigned long long)lost);
		if (ss.malformed)
			error("warning: %llu records were malformed and skipped",
			      (unsigned long long)ss.malformed);
	}
	/*
	 * Closing the fds detaches and frees everything: nothing is pinned.
	 * Every line is written: the slow part goes to the background, or is
	 * done here if no child could be made.
	 */
	if (links) {
		detach_in_background(links, spec.prog_cnt, sigfd);
		perf_detach_all(links, spec.prog_cnt);
	}
	for (size_t i = 0; chs && i < spec.map_cnt; i++) {
		perf_buffer_close(&chs[i].pb);
		ringbuf_close(&chs[i].rb);
	}
	free(chs);
	free(links);
	free(tp_ids);
	object_close(&obj);
	tracefs_close(&tracefs);
	spec_free(&spec);
	free(file);
	if (sigfd >= 0)
		close(sigfd);
	return status;
}
