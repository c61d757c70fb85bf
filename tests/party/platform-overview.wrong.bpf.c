// SPDX-License-Identifier: GPL-2.0
/* WRONG on purpose (tests/e2e_party.sh): another string */
/*
 * platform-overview, solved: one answer, the string the exercise names.
 * Every exec on the machine runs this program, so it answers only for the
 * exercise's own program (in /tmp/ep-party).
 */
#include "ep_platform.h"
#include "sched.h"

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	unsigned int off = ctx->__data_loc_filename & 0xFFFF;
	char fname[32] = {};

	bpf_probe_read_kernel_str(fname, sizeof(fname), (void *)ctx + off);
	if (bpf_strncmp(fname, 14, "/tmp/ep-party/") == 0)
		SUBMIT_STR("an answer");
	return 0;
}
