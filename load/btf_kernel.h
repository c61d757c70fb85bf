/* SPDX-License-Identifier: MIT */
/*
 * The object's BTF in the running kernel: probed, sanitised, loaded.
 */
#ifndef MINI_TRACE_BTF_KERNEL_H
#define MINI_TRACE_BTF_KERNEL_H

#include <stddef.h>

#include "diag.h"

/* The kinds (enum btf_new_kind) this kernel does not know; -1 without BTF at all. */
int btf_kernel_missing(void);

/*
 * Loads a copy of btf, its kinds the kernel lacks replaced: a BTF fd, or
 * -errno with the reason in d (the kernel's own log line when it has one).
 */
int btf_kernel_load(const void *btf, size_t size, struct diag *d);

#endif
