/* SPDX-License-Identifier: MIT */
/* The -v narration of the parse and load steps (narrate.c). */
#ifndef MINI_TRACE_NARRATE_H
#define MINI_TRACE_NARRATE_H

#include "object.h"
#include "spec.h"

void narrate_spec(const struct spec *s);
void narrate_load(const struct object *o);

#endif
