// SPDX-License-Identifier: GPL-2.0
/*
 * The CO-RE benchmark's object: the caller's parent's tgid, read through two
 * pointers of task_struct, as every libbpf tool reads it.  Built twice from
 * this file (bench/bench.mk): core.bpf.o with BPF_CORE_READ, whose three
 * field accesses are CO-RE relocations the loader resolves against
 * /sys/kernel/btf/vmlinux; core-plain.bpf.o with -DPLAIN, which reads the
 * same fields at the offsets vmlinux.h gave at compile time (no
 * preserve_access_index, no .BTF.ext relocations), so the loader needs no
 * kernel BTF.  The difference between their times until attached is the
 * price of CO-RE.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} _ep_debug_events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int parent_tgid(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	int tgid = 0;
	__s64 *r;

	(void)ctx;
#ifdef PLAIN
	struct task_struct *parent = NULL;

	bpf_probe_read_kernel(&parent, sizeof(parent), &task->real_parent);
	bpf_probe_read_kernel(&tgid, sizeof(tgid), &parent->tgid);
#else
	tgid = BPF_CORE_READ(task, real_parent, tgid);
#endif
	r = bpf_ringbuf_reserve(&_ep_debug_events, sizeof(*r), 0);
	if (!r)
		return 0;
	*r = tgid;
	bpf_ringbuf_submit(r, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
