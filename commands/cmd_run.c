// SPDX-License-Identifier: MIT
/*
 * mini-trace run: an exercise-style object's SUBMIT_* and DEBUG_* records
 * (include/mini_trace.h), one line each, graded with --expect:
 *
 *	submit: 42 / debug: "hello" / debug: struct 2a000000
 *	event: "samples": 0df0edfe (another map's records, as hex)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "events.h"
#include "output.h"

/* The command's state: the answers (SUBMIT_* records), for --expect. */
struct run_state {
	__u64 answers;
	struct {
		__u8 kind;
		__u16 len;
		unsigned char data[MT_DATA_MAX];
	} answer; /* the first of them */
};

static int run_start(struct session *ss)
{
	ss->state = calloc(1, sizeof(struct run_state));
	return ss->state ? 0 : -ENOMEM;
}

static const char *const mt_kind_names[] = {
	[MT_NUM] = "num",
	[MT_STR] = "str",
	[MT_STRUCT] = "struct",
};

/* Strings are compared and shown without the NULs that pad their array. */
static size_t trim_nuls(const unsigned char *p, size_t n)
{
	while (n && !p[n - 1])
		n--;
	return n;
}

static int run_print_record(struct session *ss, const struct mt_record *r,
			    const unsigned char *data)
{
	bool json = ss->opt->json;
	__s64 num = 0;
	size_t n = r->len;

	if (r->kind == MT_NUM)
		memcpy(&num, data, sizeof(num));
	else if (r->kind == MT_STR)
		n = trim_nuls(data, n);

	if (json) {
		out_printf(ss, "{\"seq\":%llu,\"answer\":%s,\"kind\":\"%s\",\"value\":",
			   (unsigned long long)r->seq, r->answer ? "true" : "false",
			   mt_kind_names[r->kind]);
		if (r->kind == MT_NUM) {
			out_printf(ss, "%lld", (long long)num);
		} else {
			out_putc(ss, '"');
			if (r->kind == MT_STR)
				put_escaped(ss, data, n, true);
			else
				put_hex(ss, data, n);
			out_putc(ss, '"');
		}
		out_printf(ss, ",\"truncated\":%u}", r->truncated);
	} else {
		out_puts(ss, r->answer ? "submit: " : "debug: ");
		if (r->kind == MT_NUM) {
			out_printf(ss, "%lld", (long long)num);
		} else if (r->kind == MT_STR) {
			out_putc(ss, '"');
			put_escaped(ss, data, n, false);
			out_putc(ss, '"');
		} else {
			out_puts(ss, "struct ");
			put_hex(ss, data, n);
		}
		if (r->truncated)
			out_printf(ss, " (%u more bytes cut)", r->truncated);
	}
	return end_line(ss);
}

/*
 * Records from the exercise API's ring buffer, mt_events, are decoded; any
 * other perf or ring buffer in the object is the program's own, and its
 * records are shown as hex.
 */
static int run_print(struct session *ss, const struct spec_map *m, const void *data, __u32 size)
{
	const size_t hdr = offsetof(struct mt_record, data);
	struct run_state *st = ss->state;
	struct mt_record r;

	if (strcmp(m->name, "mt_events")) {
		/* The object named the map: quoted and escaped like any data. */
		out_puts(ss, ss->opt->json ? "{\"map\":\"" : "event: \"");
		put_escaped(ss, (const unsigned char *)m->name, strlen(m->name), ss->opt->json);
		if (ss->opt->json)
			put_uint(ss, "\",\"len\":", size);
		out_puts(ss, ss->opt->json ? ",\"hex\":\"" : "\": ");
		put_hex(ss, data, size);
		if (ss->opt->json)
			out_puts(ss, "\"}");
		return end_line(ss);
	}
	if (size < hdr) {
		ss->malformed++;
		return 0;
	}
	memcpy(&r, data, hdr);
	if (r.kind < MT_NUM || r.kind > MT_STRUCT || r.len > size - hdr || r.len > MT_DATA_MAX ||
	    (r.kind == MT_NUM && r.len != sizeof(__s64))) {
		ss->malformed++;
		return 0;
	}
	if (r.answer && st->answers++ == 0) {
		st->answer.kind = r.kind;
		st->answer.len = r.len;
		memcpy(st->answer.data, (const unsigned char *)data + hdr, r.len);
	}
	return run_print_record(ss, &r, (const unsigned char *)data + hdr);
}

/* Bytes of a string answer a verdict shows: a message holds 256. */
#define SHOWN 24

/*
 * --expect VALUE: exactly one answer, equal to VALUE, as a number when the
 * answer is one, as text (trailing NULs trimmed) when it is a string.
 */
static int run_grade(const struct run_state *st, const char *want, struct diag *d)
{
	__u64 answers = st ? st->answers : 0;
	char *end;

	if (answers == 0)
		return diag(d, -ENOENT, "expect: no answer arrived (wanted %s)", want);
	if (answers > 1)
		return diag(d, -E2BIG, "expect: %llu answers arrived, wanted exactly one",
			    (unsigned long long)answers);
	if (st->answer.kind == MT_NUM) {
		__s64 got;
		long long v;

		memcpy(&got, st->answer.data, sizeof(got));
		errno = 0;
		v = strtoll(want, &end, 0);
		if (errno || end == want || *end || v != got)
			return diag(d, -EINVAL, "expect: wrong answer: got %lld, wanted %s",
				    (long long)got, want);
		return 0;
	}
	if (st->answer.kind == MT_STR) {
		size_t n = trim_nuls(st->answer.data, st->answer.len), w = strlen(want);
		/* The program chose these bytes: escaped, cut to what a message holds. */
		char got[4 * SHOWN], wanted[4 * SHOWN];

		if (n != w || memcmp(st->answer.data, want, n))
			return diag(d, -EINVAL,
				    "expect: wrong answer: got \"%.*s\"%s, wanted \"%.*s\"%s",
				    (int)escape(got, st->answer.data, n < SHOWN ? n : SHOWN, '"',
						false),
				    got, n > SHOWN ? " (cut)" : "",
				    (int)escape(wanted, want, w < SHOWN ? w : SHOWN, '"', false),
				    wanted, w > SHOWN ? " (cut)" : "");
		return 0;
	}
	return diag(d, -EINVAL, "expect: the answer is a struct, not a value");
}

static int run_finish(struct session *ss, struct diag *d)
{
	const char *want = ss->opt->expect;
	int err = want ? run_grade(ss->state, want, d) : 0;

	free(ss->state);
	ss->state = NULL;
	return err;
}

const struct command cmd_run = {
	.name = "run",
	.summary = "run an exercise-style BPF object (SUBMIT_*/DEBUG_* output)",
	.start = run_start,
	.print = run_print,
	.finish = run_finish,
};
