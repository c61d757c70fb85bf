/* SPDX-License-Identifier: MIT */
/*
 * A tracepoint's record described in BTF from its tracefs "format" file,
 * for CO-RE relocations against tracepoint context structs on a kernel
 * without BTF (load/core_load.c).
 */
#ifndef MINI_TRACE_TP_FORMAT_H
#define MINI_TRACE_TP_FORMAT_H

#include <stddef.h>

#include "diag.h"

/*
 * A BTF blob (malloc'ed in *blob, *size bytes) holding, for each of the n
 * names, a struct of that name laid out as the format file of event
 * ("category/name") under tracefs says: the common_* fields as its first
 * member "struct trace_entry ent", then one member per field.
 */
int tp_format_btf(const char *tracefs, const char *const *events, const char *const *names,
		  size_t n, void **blob, size_t *size, struct diag *d);

#endif
