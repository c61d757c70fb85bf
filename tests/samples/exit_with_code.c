/*
 * exit_with_code CODE
 *
 * Exits with CODE through exit(3), which ends the process with the
 * exit_group syscall.  The exit tracer must report CODE & 0xff.
 */
#include <stdlib.h>

int main(int argc, char **argv)
{
	exit(argc > 1 ? atoi(argv[1]) : 0);
}
