/* SPDX-License-Identifier: MIT */
/*
 * The labels of an exercise object's DEBUG_* and SUBMIT_* calls, read from
 * the section include/ep_platform.h fills (EP_LABELS_SECTION, events.h).
 * Pure: bytes in, a table out; an object without the section (built with
 * the site's own header) gives an empty table, and its records are shown
 * by counter.
 */
#ifndef MINI_TRACE_EP_LABELS_H
#define MINI_TRACE_EP_LABELS_H

#include <stddef.h>
#include <linux/types.h>

#include "diag.h"

struct ep_label {
	__u32 counter;
	__u32 flags;	   /* EP_LABEL_* */
	const char *label; /* points into the object's bytes */
};

struct ep_labels {
	struct ep_label *v;
	size_t cnt;
};

/* 0 (an empty table when there is no section), or -errno and d filled. */
int ep_labels_parse(struct ep_labels *l, const void *obj, size_t size, struct diag *d);
void ep_labels_free(struct ep_labels *l);

/* The entry whose counter's low 8 bits are counter (what a record carries). */
const struct ep_label *ep_label_find(const struct ep_labels *l, __u8 counter);

#endif
