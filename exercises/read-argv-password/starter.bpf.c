// SPDX-License-Identifier: GPL-2.0
/*
 * read-argv-password: a program is started with "--password" and, after
 * it, the password.  execve(2)'s second argument is argv: an array of
 * pointers in user memory, ended by NULL.
 *
 * For i from 0 to 9 (the verifier wants a bound it can see):
 *   read argv[i], the pointer, with bpf_probe_read_user(&p, sizeof(p), ...)
 *   stop at NULL; read the string it points to
 *   the one after "--password" is the answer: SUBMIT_STR(arg)
 */
#include "ep_platform.h"
#include "syscalls.h"

SEC("tp/syscalls/sys_enter_execve")
int trace_execve(struct trace_event_raw_sys_enter *ctx)
{
	return 0;
}
