// SPDX-License-Identifier: MIT
/*
 * What the CO-RE tests trace (tests/core/): prints getppid(), which the
 * objects find as task->real_parent->tgid, after asking the scheduler for
 * SCHED_RESET_ON_FORK (sched(7)), a bit of task_struct any user may set,
 * for the bitfield test.  It must be named core_probe.
 */
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

int main(void)
{
	struct sched_param sp = { 0 };

	if (sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp))
		perror("sched_setscheduler");
	printf("%d\n", (int)getppid());
	return 0;
}
