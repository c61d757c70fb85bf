// SPDX-License-Identifier: MIT
/* Names itself perf_fixture and calls getppid() argv[1] times. */
#include <stdlib.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;

	prctl(PR_SET_NAME, "perf_fixture");
	for (int i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}
