// SPDX-License-Identifier: MIT
/*
 * mini-trace password: what any process reads from a given file, one line
 * per read, put back together from the chunks the program sends:
 *
 *	pid=4243 tid=4243 comm="cat" fd=3 len=8 data="hunter2\n"
 *
 * with shown=N when fewer than len bytes could be sent, and complete=no
 * when some of the read's chunks were lost.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "events.h"
#include "output.h"

/* The BPF object, embedded packed by objects.S. */
extern const unsigned char password_bpf_o[], password_bpf_o_end[];

/* A read of the password file being put back together from its chunks. */
struct pending_read {
	struct password_event head;	/* the first chunk's fields */
	unsigned char *data;
	size_t have;
};

/* The command's state: the reads in progress, one per thread. */
struct password_state {
	struct pending_read *pending;
	size_t pending_cnt;
};

static int password_configure(struct spec *s, const struct options *opt, struct diag *d)
{
	return spec_set_var(s, "target_path", opt->file, strlen(opt->file) + 1, d);
}

static int password_emit(struct session *ss, const struct password_event *e,
			 const unsigned char *data, size_t n, bool complete)
{
	bool json = ss->opt->json;
	bool truncated = e->flags & PASSWORD_TRUNCATED;

	put_uint(ss, json ? "{\"pid\":" : "pid=", e->pid);
	put_uint(ss, json ? ",\"tid\":" : " tid=", e->tid);
	out_puts(ss, json ? ",\"comm\":\"" : " comm=\"");
	put_comm(ss, e->comm, json);
	put_int(ss, json ? "\",\"fd\":" : "\" fd=", e->fd);
	put_uint(ss, json ? ",\"len\":" : " len=", e->len);
	if (json) {
		out_puts(ss, ",\"data\":\"");
		put_escaped(ss, data, n, true);
		out_puts(ss, truncated ? "\",\"truncated\":true" : "\",\"truncated\":false");
		out_puts(ss, complete ? ",\"complete\":true}" : ",\"complete\":false}");
	} else {
		if (n < e->len)
			put_uint(ss, " shown=", n);
		if (!complete)
			out_puts(ss, " complete=no");
		out_puts(ss, " data=\"");
		put_escaped(ss, data, n, false);
		out_putc(ss, '"');
	}
	return end_line(ss);
}

static int password_start(struct session *ss)
{
	ss->state = calloc(1, sizeof(struct password_state));
	return ss->state ? 0 : -ENOMEM;
}

static struct pending_read *pending_find(struct password_state *st, __u32 tid)
{
	for (size_t i = 0; i < st->pending_cnt; i++)
		if (st->pending[i].head.tid == tid)
			return &st->pending[i];
	return NULL;
}

static int pending_flush(struct session *ss, struct pending_read *pr, bool complete)
{
	struct password_state *st = ss->state;
	int err = password_emit(ss, &pr->head, pr->data, pr->have, complete);

	free(pr->data);
	*pr = st->pending[--st->pending_cnt];
	return err;
}

/*
 * The program sends one read as chunks with rising offsets, back to back
 * from one thread; they are joined here by thread id.  A chunk that does not
 * continue the read in progress means the kernel dropped some (the lost
 * count says how many): what arrived is printed, marked incomplete.
 */
static int password_print(struct session *ss, const struct spec_map *m, const void *data,
			  __u32 size)
{
	const size_t hdr = offsetof(struct password_event, data);
	const unsigned char *bytes = (const unsigned char *)data + hdr;
	struct password_state *st = ss->state;
	struct password_event e;
	struct pending_read *pr;
	__u64 want;
	int err = 0;

	(void)m;
	if (size < hdr) {
		ss->malformed++;
		return 0;
	}
	memcpy(&e, data, hdr);
	if (e.chunk > PASSWORD_CHUNK || hdr + e.chunk > size) {
		ss->malformed++;
		return 0;
	}
	/* What the program sends of this read: all of it, or up to its cap. */
	want = e.len < (__u64)PASSWORD_CHUNK * PASSWORD_MAX_CHUNKS ?
		e.len : (__u64)PASSWORD_CHUNK * PASSWORD_MAX_CHUNKS;

	pr = pending_find(st, e.tid);
	if (pr && (e.off != pr->have || e.len != pr->head.len)) {
		err = pending_flush(ss, pr, false);
		pr = NULL;
	}
	if (!pr) {
		/* One chunk, an empty one (no bytes to show), or a lost start. */
		if (e.off != 0 || e.chunk == 0 || e.chunk >= want)
			return err ?: password_emit(ss, &e, bytes, e.chunk, e.off == 0);
		pr = realloc(st->pending, (st->pending_cnt + 1) * sizeof(*st->pending));
		if (!pr)
			return -ENOMEM;
		st->pending = pr;
		pr = &st->pending[st->pending_cnt];
		pr->data = malloc(want);
		if (!pr->data)
			return -ENOMEM;
		pr->head = e;
		pr->have = 0;
		st->pending_cnt++;
	}
	if (e.chunk == 0) {		/* the program could send no more of it */
		pr->head.flags |= e.flags;
		return pending_flush(ss, pr, true);
	}
	if (pr->have + e.chunk > want)
		return pending_flush(ss, pr, false);
	memcpy(pr->data + pr->have, bytes, e.chunk);
	pr->have += e.chunk;
	if (pr->have == want)
		err = pending_flush(ss, pr, true);
	return err;
}

/* Reads still missing chunks when the run ends are shown, not dropped. */
static int password_finish(struct session *ss, struct diag *d)
{
	struct password_state *st = ss->state;

	(void)d;
	if (!st)
		return 0;
	while (st->pending_cnt && !ss->broken_pipe)
		pending_flush(ss, &st->pending[0], false);
	for (size_t i = 0; i < st->pending_cnt; i++)
		free(st->pending[i].data);
	free(st->pending);
	free(st);
	ss->state = NULL;
	return 0;
}

/*
 * open(2) and dup2(2) are legacy syscalls that arm64 and riscv never had
 * (include/uapi/asm-generic/unistd.h); glibc and musl use openat and dup3
 * there, so nothing is missed without them.
 */
static const char *const password_optional[] = {
	"syscalls/sys_enter_open", "syscalls/sys_exit_open",
	"syscalls/sys_enter_dup2", "syscalls/sys_exit_dup2", NULL,
};

const struct command cmd_password = {
	.name = "password",
	.summary = "report what any process reads from a given file",
	.obj = password_bpf_o, .obj_end = password_bpf_o_end,
	.configure = password_configure,
	.optional = password_optional,
	.start = password_start,
	.print = password_print,
	.finish = password_finish,
};
