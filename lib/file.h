/* SPDX-License-Identifier: MIT */
/*
 * Whole files: reading the BPF object a user names and the small files the
 * kernel publishes (a tracepoint's id, a sysfs CPU list), and writing a
 * buffer out whole.  Returns 0 or -errno; never prints.
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

/*
 * Writes all n bytes, again after a short write or EINTR: 0, or -errno
 * (-EIO for a write that took nothing).  For stderr and --help; stdout's
 * lines go through output.c, which must never block.
 */
int write_all(int fd, const void *buf, size_t n);

#endif
