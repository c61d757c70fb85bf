// SPDX-License-Identifier: MIT
/*
 * mini-trace run: an exercise object's SUBMIT_* and DEBUG_* records
 * (include/ep_platform.h, or the ebpf.party site's own header), one line
 * each, with the label the learner wrote, graded with --expect:
 *
 *	debug: Exit code = 42
 *	debug: Process = "exit_with_code"
 *	debug: A struct = 39300000414243444500
 *	submit: 42
 *	event: "samples": 0df0edfe (another map's records, as hex)
 *
 * The labels come from the object file (parse/ep_labels.c); a record whose
 * call has none (the site's header writes no table) is shown by counter:
 * "debug: #3 = 42".  cmd_grade.c decodes and judges with the same code.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "ep_labels.h"
#include "events.h"
#include "file.h"
#include "output.h"

/* An object file is read once more, for its labels: at most this big. */
#define LABELS_OBJECT_MAX (64u << 20)

struct ep_answer {
	__u8 kind; /* enum ep_kind */
	__u8 len;
	__u32 flags; /* EP_LABEL_* of its call */
	unsigned char data[EP_VALUE_MAX];
};

/* The command's state: the object's labels, and its answers for the verdict. */
struct ep_state {
	unsigned char *file; /* the object's bytes: the labels point into them */
	struct ep_labels labels;
	__u64 answers;
	struct ep_answer answer; /* the first of them */
};

int ep_start(struct session *ss)
{
	struct ep_state *st = calloc(1, sizeof(*st));
	struct diag d;
	size_t size;
	int err;

	if (!st)
		return -ENOMEM;
	ss->state = st;
	/* The object was read and parsed already: a failure here only costs labels. */
	if (!ss->opt->object || read_file(ss->opt->object, LABELS_OBJECT_MAX, &st->file, &size))
		return 0;
	err = ep_labels_parse(&st->labels, st->file, size, &d);
	if (err)
		ep_labels_free(&st->labels);
	return 0;
}

void ep_stop(struct session *ss)
{
	struct ep_state *st = ss->state;

	if (st) {
		ep_labels_free(&st->labels);
		free(st->file);
	}
	free(st);
	ss->state = NULL;
}

static const char *const kind_names[] = {
	[EP_NUM] = "num",
	[EP_STR] = "str",
	[EP_STRUCT] = "struct",
};

/* Strings are compared and shown without the NULs that pad their array. */
static size_t trim_nuls(const unsigned char *p, size_t n)
{
	while (n && !p[n - 1])
		n--;
	return n;
}

/*
 * A number record holds len (1..8) bytes of the value as the machine lays
 * it out; the label table says whether its type was signed.
 */
static __u64 ep_number(const unsigned char *p, size_t len, __u32 flags, bool *neg)
{
	__u64 v = 0;

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	memcpy((unsigned char *)&v + 8 - len, p, len);
#else
	memcpy(&v, p, len);
#endif
	*neg = false;
	if ((flags & EP_LABEL_SIGNED) && len < 8 && (v >> (8 * len - 1)) & 1)
		v |= ~0ull << (8 * len);
	if (flags & EP_LABEL_SIGNED)
		*neg = (__s64)v < 0;
	return v;
}

static void put_number(struct session *ss, const unsigned char *p, size_t len, __u32 flags)
{
	bool neg;
	__u64 v = ep_number(p, len, flags, &neg);

	if (neg)
		out_printf(ss, "%lld", (long long)v);
	else
		out_printf(ss, "%llu", (unsigned long long)v);
}

static void put_value(struct session *ss, __u8 kind, const unsigned char *p, size_t len,
		      __u32 flags, bool json)
{
	if (kind == EP_NUM) {
		put_number(ss, p, len, flags);
		return;
	}
	if (kind == EP_STRUCT && !json) {
		put_hex(ss, p, len);
		return;
	}
	out_putc(ss, '"');
	if (kind == EP_STR)
		put_escaped(ss, p, trim_nuls(p, len), json);
	else
		put_hex(ss, p, len);
	out_putc(ss, '"');
}

static int ep_print_record(struct session *ss, __u8 kind, __u8 counter, const unsigned char *p,
			   size_t len)
{
	const struct ep_state *st = ss->state;
	const struct ep_label *l = ep_label_find(&st->labels, counter);
	bool answer = kind & EP_ANSWER, json = ss->opt->json;
	__u32 flags = l ? l->flags : 0;

	kind &= ~EP_ANSWER;
	if (json) {
		out_printf(ss, "{\"answer\":%s,\"kind\":\"%s\",\"counter\":%u,\"label\":",
			   answer ? "true" : "false", kind_names[kind], counter);
		if (l) {
			out_putc(ss, '"');
			put_escaped(ss, (const unsigned char *)l->label, strlen(l->label), true);
			out_putc(ss, '"');
		} else {
			out_puts(ss, "null");
		}
		out_puts(ss, ",\"value\":");
		put_value(ss, kind, p, len, flags, true);
		out_putc(ss, '}');
		return end_line(ss);
	}
	if (answer) {
		out_puts(ss, "submit: ");
	} else if (l && !l->label[0]) {
		out_puts(ss, "debug: "); /* a call without a label (mini_trace.h) */
	} else if (l) {
		/* The object chose the label: escaped like any data. */
		out_puts(ss, "debug: ");
		put_escaped(ss, (const unsigned char *)l->label, strlen(l->label), false);
		out_puts(ss, " = ");
	} else {
		out_printf(ss, "debug: #%u = ", counter);
	}
	put_value(ss, kind, p, len, flags, false);
	return end_line(ss);
}

/*
 * Records from the exercise ring buffer, EP_EVENTS_MAP, are decoded; any
 * other perf or ring buffer in the object is the program's own, and its
 * records are shown as hex.
 */
int ep_print(struct session *ss, const struct spec_map *m, const void *data, __u32 size)
{
	struct ep_state *st = ss->state;
	const unsigned char *r = data;
	__u8 kind, len;

	if (strcmp(m->name, EP_EVENTS_MAP)) {
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
	if (size < EP_HDR) {
		ss->malformed++;
		return 0;
	}
	kind = r[0] & ~EP_ANSWER;
	len = r[2];
	if (kind < EP_NUM || kind > EP_STRUCT || len > size - EP_HDR ||
	    (kind == EP_NUM && (len < 1 || len > 8))) {
		ss->malformed++;
		return 0;
	}
	if ((r[0] & EP_ANSWER) && st->answers++ == 0) {
		const struct ep_label *l = ep_label_find(&st->labels, r[1]);

		st->answer.kind = kind;
		st->answer.len = len;
		st->answer.flags = l ? l->flags : 0;
		memcpy(st->answer.data, r + EP_HDR, len);
	}
	return ep_print_record(ss, r[0], r[1], r + EP_HDR, len);
}

/* Bytes of a string answer a verdict shows: a message holds 256. */
#define SHOWN 40

/* The answer, as the verdict shows it: a number, or quoted and escaped text. */
static void answer_text(const struct ep_answer *a, char *buf, size_t size)
{
	if (a->kind == EP_NUM) {
		bool neg;
		__u64 v = ep_number(a->data, a->len, a->flags, &neg);

		fmt(buf, size, neg ? "%lld" : "%llu", (long long)v);
	} else if (a->kind == EP_STR) {
		size_t n = trim_nuls(a->data, a->len);
		char esc[4 * SHOWN + 1];

		esc[escape(esc, a->data, n < SHOWN ? n : SHOWN, '"', false)] = '\0';
		fmt(buf, size, "\"%s\"%s", esc, n > SHOWN ? " (cut)" : "");
	} else {
		size_t o = fmt(buf, size, "struct ");

		for (size_t i = 0; i < a->len && i < SHOWN && o + 3 < size; i++)
			o += fmt(buf + o, size - o, "%02x", a->data[i]);
	}
}

/*
 * The verdict on the answers against want: exactly one, equal to want as
 * a number when the answer is one, as text (trailing NULs trimmed) when it
 * is a string.  0 when correct; otherwise -ENOENT (none), -E2BIG (several)
 * or -EINVAL (wrong), with v->got saying what came.
 */
int ep_judge(const struct session *ss, const char *want, struct ep_verdict *v)
{
	const struct ep_state *st = ss->state;
	const struct ep_answer *a = st ? &st->answer : NULL;

	memset(v, 0, sizeof(*v));
	v->answers = st ? st->answers : 0;
	if (!v->answers)
		return -ENOENT;
	answer_text(a, v->got, sizeof(v->got));
	if (v->answers > 1)
		return -E2BIG;
	if (a->kind == EP_NUM) {
		bool neg;
		__u64 got = ep_number(a->data, a->len, a->flags, &neg);
		char *end;
		long long w;

		errno = 0;
		w = strtoll(want, &end, 0);
		if (!errno && end != want && !*end && (__u64)w == got)
			return 0;
		return -EINVAL;
	}
	if (a->kind == EP_STR) {
		size_t n = trim_nuls(a->data, a->len);

		return n == strlen(want) && !memcmp(a->data, want, n) ? 0 : -EINVAL;
	}
	return -EINVAL;
}

/* The verdict in words: "no answer", "2 answers", "wrong answer: got X, wanted Y". */
int ep_verdict_text(int result, const struct ep_verdict *v, const char *wanted, char *buf,
		    size_t size)
{
	if (result == -ENOENT)
		fmt(buf, size, "no answer");
	else if (result == -E2BIG)
		fmt(buf, size, "%llu answers", (unsigned long long)v->answers);
	else if (result)
		fmt(buf, size, "wrong answer: got %s, wanted %s", v->got, wanted);
	else
		fmt(buf, size, "correct");
	return result;
}

static int run_finish(struct session *ss, struct diag *d)
{
	const char *want = ss->opt->expect;
	struct ep_verdict v;
	int err = 0;

	if (want) {
		char text[sizeof(d->msg) - 16], wanted[sizeof(d->msg) / 2];
		size_t n = strlen(want), k = 0;

		err = ep_judge(ss, want, &v);
		if (err) {
			/*
			 * --expect's value shown as the answer is: quoted when
			 * that is text, and escaped either way, as it reaches a
			 * terminal.
			 */
			bool text_answer = v.got[0] == '"';

			if (n > (sizeof(wanted) - 3) / 4)
				n = (sizeof(wanted) - 3) / 4;
			if (text_answer)
				wanted[k++] = '"';
			k += escape(wanted + k, want, n, text_answer ? '"' : 0, false);
			if (text_answer)
				wanted[k++] = '"';
			wanted[k] = '\0';
			ep_verdict_text(err, &v, wanted, text, sizeof(text));
			diag(d, err, "expect: %s", text);
		}
	}
	ep_stop(ss);
	return err;
}

/*
 * open(2) is missing on arm64 and riscv64 (include/uapi/asm-generic/
 * unistd.h has openat(2) only): a program on it, which a solution has for
 * musl's open() elsewhere, is skipped there rather than refused.
 */
const char *const ep_optional[] = {
	"syscalls/sys_enter_open",
	"syscalls/sys_exit_open",
	NULL,
};

const struct command cmd_run = {
	.name = "run",
	.summary = "run an exercise-style BPF object (SUBMIT_*/DEBUG_* output)",
	.optional = ep_optional,
	.start = ep_start,
	.print = ep_print,
	.finish = run_finish,
};
