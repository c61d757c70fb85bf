// SPDX-License-Identifier: GPL-2.0
/* concept-intro, solved: the program whose name starts with "secret_". */
#include "ep_platform.h"
#include "sched.h"

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	char comm[16] = {};

	bpf_get_current_comm(comm, sizeof(comm));
	DEBUG_STR("Process", comm);
	if (bpf_strncmp(comm, 7, "secret_") == 0)
		SUBMIT_STR(comm);
	return 0;
}
