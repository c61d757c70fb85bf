/* SPDX-License-Identifier: MIT */
/*
 * A uprobe's target: the program or shared library whose function it
 * probes.  The kernel takes a uprobe as a file and a byte offset into it
 * (uprobe_register(), kernel/events/uprobes.c), not a function name, so the
 * name is looked up here, in the target's own ELF.  Pure: bytes in, an
 * offset out, every field bounds-checked; fuzzed with the object parser.
 */
#ifndef MINI_TRACE_ELF_TARGET_H
#define MINI_TRACE_ELF_TARGET_H

#include <stddef.h>
#include <linux/types.h>

#include "diag.h"

/*
 * The file offset of function func in the ELF file buf[0..size): its symbol
 * in .symtab, else in .dynsym, its address mapped through the PT_LOAD
 * segment that holds it.  32- and 64-bit, either byte order.  0, or
 * -ENOEXEC (not ELF, truncated, inconsistent) or -ENOENT (no such function,
 * no symbol table) with one line in d.
 */
int elf_target_func_offset(const void *buf, size_t size, const char *func, __u64 *offset,
			   struct diag *d);

#endif
