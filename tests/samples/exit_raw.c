/*
 * exit_raw CODE
 *
 * Exits with CODE through the plain exit syscall, never calling exit_group,
 * as nolibc-style programs do.  With only the main thread running, ending
 * that thread ends the process.  The exit tracer must report CODE & 0xff.
 */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	syscall(SYS_exit, argc > 1 ? atoi(argv[1]) : 0);
	return 1;	/* not reached */
}
