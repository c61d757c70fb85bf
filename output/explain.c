// SPDX-License-Identifier: MIT
/*
 * Reads a verifier log (log_level 1) backwards from its end.  When the
 * program was loaded with BTF line info (prog_btf_fd, line_info), the
 * verifier prints the source line before the instructions it came from,
 * as "; <text> @ <file>:<line>" (verbose_linfo(), kernel/bpf/verifier.c,
 * 5.x on; before 5.6 the " @ file:line" part is missing).  The line the
 * walk was on when it stopped is the last such annotation before the
 * error; the error is the last line that is neither an instruction
 * ("12: (85) call ..."), nor an annotation, nor the closing statistics
 * ("processed 7 insns ...", "verification time ...").
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "fmt.h"

/*
 * What a learner meets most, by a piece of the verifier's message
 * (kernel/bpf/verifier.c), first match wins.
 */
static const struct cause {
	const char *says;
	const char *hint;
} causes[] = {
	{ "_or_null", "a map lookup (or another helper) may return NULL: check the pointer "
		      "(if (!p) return 0;) before using it" },
	{ "infinite loop", "a loop the verifier cannot prove ends: give it a constant bound "
			   "(for (int i = 0; i < 10; i++))" },
	{ "back-edge", "a loop the verifier cannot prove ends: give it a constant bound "
		       "(for (int i = 0; i < 10; i++))" },
	{ "jumps is too complex", "a loop the verifier cannot prove ends: give it a constant bound "
				  "(for (int i = 0; i < 10; i++))" },
	{ "too large",
	  "the verifier walked too many paths: bound loops tighter, or make them fewer" },
	{ "dereference of modified ctx ptr",
	  "read the context only at fixed offsets (ctx->field); copy a variable "
	  "part with bpf_probe_read_kernel()" },
	{ "variable ctx access",
	  "read the context only at fixed offsets (ctx->field); copy a variable "
	  "part with bpf_probe_read_kernel()" },
	{ "invalid bpf_context access",
	  "the context (ctx) can only be read, and only within the tracepoint's "
	  "record: copy what you need into a local variable" },
	{ "pointer arithmetic",
	  "the verifier refuses this pointer arithmetic: add a bounded integer "
	  "offset to the pointer instead" },
	{ "pointer comparison",
	  "the verifier refuses to compare these pointers: compare integers (an "
	  "offset, a length) instead" },
	{ "math between",
	  "an offset added to a pointer is not bounded, or the verifier refuses "
	  "this arithmetic: check the offset (if (i >= N) return 0;) right before" },
	{ "invalid zero-sized read",
	  "a helper was given a size that may be 0: check that it is at least 1" },
	{ "min value is negative", "a size or index the verifier cannot bound: clamp it (if (n > "
				   "sizeof(buf)) n = sizeof(buf);) right before it is used" },
	{ "unbounded memory access",
	  "an index or size the verifier cannot bound: check it (if (i >= "
	  "sizeof(buf)) return 0;) right before it is used" },
	{ "invalid indirect read from stack",
	  "a helper reads a local variable that is not fully written: initialise "
	  "it (= {})" },
	{ "invalid read from stack",
	  "a local variable is read before it is written: initialise it (= {})" },
	{ "outside of the allowed memory range",
	  "an index or offset the verifier cannot bound: check it against the size "
	  "(if (i >= N) return 0;) right before the access" },
	{ "invalid access to map value",
	  "an index or offset past the end of the map value: check it against "
	  "the value's size first" },
	{ "invalid access to memory",
	  "an index or offset past the end of the buffer: check it against its "
	  "size first" },
	{ "R0 !read_ok", "the function must return a value on every path" },
	{ "!read_ok", "a variable is used before it is set on some path" },
	{ "invalid func", "this kernel does not have that helper, or not for this program type" },
	{ "unreleased reference",
	  "a ring buffer reservation (or another reference) is not submitted or "
	  "discarded on some path" },
};

static bool is_insn(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i > 0 && i < n && s[i] == ':';
}

static bool is_trailer(const char *s, size_t n)
{
	static const char *const words[] = { "processed ",  "verification time",
					     "stack depth", "from ",
					     "last_idx",    "mark_precise",
					     "parent ",	    "regs=" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (n >= strlen(words[i]) && !strncmp(s, words[i], strlen(words[i])))
			return true;
	return false;
}

/* "; text @ file:line": text, file and line, or false. */
static bool annotation(const char *s, size_t n, struct explained *x)
{
	char buf[512];
	char *at, *colon, *end;
	unsigned long line;

	if (n < 2 || s[0] != ';' || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	at = strstr(buf, " @ ");
	if (!at)
		return false;
	*at = '\0';
	colon = strrchr(at + 3, ':');
	if (!colon)
		return false;
	*colon = '\0';
	line = strtoul(colon + 1, &end, 10);
	if (*end || line == 0) /* line 0: code no line stands for */
		return false;
	x->line = line;
	fmt(x->file, sizeof(x->file), "%s", at + 3);
	/* The text after "; ", leading blanks trimmed. */
	s = buf + 1;
	while (*s == ' ' || *s == '\t')
		s++;
	fmt(x->source, sizeof(x->source), "%s", s);
	return true;
}

int verifier_explain(const char *log, struct explained *x)
{
	const char *end, *start;
	bool have_message = false;

	memset(x, 0, sizeof(*x));
	if (!log)
		return -ENOENT;
	end = log + strlen(log);
	while (end > log) {
		size_t n;

		start = end;
		while (start > log && start[-1] != '\n')
			start--;
		n = end - start;
		if (n == 0 || is_trailer(start, n) || (is_insn(start, n) && !have_message)) {
			/* nothing to learn from it */
		} else if (!have_message && start[0] != ';' && !is_insn(start, n)) {
			fmt(x->message, sizeof(x->message), "%.*s", (int)n, start);
			have_message = true;
		} else if (have_message && annotation(start, n, x)) {
			break;
		}
		if (start == log)
			break;
		end = start - 1; /* the previous line ends at this one's '\n' */
	}
	if (!have_message)
		return -ENOENT;
	for (size_t i = 0; i < sizeof(causes) / sizeof(causes[0]); i++)
		if (strstr(x->message, causes[i].says)) {
			x->hint = causes[i].hint;
			break;
		}
	return 0;
}
