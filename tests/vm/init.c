// SPDX-License-Identifier: MIT
/*
 * /init of the vmtest guests (tests/vm/run.sh): the first and only process
 * of a kernel that qemu boots from an initramfs holding mini-trace, the
 * sample programs and this program.
 *
 * It mounts what mini-trace needs, runs each demo the way a user would,
 * checks what mini-trace printed, and writes one line to the console:
 *
 *   VMTEST RESULT pass exit=ok password=ok run=ok
 *   VMTEST RESULT fail exit=fail password=ok run=ok -- exit: mini-trace: ...
 *
 * then powers the machine off.  qemu exits 0 whether the guest passed,
 * failed or panicked, so that line is the only verdict run.sh trusts.
 *
 * Called as "cat" (/bin/cat is a symlink to /init), it is a minimal cat:
 * the password demo wants a reader named cat, and the initramfs has no
 * other program.
 *
 * Settings come from the kernel command line: a "name=value" the kernel
 * does not know is passed to init in its environment (init/main.c).
 *   vmtest_demos=exit,password   the demos to run (default: all: exit,
 *                                password, run)
 *   vmtest_timeout=SEC           the limit for one mini-trace run
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

#define MINI_TRACE "/mini-trace"
#define PASSWORD_FILE "/tmp/password"
#define REASON_MAX 240

/*
 * One run of mini-trace and the lines it must print, in any order: its
 * events, and what the command it runs prints to the same stdout.  In
 * "expect", '#' stands for a decimal number (a pid or tid), everything
 * else for itself.
 */
#define MAX_LINES 4

struct check {
	const char *demo;
	const char *argv[10];	       /* after argv[0], NULL-terminated */
	const char *expect[MAX_LINES]; /* NULL-terminated */
	int status;		       /* mini-trace's: the command's, or --expect's verdict */
};

/* A check that asks more: an environment, a line of -v, a file left empty. */
struct check_more {
	struct check c;
	const char *env;   /* NAME=VALUE set for mini-trace, or NULL */
	const char *said;  /* a text its stderr must hold (-v's narration), or NULL */
	const char *empty; /* a file that must be empty afterwards, or NULL */
};

#define KPROBE_EVENTS "/sys/kernel/tracing/kprobe_events"
/* What cat reads for the kretprobe and fexit: "Linux\n" on every kernel, whatever other demos write. */
#define OSTYPE "/proc/sys/kernel/ostype"
/* riscv64's kprobes skip the ftrace site at a function's entry (tests/fixtures/regs.h). */
#if defined(__riscv)
#define OFF_RISCV "8"
#else
#define OFF_RISCV "0"
#endif

/* What a ksyscall on a missing syscall tries: SYSCALL_PREFIX of attach/probe.c. */
#define NO_SYSCALL "mini_trace_no_such_syscall+0x0"
#if defined(__x86_64__)
#define MISSING_SYSCALL_TRIED "__x64_sys_" NO_SYSCALL " or sys_" NO_SYSCALL
#elif defined(__aarch64__)
#define MISSING_SYSCALL_TRIED "__arm64_sys_" NO_SYSCALL " or sys_" NO_SYSCALL
#elif defined(__s390x__)
#define MISSING_SYSCALL_TRIED "__s390x_sys_" NO_SYSCALL " or sys_" NO_SYSCALL
#elif defined(__riscv)
#define MISSING_SYSCALL_TRIED "__riscv_sys_" NO_SYSCALL " or sys_" NO_SYSCALL
#elif defined(__powerpc64__)
#define MISSING_SYSCALL_TRIED "__powerpc_sys_" NO_SYSCALL " or sys_" NO_SYSCALL
#else
#define MISSING_SYSCALL_TRIED "sys_" NO_SYSCALL
#endif

static const struct check checks[] = {
	/* exit through libc (exit_group), the raw exit syscall, and threads */
	/* -v: what became of the object's BTF on this kernel (VMTEST BTF lines) */
	{ "exit",
	  { "exit", "-v", "--", "/exit_with_code", "42" },
	  { "comm=\"exit_with_code\" pid=# code=42" },
	  42 },
	{ "exit",
	  { "exit", "--", "/raw/exit_with_code", "7" },
	  { "comm=\"exit_with_code\" pid=# code=7" },
	  7 },
	{ "exit",
	  { "exit", "--", "/threads/exit_with_code", "3" },
	  { "comm=\"exit_with_code\" pid=# code=3" },
	  3 },
	{ "password",
	  { "password", "--file", PASSWORD_FILE, "--", "/bin/cat", PASSWORD_FILE },
	  { "pid=# tid=# comm=\"cat\" fd=3 len=8 data=\"hunter2\\n\"", "hunter2" },
	  0 },
	/* -v: by inode (kernel BTF: prog 'sys_enter_inode') or by path on this kernel */
	{ "password",
	  { "password", "-v", "--file", PASSWORD_FILE, "--", "/bin/cat", PASSWORD_FILE },
	  { "pid=# tid=# comm=\"cat\" fd=3 len=8 data=\"hunter2\\n\"", "hunter2" },
	  0 },
	/* the exercises as a learner solves them: bpf_strncmp, which 5.10 lacks */
	{ "run",
	  { "run", "-v", "/examples/exit_code.bpf.o", "--expect", "7", "--", "/raw/exit_with_code",
	    "7" },
	  { "submit: 7" },
	  0 },
	{ "run",
	  { "run", "/examples/password.bpf.o", "--expect", "x9-password", "--",
	    "/examples/password_reader", "x9-password" },
	  { "submit: \"x9-password\"", "x9-password" },
	  0 },
	/*
	 * party: chapter 3 graded, the kprobe exercises where kprobes are
	 * (the host CI has none), on 127.0.0.1 (loopback_up()).  Their
	 * objects are x86_64's only (struct pt_regs is the architecture's):
	 * a check whose object is not in the guest is skipped (present()).
	 */
	{ "party",
	  { "grade", "tcp-connect", "/party/tcp-connect.bpf.o", "-q" },
	  { "submit: #", "tcp-connect: correct" },
	  0 },
	{ "party",
	  { "grade", "tcp-connect", "/party/tcp-connect.wrong.bpf.o", "-q" },
	  { "submit: #", "tcp-connect: wrong answer: got #, wanted #" },
	  1 },
	{ "party",
	  { "grade", "tcp-connect", "/party/tcp-connect.starter.bpf.o", "-q" },
	  { "tcp-connect: no answer" },
	  1 },
	/* bpf_strstr() where the kernel has it (6.17), a loop before */
	{ "party",
	  { "grade", "read-http-password", "/party/read-http-password.bpf.o", "-q" },
	  { "submit: \"hunter-#\"", "read-http-password: correct" },
	  0 },
	{ "party",
	  { "grade", "read-http-password", "/party/read-http-password.wrong.bpf.o", "-q" },
	  { "submit: \"password=hunter-#\"",
	    "read-http-password: wrong answer: got \"password=hunter-#\", wanted \"hunter-#\"" },
	  1 },
	{ "party",
	  { "grade", "read-http-password", "/party/read-http-password.starter.bpf.o", "-q" },
	  { "read-http-password: no answer" },
	  1 },
	{ "party",
	  { "grade", "socket-and-connect", "/party/socket-and-connect.bpf.o", "-q" },
	  { "submit: #", "socket-and-connect: correct" },
	  0 },
	{ "party",
	  { "grade", "read-dns", "/party/read-dns.bpf.o", "-q" },
	  { "submit: \"10.#.#.#\"", "read-dns: correct" },
	  0 },
	/*
	 * One CO-RE object, many kernels (tests/core/): "core" runs the
	 * "core-btf" checks where the kernel has BTF, else "core-nobtf".
	 * core_task's answer is 1 only if task_struct and the record of
	 * sys_exit_getppid are read where this kernel has them; core_tp
	 * sends getppid() only if every tracepoint record read is right.
	 */
	{ "core-btf",
	  { "run", "/core/core_task.bpf.o", "--expect", "1", "--", "/samples/core_probe" },
	  { "submit: 1", "#" },
	  0 },
	{ "core-btf",
	  { "run", "-v", "/core/core_tp.bpf.o", "--", "/samples/core_probe" },
	  { "submit: #", "#" },
	  0 },
	/* Without BTF: the tracefs formats, and task_struct refused (no output). */
	{ "core-nobtf",
	  { "run", "-v", "/core/core_tp.bpf.o", "--", "/samples/core_probe" },
	  { "submit: #", "#" },
	  0 },
	{ "core-nobtf",
	  { "run", "/core/core_task.bpf.o", "--expect", "1", "--", "/samples/core_probe" },
	  { NULL },
	  1 },
	/*
	 * struct sock's layout: core_sock's answer is 1 only if the family,
	 * port, protocol and type of the probe's listening socket are read
	 * where this kernel has them; without BTF, refused (no output).
	 */
	{ "core-btf",
	  { "run", "/core/core_sock.bpf.o", "--expect", "1", "--", "/samples/core_probe" },
	  { "submit: 1", "#" },
	  0 },
	{ "core-nobtf",
	  { "run", "/core/core_sock.bpf.o", "--expect", "1", "--", "/samples/core_probe" },
	  { NULL },
	  1 },
	/*
	 * A typed __ksym variable (core_ksym_var.bpf.c), runqueues: given by
	 * its id in the kernel's BTF, where pahole put it, and the verifier
	 * finds its address with kallsyms_lookup_name() (check_pseudo_btf_id),
	 * which knows variables only with CONFIG_KALLSYMS_ALL.  "ksym-all"
	 * where both hold, else "ksym-none" or "ksym-nobtfvar" (ksym_demo()),
	 * refused in one line (more_checks[]).  Without kernel BTF: refused.
	 */
	{ "ksym-all",
	  { "run", "/core/core_ksym_var.bpf.o", "--expect", "11", "--", "/samples/core_probe" },
	  { "submit: 11", "#" },
	  0 },
	{ "core-nobtf",
	  { "run", "/core/core_ksym_var.bpf.o", "--expect", "11", "--", "/samples/core_probe" },
	  { NULL },
	  1 },
};

static const struct check_more more_checks[] = {
	/* A typed __ksym variable the kernel cannot resolve (checks[]). */
	{ { "ksym-none",
	    { "run", "/core/core_ksym_var.bpf.o", "--expect", "11", "--", "/samples/core_probe" },
	    { NULL },
	    1 },
	  NULL,
	  "mini-trace: prog 'ksym_var': extern 'runqueues' (__ksym): a variable not in "
	  "/proc/kallsyms: this kernel was built without CONFIG_KALLSYMS_ALL, the verifier "
	  "cannot find its address",
	  NULL },
	{ { "ksym-nobtfvar",
	    { "run", "/core/core_ksym_var.bpf.o", "--expect", "11", "--", "/samples/core_probe" },
	    { NULL },
	    1 },
	  NULL,
	  "mini-trace: prog 'ksym_var': extern 'runqueues' (__ksym): a typed variable the "
	  "kernel's BTF does not have",
	  NULL },
	/*
	 * kprobes (every Debian kernel has them): a kprobe's argument, a
	 * kretprobe's return value and a ksyscall's argument, the objects built
	 * for this guest's struct pt_regs; through the kprobe PMU, then through
	 * tracefs' kprobe_events, whose entry must be gone afterwards.  A
	 * kretprobe is a demo of its own: riscv64 cannot have one (matrix).
	 */
	{ { "kprobe",
	    { "run", "-v", "/attach/kprobe.bpf.o", "--expect", "42", "--", "/exit_with_code",
	      "42" },
	    { "submit: 42" },
	    0 },
	  NULL,
	  "prog 'on_group_exit' attached to kprobe do_group_exit+0x" OFF_RISCV " (kprobe PMU type ",
	  NULL },
	{ { "kretprobe",
	    { "run", "-v", "/attach/kretprobe.bpf.o", "--", "/bin/cat", OSTYPE },
	    { "submit: 6", "Linux" },
	    0 },
	  NULL,
	  "attached to kretprobe vfs_read+0x0 (kprobe PMU type ",
	  NULL },
	{ { "kprobe",
	    { "run", "-v", "/attach/ksyscall.bpf.o", "--expect", "7", "--", "/exit_with_code",
	      "7" },
	    { "submit: 7" },
	    0 },
	  NULL,
	  "sys_exit_group+0x" OFF_RISCV " (kprobe PMU type ",
	  NULL },
	{ { "kprobe",
	    { "run", "-v", "/attach/kprobe.bpf.o", "--expect", "5", "--", "/exit_with_code", "5" },
	    { "submit: 5" },
	    0 },
	  "MINI_TRACE_KPROBE_LEGACY=1",
	  "(tracefs kprobe_events p:kprobes/mini_trace_",
	  KPROBE_EVENTS },
	{ { "kretprobe",
	    { "run", "-v", "/attach/kretprobe.bpf.o", "--", "/bin/cat", OSTYPE },
	    { "submit: 6", "Linux" },
	    0 },
	  "MINI_TRACE_KPROBE_LEGACY=1",
	  "(tracefs kprobe_events r:kprobes/mini_trace_",
	  KPROBE_EVENTS },
	/*
	 * fentry/fexit and tp_btf: BPF_PROG_TYPE_TRACING loaded for a type
	 * of the kernel's BTF.  fentry/fexit need a BPF trampoline (amd64,
	 * arm64 since 6.0, with DYNAMIC_FTRACE_WITH_DIRECT_CALLS), tp_btf
	 * the kernel's BTF only (the matrix says where they cannot be).
	 */
	{ { "fentry",
	    { "run", "-v", "/attach/fentry.bpf.o", "--expect", "42", "--", "/exit_with_code",
	      "42" },
	    { "submit: 42" },
	    0 },
	  NULL,
	  "prog 'on_group_exit' attached to fentry do_group_exit (BTF id ",
	  NULL },
	{ { "fentry",
	    { "run", "-v", "/attach/fentry.bpf.o", "--", "/bin/cat", OSTYPE },
	    { "debug: 6", "Linux" },
	    0 },
	  NULL,
	  "prog 'on_vfs_read_exit' attached to fexit vfs_read (BTF id ",
	  NULL },
	{ { "tp_btf",
	    { "run", "-v", "/attach/tp_btf.bpf.o", "--expect", "7", "--", "/exit_with_code", "7" },
	    { "submit: 7" },
	    0 },
	  NULL,
	  "prog 'on_sys_enter' attached to tp_btf sys_enter (BTF id ",
	  NULL },
	/*
	 * kretsyscall: read(2)'s return value where the syscall wrapper (or
	 * 32-bit arm's sys_read) returns it, 6 for "Linux\n".  A kretprobe:
	 * riscv64 cannot have one (matrix).
	 */
	{ { "kretprobe",
	    { "run", "-v", "/attach/kretsyscall.bpf.o", "--", "/bin/cat", OSTYPE },
	    { "submit: 6", "Linux" },
	    0 },
	  NULL,
	  "sys_read+0x0 (kprobe PMU type ",
	  NULL },
	/*
	 * ksyscall on a syscall no kernel has: refused in one line that
	 * names both symbols tried, the wrapper and sys_<name> (32-bit arm
	 * has no wrapper: sys_<name> alone).
	 */
	{ { "kprobe",
	    { "run", "/attach/ksyscall_missing.bpf.o", "--", "/exit_with_code", "0" },
	    { NULL },
	    1 },
	  NULL,
	  "prog 'on_nothing': attach to kprobe " MISSING_SYSCALL_TRIED " (kprobe PMU type ",
	  NULL },
	/*
	 * The guest bench's object (bench/libbpf/attach3.bpf.c, make
	 * vmbench): a kprobe, a uprobe on /bench/stamp's main and an fentry
	 * in one run, each answering for stamp; x86_64's only (present()).
	 */
	{ { "fentry",
	    { "run", "-v", "/bench/attach3.bpf.o", "--", "/bench/stamp" },
	    { "submit: 1", "submit: 2", "submit: 3", "#" },
	    0 },
	  NULL,
	  "prog 'on_vfs_write' attached to fentry vfs_write (BTF id ",
	  NULL },
};

/*
 * A legacy kprobe run killed by SIGKILL removes nothing: its
 * kprobe_events entry, mini_trace_<pid>_<n>, stays behind (a kprobe
 * event outlives the perf events that used it: trace_kprobe_create() and
 * its removal, "-:", in kernel/trace/trace_kprobe.c).  The next legacy
 * run sees that no mini-trace has that pid any more, removes the entry and
 * says so (kprobe_legacy_sweep(), attach/probe.c); kprobe_events is empty
 * after it.
 */
struct kill_check {
	const char *demo;
	const char *argv[10];	/* the run that is killed: it traces until then */
	const char *attached;	/* what its stderr holds once it is attached */
	struct check_more next; /* the run after it, which must sweep */
};

static const struct kill_check kill_checks[] = {
	{ "kprobe",
	  { "run", "-v", "/attach/kprobe.bpf.o" },
	  "(tracefs kprobe_events p:kprobes/mini_trace_",
	  { { "kprobe",
	      { "run", "-v", "/attach/kprobe.bpf.o", "--expect", "9", "--", "/exit_with_code",
		"9" },
	      { "submit: 9" },
	      0 },
	    "MINI_TRACE_KPROBE_LEGACY=1",
	    "kprobe_events: removed 1 entries of runs that were killed",
	    KPROBE_EVENTS } },
};

/*
 * A legacy kprobe's exit.  Its entry can only be removed once its perf
 * event is closed, and each removal waits for RCU grace periods
 * (unregister_kprobe() and the trace event's removal in
 * kernel/trace/trace_kprobe.c), like each close does: so both happen in
 * the child that detaches in the background, and the user waits for
 * neither.  A run traced until SIGINT under -vv: the foreground writes the
 * entry, hands the detach over, and does not write its removal; the entry
 * is gone within GONE_WITHIN seconds of the exit.  Each run prints how long
 * its exit took (SIGINT to its end), whether the entry was still there then,
 * and when it went.
 */
struct detach_check {
	const char *demo;
	const char *argv[10];	/* the run, traced until SIGINT */
	const char *env;	/* NAME=VALUE that forces the legacy path */
	const char *attached;	/* what its stderr holds once it is attached */
	const char *background; /* what it holds once the detach is handed over */
	const char *made;	/* -vv: the entry written, in the foreground */
	const char *removed;	/* -vv: its removal, which must not be in the foreground */
	int runs;		/* how many times: the times printed vary */
};

#define GONE_WITHIN 10.0

static const struct detach_check detach_checks[] = {
	{ "kprobe",
	  { "run", "-vv", "/attach/kprobe.bpf.o" },
	  "MINI_TRACE_KPROBE_LEGACY=1",
	  "tracing: 1 programs attached",
	  "detaching 1 program in the background (pid ",
	  "\"p:kprobes/mini_trace_",
	  "\"-:kprobes/mini_trace_",
	  3 },
};
#define NR_DETACHES (sizeof(detach_checks) / sizeof(detach_checks[0]))

/*
 * The child that detaches in the background, SIGKILLed as soon as the run
 * has exited: it is then closing the event, which takes tens of ms, and
 * has not removed the entry.  The entry stays, named after the run's pid,
 * and the next run's sweep removes it as it does a killed run's.  (Had the
 * child been quicker, nothing would be left to sweep: that is said, and
 * the check passes.)
 */
static const struct kill_check detacher_kills[] = {
	{ "kprobe",
	  { "run", "-v", "/attach/kprobe.bpf.o", "--", "/exit_with_code", "0" },
	  "detaching 1 program in the background (pid ",
	  { { "kprobe",
	      { "run", "-v", "/attach/kprobe.bpf.o", "--expect", "11", "--", "/exit_with_code",
		"11" },
	      { "submit: 11" },
	      0 },
	    "MINI_TRACE_KPROBE_LEGACY=1",
	    "kprobe_events: removed 1 entries of runs that were killed",
	    KPROBE_EVENTS } },
};
#define NR_DETACHER_KILLS (sizeof(detacher_kills) / sizeof(detacher_kills[0]))

static const char *const demos[] = {
	"exit", "password", "run", "party", "core", "kprobe", "kretprobe", "fentry", "tp_btf",
};
#define NR_DEMOS (sizeof(demos) / sizeof(demos[0]))
#define NR_PLAIN (sizeof(checks) / sizeof(checks[0]))
#define NR_CHECKS (NR_PLAIN + sizeof(more_checks) / sizeof(more_checks[0]))
#define NR_KILLS (sizeof(kill_checks) / sizeof(kill_checks[0]))

/* ---- cat ---- */

static int cat(int argc, char **argv)
{
	char buf[4096];
	ssize_t n;
	int i, fd;

	for (i = 1; i < argc; i++) {
		fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (write(STDOUT_FILENO, buf, n) != n)
				return 1;
		close(fd);
		if (n < 0)
			return 1;
	}
	return 0;
}

/* ---- the machine ---- */

/*
 * The kernel hands init /dev/console as fds 0-2 only if the initramfs has
 * that node (console_on_rootfs() in init/main.c); devtmpfs has it always.
 */
static void setup(void)
{
	char failed[256];

	guest_setup(failed, sizeof(failed));
	if (failed[0])
		say("VMTEST INFO mount failed:%s", failed);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The layout of tracepoint records the programs read, from tracefs: the
 * first argument of exit_group, the result of read, and the one field of
 * task_newtask whose width differs between kernels.
 */
static void show_formats(void)
{
	static const struct {
		const char *event, *field;
	} fields[] = {
		{ "syscalls/sys_enter_exit_group", " error_code;" },
		{ "syscalls/sys_exit_read", " ret;" },
		{ "task/task_newtask", " clone_flags;" },
	};
	char path[256], *line = NULL, *p;
	size_t i, cap = 0;
	FILE *f;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/tracing/events/%s/format",
			 fields[i].event);
		f = fopen(path, "r");
		if (!f) {
			say("VMTEST INFO format %s: %s", fields[i].event, strerror(errno));
			continue;
		}
		while (getline(&line, &cap, f) > 0) {
			if (!strstr(line, fields[i].field))
				continue;
			line[strcspn(line, "\n")] = '\0';
			for (p = line; *p; p++)
				if (*p == '\t')
					*p = ' ';
			for (p = line; *p == ' '; p++)
				;
			say("VMTEST INFO format %s: %s", fields[i].event, p);
		}
		fclose(f);
	}
	free(line);
}

/*
 * lo is down in a machine nobody configured: the party checks talk to
 * 127.0.0.1.  SIOCSIFFLAGS with IFF_UP is "ip link set lo up" (netdevice(7)).
 */
static void loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ||
	    (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr) < 0))
		say("VMTEST INFO lo: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* ---- running a check ---- */

static void on_alarm(int sig)
{
	(void)sig; /* only here to interrupt waitpid() */
}

/*
 * Run mini-trace with argv, stdout and stderr to out and err.  Returns its
 * wait status, or -1 with *why set if it could not run or had to be killed.
 */
static int run(const char *const argv[], const char *env, const char *out, const char *err,
	       unsigned int timeout, const char **why)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	char *args[12];
	int status, i;
	pid_t pid, w;

	args[0] = MINI_TRACE;
	for (i = 0; i < 10 && argv[i]; i++)
		args[i + 1] = (char *)argv[i];
	args[i + 1] = NULL;

	pid = fork();
	if (pid < 0) {
		*why = "fork failed";
		return -1;
	}
	if (pid == 0) {
		guest_redirect(out, err);
		if (env)
			putenv((char *)env);
		execv(args[0], args);
		fprintf(stderr, "init: exec %s: %s\n", args[0], strerror(errno));
		_exit(127);
	}

	/* No SA_RESTART: the alarm makes waitpid() return EINTR. */
	sigaction(SIGALRM, &sa, NULL);
	alarm(timeout);
	w = waitpid(pid, &status, 0);
	alarm(0);
	if (w == pid)
		return status;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	*why = "timed out";
	return -1;
}

/* Whether line matches pattern, where '#' stands for one or more digits. */
static int match(const char *pattern, const char *line)
{
	for (; *pattern; pattern++) {
		if (*pattern == '#') {
			if (*line < '0' || *line > '9')
				return 0;
			while (*line >= '0' && *line <= '9')
				line++;
		} else if (*pattern == *line) {
			line++;
		} else {
			return 0;
		}
	}
	return *line == '\0';
}

/* The lines of path: their count, and copies of the first and the last. */
struct lines {
	int count;
	char first[REASON_MAX];
	char last[REASON_MAX]; /* the last that is not the verifier's tally */
};

static void read_lines(const char *path, struct lines *l)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	memset(l, 0, sizeof(*l));
	f = fopen(path, "r");
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (!l->count++)
			snprintf(l->first, sizeof(l->first), "%s", line);
		if (line[0] && strncmp(line, "processed ", 10) != 0)
			snprintf(l->last, sizeof(l->last), "%s", line);
	}
	free(line);
	fclose(f);
}

/*
 * Whether the lines of path are those of expect, each matched once, in any
 * order.  Else says which line was not expected, or which one is missing.
 */
static int expected(const char *path, const char *const expect[], char *why, size_t len)
{
	int used[MAX_LINES] = { 0 };
	char *line = NULL;
	size_t cap = 0;
	int i, ok = 1;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		snprintf(why, len, "no output: %s", strerror(errno));
		return 0;
	}
	while (ok && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		for (i = 0; i < MAX_LINES && expect[i]; i++)
			if (!used[i] && match(expect[i], line))
				break;
		if (i < MAX_LINES && expect[i]) {
			used[i] = 1;
		} else {
			snprintf(why, len, "unexpected line [%s]", line);
			ok = 0;
		}
	}
	for (i = 0; ok && i < MAX_LINES && expect[i]; i++) {
		if (!used[i]) {
			snprintf(why, len, "no line [%s]", expect[i]);
			ok = 0;
		}
	}
	free(line);
	fclose(f);
	return ok;
}

/*
 * The first max lines of what a failed check printed, for its log.  For
 * stderr that is the whole verifier log tail mini-trace shows (40 lines).
 */
static void show_lines(const char *path, const char *what, int max)
{
	char *line = NULL;
	size_t cap = 0;
	int n = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0 && n++ < max) {
		line[strcspn(line, "\n")] = '\0';
		say("VMTEST %s %s", what, line);
	}
	free(line);
	fclose(f);
}

/*
 * What -v said of the object's BTF: loaded or refused by this kernel (and
 * why), which maps got key and value types, which programs func and line info.
 */
static void show_btf(const char *path, const char *demo, int n)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");

	while (f && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (strstr(line, "btf: ") || strstr(line, "BTF func_info") ||
		    strstr(line, "BTF key") || strstr(line, "refused its BTF") ||
		    strstr(line, "no kernel BTF") || strstr(line, "has no BTF"))
			say("VMTEST BTF %s.%d %s", demo, n, line);
	}
	free(line);
	if (f)
		fclose(f);
}

/* Whether path holds text. */
static int holds(const char *path, const char *text)
{
	char *line = NULL;
	size_t cap = 0;
	int found = 0;
	FILE *f = fopen(path, "r");

	while (f && !found && getline(&line, &cap, f) > 0)
		found = strstr(line, text) != NULL;
	free(line);
	if (f)
		fclose(f);
	return found;
}

/* What a check asks beyond its output: a line of stderr, a file left empty. */
static void checked(const struct check_more *c, const char *err, char *why, size_t len)
{
	struct lines l;

	if (!c)
		return;
	if (c->said && !holds(err, c->said)) {
		snprintf(why, len, "stderr lacks [%s]", c->said);
		return;
	}
	if (!c->empty)
		return;
	/* Emptied by the run's background detach: soon after it exits, not at once. */
	for (double until = now() + GONE_WITHIN;; usleep(20000)) {
		read_lines(c->empty, &l);
		if (!l.count || now() > until)
			break;
	}
	if (l.count)
		snprintf(why, len, "%s not empty: [%s]", c->empty, l.first);
}

/*
 * Run one check.  Returns 0 if mini-trace exited with the expected status
 * having printed exactly the expected lines; else -1 with a one-line reason
 * in why.
 */
static int run_check(const struct check *c, const struct check_more *m, int n, unsigned int timeout,
		     char *why, size_t len)
{
	const char *failure = NULL;
	char out[64], err[64];
	struct lines e;
	double start;
	int status;

	snprintf(out, sizeof(out), "/tmp/%s.%d.out", c->demo, n);
	snprintf(err, sizeof(err), "/tmp/%s.%d.err", c->demo, n);
	start = now();
	status = run(c->argv, m ? m->env : NULL, out, err, timeout, &failure);
	read_lines(err, &e);
	why[0] = '\0';

	if (status == -1) {
		snprintf(why, len, "%s after %us", failure, timeout);
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != c->status) {
		/* The first error line; a verifier log ends with its verdict. */
		if (WIFSIGNALED(status))
			snprintf(why, len, "killed by signal %d", WTERMSIG(status));
		else if (e.count > 1 && strcmp(e.first, e.last))
			snprintf(why, len, "status %d: %s | %s", WEXITSTATUS(status), e.first,
				 e.last);
		else
			snprintf(why, len, "status %d: %s", WEXITSTATUS(status),
				 e.count ? e.first : "(no message)");
	} else if (expected(out, c->expect, why, len)) {
		checked(m, err, why, len);
	}
	say("VMTEST CHECK %s.%d %s %.2fs%s%s", c->demo, n, why[0] ? "fail" : "ok", now() - start,
	    why[0] ? " -- " : "", why);
	show_btf(err, c->demo, n);
	if (!why[0])
		return 0;
	show_lines(out, "stdout", 10);
	show_lines(err, "stderr", 60);
	return -1;
}

/*
 * Run a kill check: start its run, wait for it to say it is attached, and
 * SIGKILL it; its entry must then still be in kprobe_events.  Then the run
 * after it, a check like the others.  Returns 0 or -1 with why set.
 */
static int run_kill(const struct kill_check *k, int n, unsigned int timeout, char *why, size_t len)
{
	char out[64], err[64], entry[64];
	const char *args[12];
	double start = now();
	int status, i;
	pid_t pid;

	snprintf(out, sizeof(out), "/tmp/%s.%d.kill.out", k->demo, n);
	snprintf(err, sizeof(err), "/tmp/%s.%d.kill.err", k->demo, n);
	args[0] = MINI_TRACE;
	for (i = 0; i < 10 && k->argv[i]; i++)
		args[i + 1] = k->argv[i];
	args[i + 1] = NULL;
	why[0] = '\0';

	pid = fork();
	if (pid < 0) {
		snprintf(why, len, "fork failed");
		goto out;
	}
	if (pid == 0) {
		guest_redirect(out, err);
		putenv((char *)k->next.env);
		execv(args[0], (char **)args);
		_exit(127);
	}
	while (!holds(err, k->attached)) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			snprintf(why, len, "ended before it was attached (status 0x%x)", status);
			goto out;
		}
		if (now() - start > timeout) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			snprintf(why, len, "not attached after %us", timeout);
			goto out;
		}
		usleep(50000);
	}
	snprintf(entry, sizeof(entry), ":kprobes/mini_trace_%d_", (int)pid);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	if (!holds(KPROBE_EVENTS, entry))
		snprintf(why, len, "no %s... in %s after SIGKILL", entry, KPROBE_EVENTS);
out:
	say("VMTEST CHECK %s.%d.kill %s %.2fs%s%s", k->demo, n, why[0] ? "fail" : "ok",
	    now() - start, why[0] ? " -- " : "", why);
	if (why[0]) {
		show_lines(err, "stderr", 60);
		return -1;
	}
	return run_check(&k->next.c, &k->next, n, timeout, why, len);
}

/*
 * Run a detach check: each run is started, SIGINT once attached, and timed
 * to its end; then kprobe_events is watched for its entry to go.  Returns
 * 0 or -1 with why set.
 */
static int run_detach(const struct detach_check *k, int n, unsigned int timeout, char *why,
		      size_t len)
{
	char out[64], err[64], entry[64];
	const char *args[12];
	double start, stop, gone;
	int status, i, r, there;
	pid_t pid;

	args[0] = MINI_TRACE;
	for (i = 0; i < 10 && k->argv[i]; i++)
		args[i + 1] = k->argv[i];
	args[i + 1] = NULL;
	why[0] = '\0';

	for (r = 1; r <= k->runs && !why[0]; r++) {
		snprintf(out, sizeof(out), "/tmp/%s.%d.detach%d.out", k->demo, n, r);
		snprintf(err, sizeof(err), "/tmp/%s.%d.detach%d.err", k->demo, n, r);
		start = now();
		pid = fork();
		if (pid < 0) {
			snprintf(why, len, "fork failed");
			break;
		}
		if (pid == 0) {
			guest_redirect(out, err);
			putenv((char *)k->env);
			execv(args[0], (char **)args);
			_exit(127);
		}
		while (!holds(err, k->attached)) {
			if (waitpid(pid, &status, WNOHANG) == pid) {
				snprintf(why, len,
					 "run %d ended before it was attached (status 0x%x)", r,
					 status);
				break;
			}
			if (now() - start > timeout) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				snprintf(why, len, "run %d not attached after %us", r, timeout);
				break;
			}
			usleep(20000);
		}
		if (why[0])
			break;
		snprintf(entry, sizeof(entry), ":kprobes/mini_trace_%d_", (int)pid);
		start = now();
		kill(pid, SIGINT);
		waitpid(pid, &status, 0);
		stop = now();
		there = holds(KPROBE_EVENTS, entry);
		gone = stop;
		while (there && holds(KPROBE_EVENTS, entry) && now() - stop < GONE_WITHIN)
			usleep(5000);
		if (there)
			gone = now();
		say("VMTEST INFO %s.%d.detach%d legacy kprobe exit: %.1f ms from SIGINT to exit; "
		    "entry %s at exit, gone %.1f ms after it",
		    k->demo, n, r, (stop - start) * 1e3, there ? "still there" : "already gone",
		    (gone - stop) * 1e3);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			snprintf(why, len, "run %d: status 0x%x after SIGINT", r, status);
		else if (!holds(err, k->background))
			snprintf(why, len, "run %d: stderr lacks [%s]", r, k->background);
		else if (!holds(err, k->made))
			snprintf(why, len, "run %d: -vv shows no write of [%s]", r, k->made);
		else if (holds(err, k->removed))
			snprintf(why, len, "run %d: -vv shows [%s] in the foreground", r,
				 k->removed);
		else if (holds(KPROBE_EVENTS, entry))
			snprintf(why, len, "run %d: %s... still in %s %.0fs after exit", r, entry,
				 KPROBE_EVENTS, GONE_WITHIN);
	}
	say("VMTEST CHECK %s.%d.detach %s%s%s", k->demo, n, why[0] ? "fail" : "ok",
	    why[0] ? " -- " : "", why);
	if (why[0]) {
		show_lines(err, "stderr", 60);
		return -1;
	}
	return 0;
}

/* The number after text in path, or -1. */
static long number_after(const char *path, const char *text)
{
	char *line = NULL, *at;
	size_t cap = 0;
	long n = -1;
	FILE *f = fopen(path, "r");

	while (f && n < 0 && getline(&line, &cap, f) > 0)
		if ((at = strstr(line, text)))
			n = strtol(at + strlen(text), NULL, 10);
	free(line);
	if (f)
		fclose(f);
	return n;
}

/*
 * Run a detacher kill check: the run, then SIGKILL to the child it says
 * detaches in the background (init's now: orphans come to pid 1), then,
 * if the entry is still there, the run after it, which must sweep it.
 */
static int run_detacher_kill(const struct kill_check *k, int n, unsigned int timeout, char *why,
			     size_t len)
{
	const char *failure = NULL;
	char out[64], err[64];
	double start = now(), exited, killed;
	int status, left;
	long child;

	snprintf(out, sizeof(out), "/tmp/%s.%d.detacher.out", k->demo, n);
	snprintf(err, sizeof(err), "/tmp/%s.%d.detacher.err", k->demo, n);
	why[0] = '\0';
	status = run(k->argv, k->next.env, out, err, timeout, &failure);
	exited = now();
	child = number_after(err, k->attached);
	if (status == -1)
		snprintf(why, len, "%s after %us", failure, timeout);
	else if (!WIFEXITED(status) || WEXITSTATUS(status))
		snprintf(why, len, "status 0x%x", status);
	else if (child <= 0)
		snprintf(why, len, "stderr lacks [%s]", k->attached);
	if (why[0]) {
		say("VMTEST CHECK %s.%d.detacher fail -- %s", k->demo, n, why);
		show_lines(err, "stderr", 60);
		return -1;
	}
	killed = now();
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	left = holds(KPROBE_EVENTS, ":kprobes/mini_trace_");
	say("VMTEST CHECK %s.%d.detacher ok %.2fs -- pid %ld killed %.1f ms after the run's exit; "
	    "%s",
	    k->demo, n, now() - start, child, (killed - exited) * 1e3,
	    left ? "its entry is left to sweep" : "it had removed its entry already");
	if (!left)
		return 0;
	return run_check(&k->next.c, &k->next, n, timeout, why, len);
}

/* Whether path holds the n bytes of want (read a page at a time). */
static int file_has(const char *path, const char *want, size_t n)
{
	char buf[4096 + 64];
	size_t keep = 0, len;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC), found = 0;

	if (fd < 0 || n > 64)
		return 0;
	/* Each page searched with the last bytes of the one before. */
	while (!found && (got = read(fd, buf + keep, sizeof(buf) - keep)) > 0) {
		len = keep + got;
		found = memmem(buf, len, want, n) != NULL;
		keep = len < n ? len : n;
		memmove(buf, buf + len - keep, keep);
	}
	close(fd);
	return found;
}

/*
 * Which ksym demo this kernel runs (core_ksym_var in checks[]): whether
 * its BTF has a variable named runqueues (its name in the string section),
 * and whether /proc/kallsyms lists it (a variable: there only with
 * CONFIG_KALLSYMS_ALL; decided by runqueues itself: no " D init_task"
 * line was found on sid's amd64 7.2, which has CONFIG_KALLSYMS_ALL).
 */
static const char *ksym_demo(void)
{
	if (!file_has("/sys/kernel/btf/vmlinux", "\0runqueues\0", 11))
		return "ksym-nobtfvar";
	if (file_has("/proc/kallsyms", " runqueues\n", 11))
		return "ksym-all";
	return "ksym-none";
}

/* The demo a check belongs to on this kernel: see "core-btf" in checks[]. */
static const char *demo_of(const struct check *c)
{
	static const char *ksym;
	static int btf = -1;

	if (btf < 0)
		btf = access("/sys/kernel/btf/vmlinux", R_OK) == 0;
	if (!strcmp(c->demo, btf ? "core-btf" : "core-nobtf"))
		return "core";
	if (btf && !ksym)
		ksym = ksym_demo();
	if (btf && !strcmp(c->demo, ksym))
		return "core";
	return c->demo;
}

/* Whether the /party/ and /bench/ objects a check names are in this guest (x86_64's are). */
static int present(const struct check *c)
{
	for (int i = 0; c->argv[i]; i++)
		if ((!strncmp(c->argv[i], "/party/", 7) || !strncmp(c->argv[i], "/bench/", 7)) &&
		    access(c->argv[i], F_OK))
			return 0;
	return 1;
}

/* Whether demo is in the comma-separated list (all demos if there is none). */
static int wanted(const char *list, const char *demo)
{
	size_t len = strlen(demo);
	const char *p;

	if (!list || !*list)
		return 1;
	for (p = list; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (!strncmp(p, demo, len) && (p[len] == ',' || p[len] == '\0'))
			return 1;
	}
	return 0;
}

/* Replace what would break the result line: it must stay one line. */
static void one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || *s == 0x7f)
			*s = '?';
}

/*
 * A check of demo failed: the demo's first failure is its reason, added to
 * reason; its other checks still run.  Returns 1, to count.
 */
static int demo_failed(const char **state, const char *demo, const char *why, char *reason,
		       size_t size, int failed)
{
	if (!strcmp(*state, "ok"))
		snprintf(reason + strlen(reason), size - strlen(reason), "%s%s: %s",
			 failed ? " || " : "", demo, why);
	*state = "fail";
	return 1;
}

int main(int argc, char **argv)
{
	const char *list = getenv("vmtest_demos");
	const char *limit = getenv("vmtest_timeout");
	char result[1024], why[REASON_MAX * 2 + 32], reason[REASON_MAX * 2 + 48] = "";
	const char *state[NR_DEMOS];
	unsigned int timeout;
	struct utsname u;
	size_t d, i;
	int fd, n, failed = 0;
	const char *base = strrchr(argv[0], '/');

	if (!strcmp(base ? base + 1 : argv[0], "cat"))
		return cat(argc, argv);

	setup();
	timeout = limit ? strtoul(limit, NULL, 10) : 0;
	if (!timeout)
		timeout = 120;
	uname(&u);
	say("VMTEST BOOT %s %s", u.release, u.machine);
	show_formats();
	loopback_up();

	fd = open(PASSWORD_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "hunter2\n", 8) != 8)
		say("VMTEST INFO cannot write %s: %s", PASSWORD_FILE, strerror(errno));
	if (fd >= 0)
		close(fd);

	for (d = 0; d < NR_DEMOS; d++) {
		state[d] = "skip";
		if (!wanted(list, demos[d]))
			continue;
		state[d] = "ok";
		for (i = 0, n = 0; i < NR_CHECKS; i++) {
			const struct check_more *m =
				i < NR_PLAIN ? NULL : &more_checks[i - NR_PLAIN];
			const struct check *c = m ? &m->c : &checks[i];

			if (strcmp(demo_of(c), demos[d]) || !present(c))
				continue;
			if (run_check(c, m, ++n, timeout, why, sizeof(why)) == 0)
				continue;
			failed += demo_failed(&state[d], demos[d], why, reason, sizeof(reason),
					      failed);
		}
		for (i = 0; i < NR_KILLS; i++) {
			if (strcmp(kill_checks[i].demo, demos[d]) ||
			    run_kill(&kill_checks[i], ++n, timeout, why, sizeof(why)) == 0)
				continue;
			failed += demo_failed(&state[d], demos[d], why, reason, sizeof(reason),
					      failed);
		}
		for (i = 0; i < NR_DETACHER_KILLS; i++) {
			if (strcmp(detacher_kills[i].demo, demos[d]))
				continue;
			if (!run_detacher_kill(&detacher_kills[i], ++n, timeout, why, sizeof(why)))
				continue;
			failed += demo_failed(&state[d], demos[d], why, reason, sizeof(reason),
					      failed);
		}
		for (i = 0; i < NR_DETACHES; i++) {
			if (strcmp(detach_checks[i].demo, demos[d]) ||
			    run_detach(&detach_checks[i], ++n, timeout, why, sizeof(why)) == 0)
				continue;
			failed += demo_failed(&state[d], demos[d], why, reason, sizeof(reason),
					      failed);
		}
	}

	one_line(reason);
	n = snprintf(result, sizeof(result), "VMTEST RESULT %s", failed ? "fail" : "pass");
	for (d = 0; d < NR_DEMOS && n < (int)sizeof(result); d++)
		n += snprintf(result + n, sizeof(result) - n, " %s=%s", demos[d], state[d]);
	if (failed && n < (int)sizeof(result))
		snprintf(result + n, sizeof(result) - n, " -- %s", reason);
	say("%s", result);
	power_off();
	return 0;
}
