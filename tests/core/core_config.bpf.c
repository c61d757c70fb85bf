// SPDX-License-Identifier: GPL-2.0
/*
 * A CONFIG_ value: 1 (y) from /boot/config-$(uname -r); refused, naming
 * the extern, where that file is missing (mini-trace reads no gzip, so
 * not /proc/config.gz).
 */
#include "report.h"

extern bool CONFIG_BPF_SYSCALL __kconfig;

SEC("tracepoint/syscalls/sys_enter_getppid")
int config_value(void *ctx)
{
	if (is_probe())
		submit(CONFIG_BPF_SYSCALL);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
