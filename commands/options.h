/* SPDX-License-Identifier: MIT */
/*
 * The command line: which command, and its options (struct options,
 * command.h).
 */
#ifndef MINI_TRACE_OPTIONS_H
#define MINI_TRACE_OPTIONS_H

#include "command.h"

/*
 * Fills opt from argv.  Returns 0; ARGS_ANSWERED when --help or --version
 * was answered, ARGS_UNWRITTEN when the answer could not be written; or
 * -EINVAL; after one line on stderr naming the problem, if any.
 */
enum { ARGS_ANSWERED = 1, ARGS_UNWRITTEN };
int parse_args(int argc, char **argv, struct options *opt);

#endif
