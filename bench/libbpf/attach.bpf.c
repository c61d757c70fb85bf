// SPDX-License-Identifier: GPL-2.0
/*
 * The object of the "attach kinds" benchmark: one uprobe (on libc's
 * getppid, resolved from the library's ELF) and one raw tracepoint, built
 * with mini-trace's headers so that both mini-trace and the libbpf harness
 * (attach.c) load the very same file.  The kprobe and fentry of issue 15
 * are left out: this machine's kernel has no kprobes and refuses fentry.
 */
#include "mini_trace.h"

SEC("uprobe//lib/x86_64-linux-gnu/libc.so.6:getppid")
int on_getppid(void *ctx)
{
	(void)ctx;
	SUBMIT_NUM(1);
	return 0;
}

SEC("raw_tp/sys_enter")
int on_sys_enter(void *ctx)
{
	(void)ctx;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
