// SPDX-License-Identifier: MIT
/*
 * exit_with_code CODE
 *
 * The exit exercise's traced program, as the original sandbox ran it: it
 * exits with CODE through the plain exit syscall, never calling exit_group,
 * as nolibc-style programs do.  With only the main thread running, ending
 * that thread ends the process.  The exit tracer must report CODE & 0xff.
 *
 * The tests run it too, as build/raw/exit_with_code, beside a twin that
 * exits through libc (tests/samples/exit_with_code.c).
 */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	syscall(SYS_exit, argc > 1 ? atoi(argv[1]) : 0);
	return 1; /* not reached */
}
