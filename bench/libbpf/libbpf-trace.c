// SPDX-License-Identifier: MIT
/*
 * libbpf-trace: mini-trace's two demos written the usual libbpf way, as the
 * peer mini-trace is benchmarked against.  A bpftool skeleton per program,
 * libbpf's auto-attach (perf-event tracepoints, through BPF_LINK_CREATE where
 * the kernel has it), libbpf's perf_buffer for the events.
 *
 *   libbpf-trace exit [--comm NAME] [-- CMD ARGS]
 *   libbpf-trace password [--file PATH] [-- CMD ARGS]
 *
 * Same command-line shape and output lines as mini-trace.  With -- CMD it
 * attaches, runs CMD, and exits once CMD has exited and every event it caused
 * has been printed; without, it runs until SIGINT or SIGTERM.  Like
 * mini-trace it flushes stdout after every event, so that the two pay the
 * same for output in the delivery benchmark.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

#include "trace.h"
#include "exit.skel.h"
#include "password.skel.h"

#define DEFAULT_BUFFER_PAGES 64	/* mini-trace's default */

extern char **environ;

struct options {
	const char *cmd;	/* "exit" or "password" */
	const char *comm;
	const char *file;
	size_t buffer_pages;
	bool verbose;
	char **argv;		/* the command after "--", or NULL */
};

static struct options opt = {
	.comm = "exit_with_code",
	.file = "/tmp/password",
	.buffer_pages = DEFAULT_BUFFER_PAGES,
};

static unsigned long long events_seen, events_lost;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !opt.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: libbpf-trace exit [--comm NAME] [OPTIONS] [-- CMD [ARGS...]]\n"
		"       libbpf-trace password [--file PATH] [OPTIONS] [-- CMD [ARGS...]]\n"
		"\n"
		"  --comm NAME         exit: the process name (default exit_with_code)\n"
		"  --file PATH         password: the absolute path (default /tmp/password)\n"
		"  --buffer-pages N    perf ring size per CPU, in pages (default %d)\n"
		"  -v                  libbpf's debug output, and a summary at the end\n",
		DEFAULT_BUFFER_PAGES);
}

/* ---- output ------------------------------------------------------------ */

/* C-style escapes, as mini-trace's text mode prints them. */
static void put_escaped(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		switch (c) {
		case '"': fputs("\\\"", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				putchar(c);
			else
				printf("\\x%02x", c);
		}
	}
}

static void exit_sample(void *ctx, int cpu, void *data, __u32 size)
{
	const struct exit_event *e = data;

	(void)ctx, (void)cpu;
	if (size < sizeof(*e))
		return;
	events_seen++;
	printf("comm=%.*s pid=%u code=%d\n", TASK_COMM_LEN, e->comm, e->pid, e->code);
	fflush(stdout);
}

static void password_sample(void *ctx, int cpu, void *data, __u32 size)
{
	const struct password_event *e = data;
	const size_t hdr = offsetof(struct password_event, data);

	(void)ctx, (void)cpu;
	if (size < hdr || e->size > size - hdr)
		return;
	events_seen++;
	printf("pid=%u tid=%u comm=%.*s fd=%d len=%llu", e->pid, e->tid, TASK_COMM_LEN,
	       e->comm, e->fd, (unsigned long long)e->len);
	if (e->len > e->size)
		printf(" truncated=%u", e->size);
	fputs(" data=\"", stdout);
	put_escaped(e->data, e->size);
	fputs("\"\n", stdout);
	fflush(stdout);
}

static void lost_events(void *ctx, int cpu, __u64 cnt)
{
	(void)ctx;
	events_lost += cnt;
	fprintf(stderr, "libbpf-trace: warning: lost %llu events on cpu %d\n",
		(unsigned long long)cnt, cpu);
}

/* ---- the run ------------------------------------------------------------ */

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "libbpf-trace: %s '%s'\n", msg, arg);
	usage(stderr);
	return -EINVAL;
}

static int parse_args(int argc, char **argv)
{
	enum { OPT_COMM = 256, OPT_FILE, OPT_PAGES };
	static const struct option longopts[] = {
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "file", required_argument, NULL, OPT_FILE },
		{ "buffer-pages", required_argument, NULL, OPT_PAGES },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	if (argc < 2 || (strcmp(argv[1], "exit") && strcmp(argv[1], "password")))
		return usage_error("unknown command", argc < 2 ? "" : argv[1]);
	opt.cmd = argv[1];
	argc--, argv++;
	opterr = 0;
	/* "+": stop at the first non-option, so CMD's own options stay its own. */
	while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_COMM:
			if (!*optarg || strlen(optarg) >= TASK_COMM_LEN)
				return usage_error("--comm: want 1 to 15 bytes, not", optarg);
			opt.comm = optarg;
			break;
		case OPT_FILE:
			if (optarg[0] != '/' || strlen(optarg) >= PATH_MAX_LEN)
				return usage_error("--file: want an absolute path below 128 bytes, not",
						   optarg);
			opt.file = optarg;
			break;
		case OPT_PAGES:
			opt.buffer_pages = strtoul(optarg, &end, 10);
			if (*end || !opt.buffer_pages ||
			    (opt.buffer_pages & (opt.buffer_pages - 1)))
				return usage_error("--buffer-pages: want a power of two, not", optarg);
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return usage_error("bad option", argv[optind - 1]);
		}
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--"))
			return usage_error("put the command after --:", argv[optind]);
		opt.argv = &argv[optind];
	}
	return 0;
}

/* CMD starts with the signal state we found, not the one we set. */
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

/*
 * Wait on the perf buffer's epoll fd and a signalfd together, so that the
 * end of CMD is noticed at once rather than at the next poll timeout; then
 * drain every ring one last time.
 */
static int run_loop(struct perf_buffer *pb, int sigfd, pid_t child)
{
	struct pollfd fds[2] = {
		{ .fd = perf_buffer__epoll_fd(pb), .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};
	struct signalfd_siginfo si;
	bool stop = false;
	int err;

	while (!stop) {
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			return -errno;
		err = perf_buffer__consume(pb);
		if (err < 0)
			return err;
		while (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo != SIGCHLD)
				stop = true;
			else if (child > 0 && waitpid(child, NULL, WNOHANG) == child)
				stop = true;
		}
	}
	return perf_buffer__consume(pb);
}

int main(int argc, char **argv)
{
	struct exit_bpf *exit_skel = NULL;
	struct password_bpf *password_skel = NULL;
	struct perf_buffer *pb = NULL;
	sigset_t mask;
	int map_fd, sigfd = -1, err;
	pid_t child = 0;

	err = parse_args(argc, argv);
	if (err)
		return 2;
	libbpf_set_print(libbpf_print);
	signal(SIGPIPE, SIG_IGN);

	/* SIGINT, SIGTERM and SIGCHLD are read from a signalfd. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigfd < 0) {
		err = -errno;
		fprintf(stderr, "libbpf-trace: signalfd: %s\n", strerror(errno));
		goto cleanup;
	}

	/* Open, set the target in rodata, load & verify, attach. */
	if (!strcmp(opt.cmd, "exit")) {
		exit_skel = exit_bpf__open();
		if (!exit_skel) {
			err = -errno;
			goto fail;
		}
		memcpy((char *)exit_skel->rodata->target_comm, opt.comm, strlen(opt.comm) + 1);
		err = exit_bpf__load(exit_skel) ?: exit_bpf__attach(exit_skel);
		if (err)
			goto fail;
		map_fd = bpf_map__fd(exit_skel->maps.events);
	} else {
		password_skel = password_bpf__open();
		if (!password_skel) {
			err = -errno;
			goto fail;
		}
		memcpy((char *)password_skel->rodata->target_path, opt.file, strlen(opt.file) + 1);
		err = password_bpf__load(password_skel) ?: password_bpf__attach(password_skel);
		if (err)
			goto fail;
		map_fd = bpf_map__fd(password_skel->maps.events);
	}

	/* One perf ring per CPU behind the programs' "events" map. */
	pb = perf_buffer__new(map_fd, opt.buffer_pages,
			      !strcmp(opt.cmd, "exit") ? exit_sample : password_sample,
			      lost_events, NULL, NULL);
	if (!pb) {
		err = -errno;
		goto fail;
	}

	if (opt.argv) {
		err = spawn(opt.argv, &child);
		if (err) {
			fprintf(stderr, "libbpf-trace: cannot run '%s': %s\n", opt.argv[0],
				strerror(-err));
			goto cleanup;
		}
	}

	err = run_loop(pb, sigfd, child);
	if (err < 0) {
		fprintf(stderr, "libbpf-trace: reading events: %s\n", strerror(-err));
		goto cleanup;
	}
	err = 0;
	if (opt.verbose)
		fprintf(stderr, "libbpf-trace: events: %llu, lost: %llu\n", events_seen,
			events_lost);
	if (events_lost)
		fprintf(stderr, "libbpf-trace: warning: %llu events were lost in all\n",
			events_lost);
	goto cleanup;

fail:
	fprintf(stderr, "libbpf-trace: %s: %s\n", opt.cmd, strerror(-err));
cleanup:
	perf_buffer__free(pb);
	exit_bpf__destroy(exit_skel);
	password_bpf__destroy(password_skel);
	if (sigfd >= 0)
		close(sigfd);
	return err ? 1 : 0;
}
