// SPDX-License-Identifier: GPL-2.0
/*
 * reading-event-data: the tracepoint's own record holds the PID and the
 * filename the program was started by.  Submit the filename of the one
 * that stands out with SUBMIT_STR_LEN(buffer, len) (or SUBMIT_STR).
 *
 * 1. DEBUG_NUM the PID: ctx->pid.
 * 2. The filename is a __data_loc field: its low 16 bits are the offset of
 *    the string from the start of the record (ctx), its high 16 its length.
 * 3. Copy it into a buffer with bpf_probe_read_kernel_str(buf, size,
 *    (void *)ctx + offset): the record is kernel memory.
 */
#include "ep_platform.h"
#include "sched.h"

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	DEBUG_STR("Hi", "Welcome back");
	return 0;
}
