/* SPDX-License-Identifier: MIT */
/*
 * The kernel's string kfuncs (kernel/bpf/helpers.c, 6.17 and later):
 * functions of the kernel a program calls by name.  The loader finds each
 * in the running kernel's BTF; __weak lets a program load on a kernel that
 * lacks one, as long as the call is never reached (test "if (bpf_strstr)").
 * A "__ign" argument is one the verifier does not check the memory of:
 * the kfunc reads it itself, safely, and returns -EFAULT on a bad address.
 * Return values: an index, or a negative errno (-ENOENT: not found).
 *
 * Written by make headers (see task.h) from the kernel's BTF, which has
 * each kfunc's prototype with its argument names:
 *
 * btfgen: bpf_strcmp bpf_strcasecmp bpf_strchr bpf_strnchr bpf_strchrnul
 * btfgen: bpf_strrchr bpf_strlen bpf_strnlen bpf_strspn bpf_strcspn
 * btfgen: bpf_strstr bpf_strnstr
 */
#ifndef MINI_TRACE_EP_KFUNCS_H
#define MINI_TRACE_EP_KFUNCS_H

#include "bpf/bpf_helpers.h"

/* The generator's text as it writes it, which clang-format leaves alone. */
/* clang-format off */
/* btfgen: begin */
extern int bpf_strcmp(const char *s1__ign, const char *s2__ign) __ksym __weak;

extern int bpf_strcasecmp(const char *s1__ign, const char *s2__ign) __ksym __weak;

extern int bpf_strchr(const char *s__ign, char c) __ksym __weak;

typedef long unsigned int __kernel_ulong_t;

typedef __kernel_ulong_t __kernel_size_t;

typedef __kernel_size_t size_t;

extern int bpf_strnchr(const char *s__ign, size_t count, char c) __ksym __weak;

extern int bpf_strchrnul(const char *s__ign, char c) __ksym __weak;

extern int bpf_strrchr(const char *s__ign, int c) __ksym __weak;

extern int bpf_strlen(const char *s__ign) __ksym __weak;

extern int bpf_strnlen(const char *s__ign, size_t count) __ksym __weak;

extern int bpf_strspn(const char *s__ign, const char *accept__ign) __ksym __weak;

extern int bpf_strcspn(const char *s__ign, const char *reject__ign) __ksym __weak;

extern int bpf_strstr(const char *s1__ign, const char *s2__ign) __ksym __weak;

extern int bpf_strnstr(const char *s1__ign, const char *s2__ign, size_t len) __ksym __weak;

/* btfgen: end */
/* clang-format on */

#endif
