// SPDX-License-Identifier: GPL-2.0
/* reading-event-data, solved: the filename, out of the record itself. */
#include "ep_platform.h"
#include "sched.h"

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	unsigned int off = ctx->__data_loc_filename & 0xFFFF;
	char fname[64] = {};
	int pid = ctx->pid;

	DEBUG_NUM("PID", pid);
	bpf_probe_read_kernel_str(fname, sizeof(fname), (void *)ctx + off);
	DEBUG_STR("Filename", fname);
	/* The one that stands out lives in the exercise's directory, named secret_* */
	if (bpf_strncmp(fname, 21, "/tmp/ep-party/secret_") == 0)
		SUBMIT_STR(fname);
	return 0;
}
