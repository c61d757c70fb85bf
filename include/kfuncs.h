/* SPDX-License-Identifier: MIT */
/*
 * The kernel's string kfuncs (kernel/bpf/helpers.c, 6.17 and later):
 * functions of the kernel a program calls by name.  The loader finds each
 * in the running kernel's BTF; __weak lets a program load on a kernel that
 * lacks one, as long as the call is never reached (test "if (bpf_strstr)").
 * A "__ign" argument is one the verifier does not check the memory of:
 * the kfunc reads it itself, safely, and returns -EFAULT on a bad address.
 * Return values: an index, or a negative errno (-ENOENT: not found).
 */
#ifndef MINI_TRACE_EP_KFUNCS_H
#define MINI_TRACE_EP_KFUNCS_H

#include "bpf/bpf_helpers.h"

extern int bpf_strcmp(const char *s1__ign, const char *s2__ign) __ksym __weak;
extern int bpf_strcasecmp(const char *s1__ign, const char *s2__ign) __ksym __weak;
extern int bpf_strchr(const char *s__ign, char c) __ksym __weak;
extern int bpf_strnchr(const char *s__ign, size_t count, char c) __ksym __weak;
extern int bpf_strchrnul(const char *s__ign, char c) __ksym __weak;
extern int bpf_strrchr(const char *s__ign, int c) __ksym __weak;
extern int bpf_strlen(const char *s__ign) __ksym __weak;
extern int bpf_strnlen(const char *s__ign, size_t count) __ksym __weak;
extern int bpf_strspn(const char *s__ign, const char *accept__ign) __ksym __weak;
extern int bpf_strcspn(const char *s__ign, const char *reject__ign) __ksym __weak;
extern int bpf_strstr(const char *s1__ign, const char *s2__ign) __ksym __weak;
extern int bpf_strnstr(const char *s1__ign, const char *s2__ign, size_t len) __ksym __weak;

#endif
