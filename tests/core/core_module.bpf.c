// SPDX-License-Identifier: GPL-2.0
/*
 * A type only a module has: vmlinux's BTF lacks struct mt_module_thing, so
 * its candidates are searched for in each module's split BTF,
 * /sys/kernel/btf/<module> (tests/e2e_core.sh makes one: b at byte 16 of
 * 24).  Local layout: b at 4 of 8.  The answer, 124016, is exists * 100000
 * + size * 1000 + b's offset, right only if the module's BTF was read with
 * its type ids and strings continuing vmlinux's; without the module, 0.
 */
#include "report.h"

struct mt_module_thing {
	int a;
	int b;
} __attribute__((preserve_access_index));

SEC("tracepoint/syscalls/sys_enter_getppid")
int module_type(void *ctx)
{
	struct mt_module_thing *t = 0;
	long v = 0;

	if (!is_probe())
		return 0;
	if (bpf_core_type_exists(struct mt_module_thing))
		v = 100000 + bpf_core_type_size(struct mt_module_thing) * 1000 +
		    bpf_core_field_offset(t->b);
	submit(v);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
