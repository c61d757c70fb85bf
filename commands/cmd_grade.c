// SPDX-License-Identifier: MIT
/*
 * mini-trace grade EXERCISE OBJECT: an ebpf.party exercise, offline.  The
 * learner's object is loaded and attached as "run" does; then the
 * exercise's scenario runs as the traced command, with a fresh random
 * answer, and the first SUBMIT_* is judged:
 *
 *	correct
 *	wrong answer: got "secret_104233", wanted "secret_733019"
 *	no answer
 *	2 answers
 *
 * The scenario is this same binary, started again with MINI_TRACE_ROLE in
 * its environment (grade_role()): it sets up the exercise's files, and runs
 * the exercise's programs as symlinks to itself in SCENARIO_DIR, whose
 * names are what the kernel reports (a process's comm is the last part of
 * the path it was executed by: __set_task_comm(), fs/exec.c).  Nothing is
 * installed beside mini-trace for it.
 *
 * The programs trace the whole machine: what other processes do meanwhile
 * reaches them too, and a solution that submits for every exec or read it
 * sees counts those.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"
#include "fmt.h"
#include "grade_ch3.h"
#include "output.h"

/* Where the scenario's programs are: symlinks to this binary. */
#define SCENARIO_DIR "/tmp/ep-party"
#define ROLE_ENV "MINI_TRACE_ROLE"
#define ANSWER_ENV "MINI_TRACE_ANSWER"

/* The answer a scenario hides, made from one random number. */
typedef void (*answer_fn)(char *buf, size_t size, __u64 r);
/* The scenario itself: 0, or -errno. */
typedef int (*scenario_fn)(const char *answer);

struct exercise {
	const char *name;
	const char *what; /* one line for --help and the verdict's context */
	answer_fn answer;
	scenario_fn run;
};

static void answer_fixed(char *buf, size_t size, __u64 r)
{
	(void)r;
	fmt(buf, size, "the answer");
}

static void answer_comm(char *buf, size_t size, __u64 r)
{
	/* A comm holds 15 bytes: this is 13. */
	fmt(buf, size, "secret_%06llu", (unsigned long long)(r % 1000000));
}

static void answer_path(char *buf, size_t size, __u64 r)
{
	fmt(buf, size, SCENARIO_DIR "/secret_%06llu", (unsigned long long)(r % 1000000));
}

static void answer_u64(char *buf, size_t size, __u64 r)
{
	fmt(buf, size, "%llu", (unsigned long long)r);
}

static void answer_exit_code(char *buf, size_t size, __u64 r)
{
	fmt(buf, size, "%llu", (unsigned long long)(1 + r % 254));
}

static void answer_content(char *buf, size_t size, __u64 r)
{
	fmt(buf, size, "there is a lot of content in this file: %06llu",
	    (unsigned long long)(r % 1000000));
}

static void answer_banana(char *buf, size_t size, __u64 r)
{
	fmt(buf, size, "banana-%06llu", (unsigned long long)(r % 1000000));
}

/* --- The scenario's side: runs as the traced command. --- */

/*
 * SCENARIO_DIR, ours: a directory left there is used only if it is one
 * (not a link to elsewhere), is this user's, and nobody else may write in it.
 */
static int scenario_dir(void)
{
	struct stat st;

	if (!mkdir(SCENARIO_DIR, 0755))
		return 0;
	if (errno != EEXIST || lstat(SCENARIO_DIR, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022)) {
		fmt_write(STDERR_FILENO,
			  "mini-trace: %s is not a directory of this user's only: "
			  "remove it\n",
			  SCENARIO_DIR);
		return -EPERM;
	}
	return 0;
}

/* SCENARIO_DIR/name, a symlink to this binary. */
static int make_program(const char *name, char *path, size_t size)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		return -errno;
	self[n] = '\0';
	if (fmt(path, size, "%s/%s", SCENARIO_DIR, name) >= (int)size)
		return -ENAMETOOLONG;
	unlink(path);
	return symlink(self, path) ? -errno : 0;
}

/* Runs SCENARIO_DIR/name with argv (argv[0] its path), as role; waits for it. */
static int spawn(const char *name, const char *role, char *const args[])
{
	char path[256], *argv[8];
	size_t n = 0;
	int err = make_program(name, path, sizeof(path)), st;
	pid_t pid;

	if (err)
		return err;
	argv[n++] = path;
	for (; args && *args && n < 7; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/*
		 * A program reads execve's arguments at sys_enter_execve, from
		 * this process's memory, before the kernel copies them, and
		 * cannot fault a page in (bpf_probe_read_user()).  fork()
		 * copies no page table entries of a file-backed mapping
		 * (vma_needs_copy(), mm/memory.c), so a string literal of ours
		 * may not be mapped yet: the arguments go on the stack first,
		 * written, as a shell's are in memory it wrote.
		 */
		char copy[7][128];

		for (size_t i = 1; i < n; i++) {
			copy[i - 1][sizeof(copy[0]) - 1] = '\0';
			argv[i] = strncpy(copy[i - 1], argv[i], sizeof(copy[0]) - 1);
		}
		setenv(ROLE_ENV, role, 1);
		execv(path, argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	/* Tracepoint programs run synchronously: the events are out. */
	usleep(10 * 1000);
	return 0;
}

static int run_ls_sudo(void)
{
	char *ls[] = { "/home/", NULL }, *sudo[] = { "/bin/bash", NULL };

	return spawn("ls", "true", ls) ?: spawn("sudo", "true", sudo);
}

static int scenario_true(const char *answer)
{
	(void)answer;
	return spawn("true", "true", NULL);
}

/* A standard program or two, then the one that stands out. */
static int scenario_secret(const char *answer)
{
	const char *name = strrchr(answer, '/');

	return run_ls_sudo() ?: spawn(name ? name + 1 : answer, "true", NULL);
}

static int scenario_argv(const char *answer)
{
	char *args[] = { "--user", "admin", "--password", (char *)answer, NULL };

	return run_ls_sudo() ?: spawn("secret_command", "true", args);
}

static int scenario_exit(const char *answer)
{
	char *args[] = { (char *)answer, NULL };

	return spawn("true", "true", NULL) ?: spawn("exit_with_code", "exit", args);
}

/*
 * A new file in /tmp, which anyone may write to: whatever has the name is
 * removed, and the file made afresh (O_EXCL), so that root never writes
 * through a link someone left there.
 */
static int write_text(const char *path, const char *text, mode_t mode)
{
	int fd = (unlink(path), open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
	size_t n = strlen(text);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, n) != (ssize_t)n)
		err = -EIO;
	close(fd);
	return err;
}

static int scenario_read_file(const char *answer)
{
	char *args[] = { "/tmp/file.txt", NULL };
	int err = write_text("/tmp/file.txt", answer, 0600);

	err = err ?: spawn("reader", "read", args);
	unlink("/tmp/file.txt");
	return err;
}

static int scenario_password(const char *answer)
{
	char *args[] = { "/tmp/bait_file.txt", "/tmp/password", NULL };
	int err = write_text("/tmp/bait_file.txt", "this file was bait :)", 0600);

	err = err ?: write_text("/tmp/password", answer, 0600);
	err = err ?: spawn("reader", "read", args);
	unlink("/tmp/bait_file.txt");
	unlink("/tmp/password");
	return err;
}

/* The site's exercises (ebpf.party's ids); chapter 3's are in grade_ch3.c. */
static const struct exercise exercises[] = {
	{ "platform-overview", "submit the string \"the answer\"", answer_fixed, scenario_true },
	{ "concept-intro", "the name of the program that stands out", answer_comm,
	  scenario_secret },
	{ "reading-event-data", "the filename of the program that stands out (sched_process_exec)",
	  answer_path, scenario_secret },
	{ "reading-syscalls", "the filename execve(2) was given for the one that stands out",
	  answer_path, scenario_secret },
	{ "read-argv-password", "the argument after --password", answer_u64, scenario_argv },
	{ "intro-maps-and-programs", "the exit code of exit_with_code", answer_exit_code,
	  scenario_exit },
	{ "read-buffer-contents", "what file_reader reads from /tmp/file.txt", answer_content,
	  scenario_read_file },
	{ "read-file-password", "what is read from /tmp/password (not the bait)", answer_banana,
	  scenario_password },
	{ "socket-and-connect", "the port of the one connect(2) that succeeds", answer_port,
	  scenario_connect },
	{ "tcp-connect", "the port of the one non-blocking connect that succeeds", answer_port,
	  scenario_tcp_connect },
	{ "read-dns", "the address a DNS response gives ebpf.party", answer_ipv4, scenario_dns },
	{ "read-http-password", "the password an HTTP login sends", answer_http, scenario_http },
};

static const struct exercise *find_exercise(const char *name)
{
	for (size_t i = 0; i < sizeof(exercises) / sizeof(exercises[0]); i++)
		if (!strcmp(exercises[i].name, name))
			return &exercises[i];
	return NULL;
}

/*
 * open(2) where the architecture has it (the exercise hooks
 * sys_enter_open: x86_64 and 32-bit arm do), else openat(2).
 */
static int open_read_only(const char *path)
{
#ifdef SYS_open
	return syscall(SYS_open, path, O_RDONLY | O_CLOEXEC);
#else
	return openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
#endif
}

/* The roles the scenario's programs play; 0 or an exit status. */
int grade_role(const char *role, int argc, char **argv)
{
	const struct exercise *e;
	const char *answer;
	int err;

	if (!strcmp(role, "true"))
		return 0;
	/* Raw exit(2), not exit_group(2): the exercise hooks sys_enter_exit. */
	if (!strcmp(role, "exit"))
		return syscall(SYS_exit, argc > 1 ? atoi(argv[1]) : 0);
	if (!strcmp(role, "read")) {
		char buf[256];

		/*
		 * Named file_reader only now: the reads of this binary's start-up
		 * (a dynamic loader's, a sanitizer's) are not file_reader's.
		 */
		prctl(PR_SET_NAME, "file_reader");
		for (int i = 1; i < argc; i++) {
			int fd = open_read_only(argv[i]);

			if (fd < 0)
				return 1;
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
		}
		/* Nor the reads of its exit (a leak checker's /proc/self/status). */
		_exit(0);
	}
	/* "scenario:<exercise>": the traced command itself. */
	if (strncmp(role, "scenario:", 9) || !(e = find_exercise(role + 9)))
		return 2;
	answer = getenv(ANSWER_ENV);
	unsetenv(ANSWER_ENV);
	unsetenv(ROLE_ENV);
	if (!answer || scenario_dir())
		return 1;
	err = e->run(answer);
	for (const char *const *n = (const char *const[]){ "ls", "sudo", "true", "secret_command",
							   "exit_with_code", "reader", NULL };
	     *n; n++) {
		char path[256];

		fmt(path, sizeof(path), "%s/%s", SCENARIO_DIR, *n);
		unlink(path);
	}
	if (strchr(answer, '/') || !strncmp(answer, "secret_", 7)) {
		char path[256];
		const char *base = strrchr(answer, '/');

		fmt(path, sizeof(path), "%s/%s", SCENARIO_DIR, base ? base + 1 : answer);
		unlink(path);
	}
	rmdir(SCENARIO_DIR);
	if (err)
		fmt_write(STDERR_FILENO, "mini-trace: scenario %s: %s\n", e->name, strerror(-err));
	return err ? 1 : 0;
}

/* --- mini-trace's side. --- */

/* The answer of this run, and the scenario as the command to trace. */
struct grade_setup {
	char answer[128];
	char self[4096];
	char *argv[2];
};

int grade_setup(struct options *opt)
{
	static struct grade_setup g;
	const struct exercise *e = find_exercise(opt->exercise);
	char role[128];
	ssize_t n;
	__u64 r;

	if (!e)
		return -ENOENT;
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		return -errno;
	e->answer(g.answer, sizeof(g.answer), r);
	n = readlink("/proc/self/exe", g.self, sizeof(g.self) - 1);
	if (n < 0)
		return -errno;
	g.self[n] = '\0';
	g.argv[0] = g.self;
	opt->argv = g.argv;
	opt->expect = g.answer;
	/* The answer goes in the environment, not in a command line the programs see. */
	fmt(role, sizeof(role), "scenario:%s", e->name);
	if (setenv(ROLE_ENV, role, 1) || setenv(ANSWER_ENV, g.answer, 1))
		return -errno;
	return 0;
}

/* The exercises, one line each, for --help. */
void grade_list(char *buf, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < sizeof(exercises) / sizeof(exercises[0]) && o < size; i++)
		o += fmt(buf + o, size - o, "  %-24s %s\n", exercises[i].name, exercises[i].what);
}

static int grade_finish(struct session *ss, struct diag *d)
{
	const char *want = ss->opt->expect;
	const struct exercise *e = find_exercise(ss->opt->exercise);
	struct ep_verdict v;
	char wanted[192], text[sizeof(d->msg)];
	int result;

	/*
	 * No state: the run stopped before it started (a program refused, a
	 * kprobe this kernel lacks), and its message says why: no verdict.
	 */
	if (!ss->state)
		return 0;
	result = ep_judge(ss, want, &v);

	/* A number is shown as one; text quoted, as the answer is. */
	fmt(wanted, sizeof(wanted),
	    e->answer == answer_exit_code || e->answer == answer_port ? "%s" : "\"%s\"", want);
	ep_verdict_text(result, &v, wanted, text, sizeof(text));
	if (ss->opt->json) {
		static const char *const words[] = { "correct", "wrong", "none", "many" };
		int w = result == -EINVAL ? 1 : result == -ENOENT ? 2 : result == -E2BIG ? 3 : 0;

		out_puts(ss, "{\"exercise\":\"");
		out_puts(ss, e->name);
		out_printf(ss, "\",\"verdict\":\"%s\",\"answers\":%llu,\"message\":\"", words[w],
			   (unsigned long long)v.answers);
		put_escaped(ss, (const unsigned char *)text, strlen(text), true);
		out_puts(ss, "\",\"wanted\":\"");
		put_escaped(ss, (const unsigned char *)want, strlen(want), true);
		out_puts(ss, "\"}");
	} else {
		/* What the program sent is escaped in text already. */
		out_puts(ss, e->name);
		out_puts(ss, ": ");
		out_puts(ss, text);
	}
	end_line(ss);
	ep_stop(ss);
	/* The verdict is on stdout already: the status says it, with no message. */
	d->msg[0] = '\0';
	return result ? -EAGAIN : 0;
}

const struct command cmd_grade = {
	.name = "grade",
	.summary = "grade an ebpf.party exercise: runs its scenario, judges the answer",
	.optional = ep_optional,
	.start = ep_start,
	.print = ep_print,
	.finish = grade_finish,
};
