/* SPDX-License-Identifier: MIT */
/*
 * The object's BTF in the running kernel: probed, sanitised, loaded.
 */
#ifndef MINI_TRACE_BTF_KERNEL_H
#define MINI_TRACE_BTF_KERNEL_H

#include <stddef.h>
#include <linux/types.h>

#include "diag.h"

/* The kinds (enum btf_new_kind) this kernel does not know; -1 without BTF at all. */
int btf_kernel_missing(void);

/*
 * What describes a subprogram the loader adds to programs (the bpf_strncmp
 * stand-in) in the loaded BTF: its FUNC and the strings of its one line_info.
 */
struct btf_stand_in {
	__u32 func_id; /* 0: not added */
	__u32 file_name_off;
	__u32 line_off;
};

/*
 * Loads a copy of btf, its kinds the kernel lacks replaced, and with a
 * static FUNC called stand_in appended when that is not NULL (*si says
 * where): a BTF fd, or -errno with the reason in d (the kernel's own log
 * line when it has one).
 */
int btf_kernel_load(const void *btf, size_t size, const char *stand_in, struct btf_stand_in *si,
		    struct diag *d);

#endif
