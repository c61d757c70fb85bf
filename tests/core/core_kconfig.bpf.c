// SPDX-License-Identifier: GPL-2.0
/*
 * __kconfig: LINUX_KERNEL_VERSION, KERNEL_VERSION(a, b, c) of the running
 * kernel's release, which the test computes from uname -r; and a __weak
 * CONFIG_ value no kernel has, 0.
 */
#include "report.h"

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_MINI_TRACE_NO_SUCH_OPTION __kconfig __weak;

SEC("tracepoint/syscalls/sys_enter_getppid")
int version(void *ctx)
{
	if (is_probe())
		submit(LINUX_KERNEL_VERSION + 1000000000L * CONFIG_MINI_TRACE_NO_SUCH_OPTION);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
