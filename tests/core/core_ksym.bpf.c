// SPDX-License-Identifier: GPL-2.0
/*
 * Externs resolved in the kernel's BTF: a kfunc (bpf_strstr, 6.18) and a
 * __weak kfunc no kernel has, guarded by bpf_ksym_exists().
 *
 *	6 (strstr) + 100 (no such kfunc) = 106
 *
 * (A typed variable needs the kernel to find its address in kallsyms,
 * check_pseudo_btf_id(): core_ksym_var.bpf.c.)
 */
#include "report.h"

/* libbpf 1.2's, for Debian bookworm's libbpf-dev 1.1. */
#ifndef bpf_ksym_exists
#define bpf_ksym_exists(sym) (!!(sym))
#endif

extern int bpf_strstr(const char *s1__ign, const char *s2__ign) __ksym;
extern int bpf_no_such_kfunc(int x) __ksym __weak;

SEC("tracepoint/syscalls/sys_enter_getppid")
int ksyms(void *ctx)
{
	long v;

	if (!is_probe())
		return 0;
	v = bpf_strstr("hello world", "world");
	if (bpf_ksym_exists(bpf_no_such_kfunc))
		v += 1000 * bpf_no_such_kfunc(1);
	else
		v += 100;
	submit(v);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
