// SPDX-License-Identifier: GPL-2.0
/*
 * A virtual __kconfig extern mini-trace does not give: libbpf's
 * LINUX_HAS_SYSCALL_WRAPPER, which BPF_KSYSCALL reads to find a syscall's
 * arguments.  Refused, even __weak: 0 would send the program to the wrong
 * registers.
 */
#include "report.h"

extern bool LINUX_HAS_SYSCALL_WRAPPER __kconfig __weak;

SEC("tracepoint/syscalls/sys_enter_getppid")
int wrapper(void *ctx)
{
	if (is_probe())
		submit(LINUX_HAS_SYSCALL_WRAPPER);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
