// SPDX-License-Identifier: MIT
/*
 * A uprobe's target: add_numbers(40, 2) in this binary, then libc's
 * atoi("4321"), each called once, so that a probe on either sees known
 * arguments and return values (tests/e2e_attach.sh).  Exits with the sum.
 */
#include <stdlib.h>

__attribute__((noinline)) long add_numbers(long a, long b)
{
	/* Not folded into the caller: the probe needs a call. */
	__asm__ volatile("" ::: "memory");
	return a + b;
}

/*
 * Called through a pointer: with optimisation, glibc's <stdlib.h> makes a
 * direct atoi() an inline call of strtol(), and atoi itself never runs.
 */
static int (*volatile parse)(const char *) = atoi;

int main(int argc, char **argv)
{
	/* On the stack, so in memory: a probe cannot fault a page in. */
	char num[] = "4321";
	long sum = add_numbers(40, argc > 1 ? atol(argv[1]) : 2);

	return sum + parse(num) - 4321 - 42;
}
