/* SPDX-License-Identifier: MIT */
/*
 * A BPF object of the other byte order, turned into this machine's
 * (swap.c), so that the parser reads it unchanged.
 */
#ifndef MINI_TRACE_SWAP_H
#define MINI_TRACE_SWAP_H

#include <stdbool.h>
#include <stddef.h>

/* Is obj a 64-bit ELF file of the other byte order? */
bool elf_foreign(const void *obj, size_t size);

/* A copy of obj with every field in this machine's byte order (malloc'd), or NULL. */
void *elf_swap(const void *obj, size_t size);

#endif
