/* SPDX-License-Identifier: MIT */
/*
 * The command line: which command, and its options (struct options,
 * command.h).
 */
#ifndef MINI_TRACE_OPTIONS_H
#define MINI_TRACE_OPTIONS_H

#include "command.h"

/*
 * Fills opt from argv.  Returns 0, 1 when --help or --version was answered,
 * or -EINVAL after one line on stderr naming the problem.
 */
int parse_args(int argc, char **argv, struct options *opt);

#endif
