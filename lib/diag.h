/* SPDX-License-Identifier: MIT */
/*
 * Errors travel up as -errno with one line of context; only main prints them.
 * A function that fails fills the caller's diag and returns the error code:
 *
 *	return diag(d, -EINVAL, "elf: section %u: offset out of range", i);
 */
#ifndef MINI_TRACE_DIAG_H
#define MINI_TRACE_DIAG_H

#include <stdarg.h>

#include "fmt.h"

struct diag {
	char msg[256];
};

__attribute__((format(printf, 3, 4))) static inline int diag(struct diag *d, int err,
							     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_v(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return err;
}

#endif
