/* SPDX-License-Identifier: MIT */
/*
 * The answers and scenarios of ebpf.party's chapter 3, for cmd_grade.c's
 * table of exercises: grade_ch3.c.
 */
#ifndef MINI_TRACE_GRADE_CH3_H
#define MINI_TRACE_GRADE_CH3_H

#include <stddef.h>
#include <linux/types.h>

void answer_port(char *buf, size_t size, __u64 r);
void answer_ipv4(char *buf, size_t size, __u64 r);
void answer_http(char *buf, size_t size, __u64 r);

int scenario_connect(const char *answer);
int scenario_tcp_connect(const char *answer);
int scenario_dns(const char *answer);
int scenario_http(const char *answer);

#endif
