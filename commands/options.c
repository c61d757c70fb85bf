// SPDX-License-Identifier: MIT
/*
 * The command line: `mini-trace COMMAND [OPTIONS] [-- CMD [ARGS...]]`.
 * Each option is checked here, so the pipeline starts from valid options
 * only; a bad one is one line on stderr and exit status 2.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "command.h"
#include "events.h"
#include "file.h"
#include "fmt.h"
#include "log.h"
#include "options.h"

#ifndef MINI_TRACE_VERSION
#define MINI_TRACE_VERSION "0.1"
#endif

/* Every command, in the order --help lists them. */
static const struct command *const commands[] = { &cmd_exit, &cmd_password, &cmd_run, &cmd_grade };

/* Text for stdout, all of it written, or -errno. */
__attribute__((format(printf, 1, 2))) static int put_text(const char *f, ...)
{
	char text[4096];
	va_list ap;
	int n;

	va_start(ap, f);
	n = fmt_v(text, sizeof(text), f, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(text))
		return -E2BIG;
	return write_all(STDOUT_FILENO, text, n);
}

static int usage(void)
{
	int err = put_text("usage: mini-trace exit [OPTIONS] [-- CMD [ARGS...]]\n"
			   "       mini-trace password [OPTIONS] [-- CMD [ARGS...]]\n"
			   "       mini-trace run OBJECT [OPTIONS] [-- CMD [ARGS...]]\n"
			   "       mini-trace grade EXERCISE OBJECT [OPTIONS]\n"
			   "\n"
			   "Commands:\n");

	char list[2048];

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		err = err ?: put_text("  %-10s %s\n", commands[i]->name, commands[i]->summary);
	grade_list(list, sizeof(list));
	err = err ?: put_text("\nExercises (grade):\n%s", list);
	return err
		       ?: put_text(
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
				  "  --btf PATH          the kernel's types (BTF) for CO-RE, when it has no\n"
				  "                      /sys/kernel/btf/vmlinux\n"
				  "  -v, --verbose       narrate each step on stderr\n"
				  "  -vv                 also every bpf, perf_event_open, ioctl, ring mmap and\n"
				  "                      tracefs call as it happens, decoded, with why\n"
				  "  -q, --quiet         no line on stderr when tracing starts\n"
				  "  -h, --help          show this help\n"
				  "  --version           show the version\n"
				  "\n"
				  "Once every program is attached, one line on stderr says so (not with -q):\n"
				  "from then on every event is seen.\n"
				  "\n"
				  "With -- CMD, mini-trace attaches, runs CMD, and exits once CMD has exited\n"
				  "and every event it caused has been printed.  If mini-trace stops first\n"
				  "(--once, --timeout, SIGTERM, SIGINT), CMD is sent SIGTERM (after SIGINT,\n"
				  "a second later), then SIGKILL if it is still there a second after that;\n"
				  "CMD is always gone when mini-trace exits.\n"
				  "\n"
				  "Exit status: 1 runtime error, 2 usage error, 3 invalid or unsupported BPF\n"
				  "object; otherwise, with -- CMD, CMD's status (128+N if signal N ended it),\n"
				  "as with strace and time, except that run --expect gives its verdict\n"
				  "(0 right answer, 1 wrong or none); without CMD, 0.\n",
				  DEFAULT_BUFFER_PAGES);
}

/*
 * --help and --version: written whole, or a failure like any other write
 * error, except that a reader that went away is a quiet end.
 */
static int answer(bool help)
{
	int err = help ? usage() : put_text("mini-trace %s\n", MINI_TRACE_VERSION);

	if (err && err != -EPIPE) {
		fmt_write(STDERR_FILENO, "mini-trace: stdout: %s\n", strerror(-err));
		return ARGS_UNWRITTEN;
	}
	return ARGS_ANSWERED;
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *f, ...)
{
	va_list ap;

	char msg[1024];

	va_start(ap, f);
	fmt_v(msg, sizeof(msg), f, ap);
	va_end(ap);
	/* say() escapes what of it is not printable: an argument may hold anything. */
	error("%s (see 'mini-trace --help')", msg);
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
	int frac = -1; /* digits after the point; -1: no point yet */

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
		return -EINVAL; /* "2." */
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

/* getopt_long()'s values for the options with no short form. */
enum {
	OPT_COMM = 256,
	OPT_FILE,
	OPT_EXPECT,
	OPT_JSON,
	OPT_ONCE,
	OPT_TIMEOUT,
	OPT_PAGES,
	OPT_BTF,
	OPT_VERSION
};

/* Every option by its long name; -v, -q and -h have short ones too. */
static const struct option longopts[] = {
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "file", required_argument, NULL, OPT_FILE },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "buffer-pages", required_argument, NULL, OPT_PAGES },
	{ "btf", required_argument, NULL, OPT_BTF },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

int parse_args(int argc, char **argv, struct options *opt)
{
	/* --file, in the one spelling the program can match */
	static char file[PASSWORD_PATH_MAX];
	unsigned long long num;
	int c;

	*opt = (struct options){
		.comm = "exit_with_code",
		.file = "/tmp/password",
		.timeout_ms = -1,
		.buffer_pages = 0, /* DEFAULT_BUFFER_PAGES, or less if need be */
	};
	if (argc < 2)
		return usage_error("no command given");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return answer(true);
	if (!strcmp(argv[1], "--version"))
		return answer(false);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i]->name))
			opt->cmd = commands[i];
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
		c = getopt_long(argc, argv, "+:vqh", longopts, NULL);
		if (c == -1) {
			if (opt->cmd == &cmd_grade && !opt->exercise && optind < argc &&
			    strcmp(argv[optind - 1], "--")) {
				opt->exercise = argv[optind++];
				continue;
			}
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
			switch (password_path_normalise(optarg, file)) {
			case -EINVAL:
				return usage_error("--file '%s': the path must be absolute",
						   optarg);
			case -ENAMETOOLONG:
				return usage_error("--file: the path is longer than %d bytes",
						   PASSWORD_PATH_MAX - 1);
			case -EISDIR:
				return usage_error("--file '%s': names a directory, not a file",
						   optarg);
			case -EXDEV:
				return usage_error("--file '%s': '..' is the kernel's to resolve: "
						   "give the path without it",
						   optarg);
			}
			opt->file = file;
			if (only_for(opt, "--file", "password"))
				return -EINVAL;
			break;
		case OPT_EXPECT:
			opt->expect = optarg;
			if (only_for(opt, "--expect", "run"))
				return -EINVAL;
			break;
		case OPT_JSON: opt->json = true; break;
		case OPT_ONCE: opt->once = true; break;
		case OPT_TIMEOUT:
			if (parse_decimal(optarg, 3, 365 * 86400 * 1000ULL, &num))
				return usage_error("--timeout '%s': want a number of seconds "
						   "(at most 3 decimals)",
						   optarg);
			opt->timeout_ms = num;
			break;
		case OPT_PAGES:
			if (parse_decimal(optarg, 0, 1 << 16, &num) || !num || (num & (num - 1)))
				return usage_error(
					"--buffer-pages '%s': want a power of two from 1 to 65536",
					optarg);
			opt->buffer_pages = num;
			break;
		case OPT_BTF: opt->btf = optarg; break;
		case 'v': opt->verbose++; break;
		case 'q': opt->quiet = true; break;
		case 'h': return answer(true);
		case OPT_VERSION: return answer(false);
		case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (opt->cmd == &cmd_grade && !opt->exercise)
		return usage_error("grade: no exercise given");
	if (!opt->cmd->obj && !opt->object)
		return usage_error("%s: no object file given", opt->cmd->name);
	if (opt->cmd == &cmd_grade) {
		if (optind < argc)
			return usage_error("grade: the exercise runs its own command");
		int err = grade_setup(opt);

		if (err == -ENOENT)
			return usage_error("grade: no exercise '%s' (the list: mini-trace --help)",
					   opt->exercise);
		if (err)
			return usage_error("grade: cannot set the exercise up: %s", strerror(-err));
		return 0;
	}
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
