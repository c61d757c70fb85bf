// SPDX-License-Identifier: GPL-2.0
/*
 * platform-overview: how output looks.  Run it as it is and read what each
 * DEBUG_* line prints; then submit the string "the answer" with SUBMIT_STR.
 *
 *	mini-trace grade platform-overview starter.bpf.o
 */
#include "ep_platform.h"
#include "sched.h"

struct pair {
	u32 number;
	char letters[5];
};

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct pair p = { .number = 12345, .letters = "ABCDE" };
	char small = -127;
	u64 large = 0xFFFFFFFFFFFFFFFF;

	DEBUG_STR("Example", "Hi");
	DEBUG_NUM("A small number", small);
	DEBUG_NUM("A very large number", large);
	DEBUG_STRUCT("A struct", p);
	/* Your answer: SUBMIT_STR("...") */
	return 0;
}
