// SPDX-License-Identifier: GPL-2.0
/*
 * The object of the guest's "attach kinds" benchmark (bench/vm/): the three
 * kinds of issue 15 that this machine's kernel cannot attach, one program
 * each, under libbpf's section names, so that mini-trace and libbpf-attach
 * (attach.c) load the very same file in a qemu guest:
 *
 *   kprobe   do_group_exit, through the kprobe PMU (perf_event_open(2))
 *   uprobe   main of the guest's /bench/stamp, an offset read from its ELF
 *   fentry   vfs_write, BPF_PROG_TYPE_TRACING for its id in the kernel's
 *            BTF, attached by BPF_RAW_TRACEPOINT_OPEN (or BPF_LINK_CREATE)
 *
 * Each answers only for stamp, so that a run of `-- /bench/stamp` has known
 * output (tests/vm/init.c checks it): 2 from its main, 3 from the write of
 * its one line, 1 from its exit.  Built for x86_64's struct pt_regs (the
 * kprobe reads nothing of it, but tests/fixtures/regs.h is where COMM_IS is).
 */
#include "mini_trace.h"
#include "regs.h"

SEC("kprobe/do_group_exit")
int on_group_exit(struct pt_regs *ctx)
{
	(void)ctx;
	if (COMM_IS("stamp"))
		SUBMIT_NUM(1);
	return 0;
}

SEC("uprobe//bench/stamp:main")
int on_stamp_main(struct pt_regs *ctx)
{
	(void)ctx;
	SUBMIT_NUM(2);
	return 0;
}

SEC("fentry/vfs_write")
int on_vfs_write(unsigned long long *ctx)
{
	(void)ctx;
	if (COMM_IS("stamp"))
		SUBMIT_NUM(3);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
