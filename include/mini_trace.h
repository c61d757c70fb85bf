/* SPDX-License-Identifier: MIT */
/*
 * The exercise API without labels, as mini-trace first spelled it:
 * DEBUG_NUM(n), DEBUG_STR(array), DEBUG_STR_LEN(ptr, len), DEBUG_STRUCT(s),
 * with SUBMIT_* as in ep_platform.h.  Same records, same ring buffer, same
 * decoder: a call with no label prints as "debug: 42".  New programs use
 * ep_platform.h and label what they show.
 */
#ifndef MINI_TRACE_H
#define MINI_TRACE_H

#include "ep_platform.h"

#undef DEBUG_NUM
#undef DEBUG_STR
#undef DEBUG_STR_LEN
#undef DEBUG_STRUCT
#define DEBUG_NUM(n) __EP_NUM("", n, __COUNTER__, 0)
#define DEBUG_STR(arr) __EP_ARRAY("", arr, __COUNTER__, 0)
#define DEBUG_STR_LEN(p, len) __EP_LEN("", p, len, __COUNTER__, 0)
#define DEBUG_STRUCT(s) __EP_STRUCT("", s, __COUNTER__)

#endif
