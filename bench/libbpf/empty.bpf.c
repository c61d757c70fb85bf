// SPDX-License-Identifier: GPL-2.0
/*
 * Programs that do nothing, for the floor of the attach mechanism: what a
 * traced process pays for the tracepoint machinery alone.  One program of
 * each kind; empty.c attaches the same program to every tracepoint asked for.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

/* A classic tracepoint, through a perf event (the mechanism mini-trace uses). */
SEC("tracepoint")
int empty_tp(void *ctx)
{
	return 0;
}

/* A raw tracepoint (BPF_RAW_TRACEPOINT_OPEN, Linux 4.17): no perf event. */
SEC("raw_tp")
int empty_raw_tp(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
