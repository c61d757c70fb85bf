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

/* One event's format file, as read from tracefs. */
struct tp_format {
	const char *event; /* "category/name", for messages */
	const char *name;  /* the struct it becomes: "trace_event_raw_sys_exit" */
	const char *text;  /* the file's bytes, not NUL-terminated */
	size_t len;
};

/*
 * Pure: the BTF blob (malloc'ed in *blob, *size bytes) holding, for each
 * of the n format texts, a struct called its name laid out as the text
 * says: the common_* fields as its first member "struct trace_entry ent",
 * then one member per field.  -errno with d for a text that describes no
 * field, too many, or is too long.
 */
int tp_format_to_btf(const struct tp_format *tf, size_t n, void **blob, size_t *size,
		     struct diag *d);

/*
 * The same from the files: for each of the n names, a struct of that name
 * laid out as the format file of event ("category/name") under tracefs says.
 */
int tp_format_btf(const char *tracefs, const char *const *events, const char *const *names,
		  size_t n, void **blob, size_t *size, struct diag *d);

#endif
