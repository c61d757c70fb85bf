/* SPDX-License-Identifier: MIT */
/*
 * The sched/ tracepoints' records, as an ebpf.party exercise includes them:
 * struct trace_event_raw_sched_process_exec for sched_process_exec, whose
 * filename is a __data_loc string (see tracepoint.h).
 */
#ifndef MINI_TRACE_EP_SCHED_H
#define MINI_TRACE_EP_SCHED_H

#include "tracepoint.h"

#endif
