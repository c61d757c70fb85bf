// SPDX-License-Identifier: MIT
/*
 * mini-trace exit: the exit code of every process with a given name, one
 * line each:
 *
 *	comm=exit_with_code pid=4242 code=42
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "events.h"
#include "output.h"

/* The BPF object, embedded packed by objects.S. */
extern const unsigned char exit_bpf_o[], exit_bpf_o_end[];

static int exit_configure(struct spec *s, const struct options *opt, struct diag *d)
{
	return spec_set_var(s, "target_comm", opt->comm, strlen(opt->comm) + 1, d);
}

static int exit_print(struct session *ss, const struct spec_map *m, const void *data, __u32 size)
{
	bool json = ss->opt->json;
	struct exit_event e;

	(void)m;
	if (size < sizeof(e)) {
		ss->malformed++;
		return 0;
	}
	memcpy(&e, data, sizeof(e));
	out_puts(ss, json ? "{\"comm\":\"" : "comm=");
	put_comm(ss, e.comm, json);
	put_uint(ss, json ? "\",\"pid\":" : " pid=", e.pid);
	put_int(ss, json ? ",\"code\":" : " code=", e.code);
	if (json)
		out_putc(ss, '}');
	return end_line(ss);
}

const struct command cmd_exit = {
	.name = "exit",
	.summary = "report the exit code of every process with a given name",
	.obj = exit_bpf_o, .obj_end = exit_bpf_o_end,
	.configure = exit_configure,
	.print = exit_print,
};
