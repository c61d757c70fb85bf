// SPDX-License-Identifier: GPL-2.0
/*
 * concept-intro: a few programs are started; one of them has a name that
 * stands out.  Submit that name with SUBMIT_STR(buffer).
 *
 * 1. Declare a buffer for the process name (16 bytes: TASK_COMM_LEN).
 * 2. Fill it with bpf_get_current_comm(buffer, sizeof(buffer)).
 * 3. DEBUG_STR it to see every program that starts.
 * 4. Compare with bpf_strncmp(buffer, n, "...") (0: the first n bytes
 *    match) and submit the one that stands out.
 */
#include "ep_platform.h"
#include "sched.h"

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	DEBUG_STR("Example", "Hi");
	return 0;
}
