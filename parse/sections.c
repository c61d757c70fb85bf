// SPDX-License-Identifier: MIT
/*
 * The section table: libbpf's section names (tools/lib/bpf/libbpf.c,
 * section_defs[]), so bpftool loads the same objects, and what mini-trace
 * does with each.  kprobe/, uprobe/, raw_tp/ and fentry/ rows go here.
 */
#include <string.h>

#include "sections.h"

static const struct sec_def sec_defs[] = {
	/*
	 * "tracepoint/<category>/<name>": the event's id from tracefs, then a
	 * perf event of PERF_TYPE_TRACEPOINT with the program set on it
	 * (kernel/trace/trace_event_perf.c).  A syscall's exit is attached
	 * before its entry, so that no entry is recorded whose exit would go
	 * unseen.
	 */
	{ "tracepoint/", BPF_PROG_TYPE_TRACEPOINT, SPEC_ATTACH_TRACEPOINT, SEC_RESOLVE_TRACEFS_ID,
	  SEC_LINK_PERF_TRACEPOINT, "syscalls/sys_exit_" },
	{ "tp/", BPF_PROG_TYPE_TRACEPOINT, SPEC_ATTACH_TRACEPOINT, SEC_RESOLVE_TRACEFS_ID,
	  SEC_LINK_PERF_TRACEPOINT, "syscalls/sys_exit_" },
};

bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

const struct sec_def *sec_def_find(const char *sec_name)
{
	for (size_t i = 0; i < sizeof(sec_defs) / sizeof(sec_defs[0]); i++)
		if (has_prefix(sec_name, sec_defs[i].prefix))
			return &sec_defs[i];
	return NULL;
}

int sec_attach_round(const char *sec_name, const char *target)
{
	const struct sec_def *def = sec_def_find(sec_name);

	return def && def->attach_first && target && has_prefix(target, def->attach_first) ? 0 : 1;
}
