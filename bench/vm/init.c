// SPDX-License-Identifier: MIT
/*
 * /init of the benchmark guest (bench/vm/run.sh, `make vmbench`): time
 * until attached of one object holding a kprobe, a uprobe and an fentry
 * program (bench/libbpf/attach3.bpf.c), loaded by mini-trace and by the
 * libbpf harness (bench/libbpf/attach.c, linked statically), in a kernel
 * that has kprobes and a BPF trampoline, which the host's has not.
 *
 * The measure is the host's "attach kinds" section's (bench/run.py): the
 * tool is run as `TOOL OBJ -- /bench/stamp`; both tools start their
 * command only once every program is attached, and stamp prints
 * CLOCK_MONOTONIC, so stamp's clock minus the clock just before the fork
 * of the tool bounds the time until attached from above.  stamp alone is
 * the floor (fork, exec, and stamp's own start).  Each round runs the three
 * in a shuffled order, after one warm-up run of each that is not counted.
 * Between samples every child is reaped, mini-trace's background detacher
 * too (an orphan comes to pid 1), so no sample runs beside a detach.
 *
 * One line per sample (a warm-up's output too: mini-trace's events show
 * that each kind fired), then the medians, on the console:
 *
 *   VMBENCH SAMPLE mini-trace 3 59.4 69.4       (condition, round, ms
 *                                                until attached, ms wall)
 *   VMBENCH MEDIAN mini-trace 60.1 70.2 30
 *   VMBENCH RATIO 0.50                           (mini-trace / libbpf-attach)
 *   VMBENCH RESULT pass
 *
 * Settings from the kernel command line (init/main.c passes a "name=value"
 * it does not know to init's environment):
 *   vmbench_rounds=N    rounds (30)
 *   vmbench_accel=NAME  how qemu runs the guest, repeated in the output
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../tests/vm/guest.h"

#define OBJ "/bench/attach3.bpf.o"
#define STAMP "/bench/stamp"
#define OUT "/tmp/bench.out"
#define ERR "/tmp/bench.err"
#define MAX_ROUNDS 200

static const struct cond {
	const char *name;
	const char *argv[6];
} conds[] = {
	{ "stamp-alone", { STAMP } },
	{ "mini-trace", { "/mini-trace", "run", OBJ, "--", STAMP } },
	{ "libbpf-attach", { "/bench/libbpf-attach", OBJ, "--", STAMP } },
};
#define NR_CONDS (sizeof(conds) / sizeof(conds[0]))

static double attach_ms[NR_CONDS][MAX_ROUNDS], wall_ms[NR_CONDS][MAX_ROUNDS];
static int got[NR_CONDS];

/* What mini-trace and libbpf need mounted; the console as fds 0-2. */
static void setup(void)
{
	char failed[256];

	guest_setup(failed, sizeof(failed));
	if (failed[0])
		say("VMBENCH INFO mount failed:%s", failed);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The first stderr lines of a failed run, for the log. */
static void show_err(void)
{
	char line[400];
	FILE *f = fopen(ERR, "r");
	int n = 0;

	while (f && n++ < 20 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		say("VMBENCH stderr %s", line);
	}
	if (f)
		fclose(f);
}

/* What a warm-up run printed: mini-trace's events show each kind fired. */
static void show_out(const char *name)
{
	char line[256];
	FILE *f = fopen(OUT, "r");
	int n = 0;

	while (f && n++ < 10 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		say("VMBENCH OUT %s %s", name, line);
	}
	if (f)
		fclose(f);
}

/*
 * stamp's line in the output: the last line of more than six digits (the
 * tools' events, "submit: 2", are not).
 */
static long long stamp_of(void)
{
	char line[256];
	long long v = -1;
	FILE *f = fopen(OUT, "r");
	size_t len;

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		len = strlen(line);
		if (len > 6 && strspn(line, "0123456789") == len)
			v = strtoll(line, NULL, 10);
	}
	if (f)
		fclose(f);
	return v;
}

/*
 * One run of a condition.  Returns 0 with the two times, or -1 (said).
 * Every child is reaped before it returns: the tool, and whatever it left
 * (mini-trace's background detacher, an orphan that pid 1 inherits).
 */
static int sample(const struct cond *c, int round, double *attach, double *wall)
{
	long long t0, t1, st;
	int status;
	pid_t pid;

	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		say("VMBENCH FAIL %s %d fork: %s", c->name, round, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		guest_redirect(OUT, ERR);
		execv(c->argv[0], (char **)c->argv);
		fprintf(stderr, "vmbench: exec %s: %s\n", c->argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid) {
		say("VMBENCH FAIL %s %d waitpid: %s", c->name, round, strerror(errno));
		return -1;
	}
	t1 = now_ns();
	while (wait(NULL) > 0 || errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		say("VMBENCH FAIL %s %d status 0x%x", c->name, round, status);
		show_err();
		return -1;
	}
	st = stamp_of();
	if (st < t0) {
		say("VMBENCH FAIL %s %d no stamp in the output", c->name, round);
		show_err();
		return -1;
	}
	*attach = (st - t0) / 1e6;
	*wall = (t1 - t0) / 1e6;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	double s[MAX_ROUNDS];

	if (!n)
		return 0;
	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

int main(void)
{
	const char *r = getenv("vmbench_rounds"), *accel = getenv("vmbench_accel");
	int rounds = r ? atoi(r) : 30, order[NR_CONDS], failed = 0;
	double a, w, med[NR_CONDS];
	struct utsname u;
	size_t i, j, k;

	setup();
	if (rounds < 1 || rounds > MAX_ROUNDS)
		rounds = 30;
	uname(&u);
	say("VMBENCH BOOT %s %s accel=%s rounds=%d", u.release, u.machine, accel ? accel : "?",
	    rounds);
	srand((unsigned int)now_ns());

	for (i = 0; i < NR_CONDS; i++)
		if (sample(&conds[i], 0, &a, &w) == 0) {
			say("VMBENCH WARMUP %s %.1f %.1f", conds[i].name, a, w);
			show_out(conds[i].name);
		} else {
			failed++;
		}
	for (int round = 1; !failed && round <= rounds; round++) {
		/* Fisher-Yates: a new order each round. */
		for (i = 0; i < NR_CONDS; i++)
			order[i] = i;
		for (i = NR_CONDS - 1; i > 0; i--) {
			j = rand() % (i + 1);
			k = order[i];
			order[i] = order[j];
			order[j] = k;
		}
		for (i = 0; i < NR_CONDS; i++) {
			const struct cond *c = &conds[order[i]];

			if (sample(c, round, &a, &w)) {
				failed++;
				continue;
			}
			attach_ms[order[i]][got[order[i]]] = a;
			wall_ms[order[i]][got[order[i]]++] = w;
			say("VMBENCH SAMPLE %s %d %.1f %.1f", c->name, round, a, w);
		}
	}
	for (i = 0; i < NR_CONDS; i++) {
		med[i] = median(attach_ms[i], got[i]);
		say("VMBENCH MEDIAN %s %.1f %.1f %d", conds[i].name, med[i],
		    median(wall_ms[i], got[i]), got[i]);
	}
	if (got[1] && got[2])
		say("VMBENCH RATIO %.2f", med[1] / med[2]);
	say("VMBENCH RESULT %s", failed ? "fail" : "pass");
	power_off();
}
