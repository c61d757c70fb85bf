// SPDX-License-Identifier: GPL-2.0
/*
 * reading-syscalls: execve(2)'s first argument is the filename, a pointer
 * into the calling process's memory.  Read it with bpf_probe_read_user_str()
 * (user memory is not the kernel's) and submit the one that stands out.
 */
#include "ep_platform.h"
#include "syscalls.h"

SEC("tp/syscalls/sys_enter_execve")
int trace_execve(struct trace_event_raw_sys_enter *ctx)
{
	char filename[32] = {};

	/* const char *ptr = (const char *)ctx->args[0]; */
	/* bpf_probe_read_user_str(dst, size, src); */
	DEBUG_STR("filename", filename);
	return 0;
}
