/* SPDX-License-Identifier: MIT */
/*
 * What every qemu guest's /init does first and last: tests/vm/init.c (make
 * vmtest) and bench/vm/init.c (make vmbench).  The guest has no other
 * process to mount anything or to reap it: /init is pid 1.
 */
#ifndef MINI_TRACE_VM_GUEST_H
#define MINI_TRACE_VM_GUEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

/* One console line in one write, so that kernel messages cannot land inside it. */
__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDOUT_FILENO, line, n) < 0)
		return;
}

/*
 * What mini-trace and libbpf need mounted, and the console as fds 0-2.
 * The mounts that failed go into failed ("" when none did).
 */
static void guest_setup(char *failed, size_t size)
{
	static const struct {
		const char *type, *dir;
	} mounts[] = {
		{ "proc", "/proc" },
		{ "sysfs", "/sys" },
		{ "devtmpfs", "/dev" },
		{ "tracefs", "/sys/kernel/tracing" },
	};
	int fd;

	failed[0] = '\0';
	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
		mkdir(mounts[i].dir, 0755);
		if (mount("none", mounts[i].dir, mounts[i].type, 0, NULL) < 0 && errno != EBUSY)
			snprintf(failed + strlen(failed), size - strlen(failed), " %s:%s",
				 mounts[i].type, strerror(errno));
	}
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	mkdir("/tmp", 01777);
}

/* In a child about to exec: stdout to out, stderr to err, made anew; exits 126 if not. */
static void guest_redirect(const char *out, const char *err)
{
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
		_exit(126);
	close(fd);
	fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
		_exit(126);
	close(fd);
}

__attribute__((noreturn)) static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	/* Only reached if that failed: init exiting panics, and panic=-1 reboots. */
	exit(1);
}

#endif
