// SPDX-License-Identifier: MIT
/*
 * stamp: print CLOCK_MONOTONIC in nanoseconds, for time-until-attached.
 *
 * Run as `TOOL ... -- stamp` (bpftrace: -c stamp): every tool starts its
 * command only once its programs are attached, so stamp's clock minus the
 * clock just before TOOL was started bounds the time until attached from
 * above (it includes starting stamp itself, a fraction of a millisecond).
 * Static, so that it needs no dynamic loader: less to add to the bound.
 */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("%lld\n", ts.tv_sec * 1000000000LL + ts.tv_nsec);
	return 0;
}
