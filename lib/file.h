/* SPDX-License-Identifier: MIT */
/*
 * Reading a file whole: the BPF object a user names, and the small files the
 * kernel publishes (a tracepoint's id, a sysfs CPU list).  Returns 0 or
 * -errno; never prints.
 */
#ifndef MINI_TRACE_FILE_H
#define MINI_TRACE_FILE_H

#include <stddef.h>

/*
 * Reads path to its end into a malloc'ed buffer, NUL-terminated after the
 * last byte (so a text file is a string), and its length into *len.  Read to
 * the end rather than trust a size: a pipe or a /proc or sysfs file has none.
 * -EFBIG when the file holds more than max bytes: nothing is half-read.
 */
int read_file(const char *path, size_t max, unsigned char **buf, size_t *len);

#endif
