/* SPDX-License-Identifier: MIT */
/*
 * The syscalls/ tracepoints' records, as an ebpf.party exercise includes
 * them: struct trace_event_raw_sys_enter (args[0..5]) and
 * trace_event_raw_sys_exit (ret), see tracepoint.h.
 */
#ifndef MINI_TRACE_EP_SYSCALLS_H
#define MINI_TRACE_EP_SYSCALLS_H

#include "tracepoint.h"

#endif
