/* SPDX-License-Identifier: MIT */
/*
 * BTF, the type information clang writes into .BTF: just enough of it to read
 * the map definitions of a ".maps" section.  Pure: bytes in, definitions out.
 */
#ifndef MINI_TRACE_BTF_H
#define MINI_TRACE_BTF_H

#include <stddef.h>
#include <linux/types.h>

#include "diag.h"

struct btf_map_def {
	const char *name;	/* the variable's name, in the BTF string table */
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 map_flags;
};

/*
 * Reads every variable of the DATASEC named sec (".maps") as a map
 * definition.  *defs is malloc'ed; the names point into btf.
 */
int btf_parse_maps(const void *btf, size_t size, const char *sec,
		   struct btf_map_def **defs, size_t *cnt, struct diag *d);

#endif
