// SPDX-License-Identifier: MIT
/*
 * The exit exercise's traced program, as the original sandbox ran it: it
 * exits with argv[1] through the raw exit syscall, not libc's exit_group.
 */
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	syscall(SYS_exit, argc > 1 ? atoi(argv[1]) : 0);
	return 100;	/* not reached */
}
