// SPDX-License-Identifier: MIT
/*
 * -vv: the kernel interface, shown.  One line per call, as it happens:
 *
 *   bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_HASH, ...}, 72) = 4 (0.012 ms)  # why
 *
 * shaped as strace(1) shows the same call, so the two can be read side by
 * side, with the fields of union bpf_attr and struct perf_event_attr that
 * the call uses named (include/uapi/linux/bpf.h, perf_event.h), the result
 * (an fd, or errno by name), the time the kernel took, and why mini-trace
 * made it, told from what the call is and what its fds were made for.
 * With --json, each line is one JSON object with the same fields.
 *
 * Everything an object chose (a license, a tracepoint's path) is escaped;
 * map and program names reach the kernel already reduced to [A-Za-z0-9_.]
 * (bpf.c), and are escaped all the same.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "file.h"
#include "fmt.h"
#include "output.h"
#include "syscalls.h"

bool syscalls_shown;
static bool json;

void syscalls_show(bool on, bool as_json)
{
	syscalls_shown = on;
	json = as_json;
}

show_time show_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((show_time)ts.tv_sec * 1000000000 + ts.tv_nsec) ?: 1;
}

/* ---- names: the kernel's numbers, as the uapi headers spell them -------- */

#ifndef ENOTSUPP
#define ENOTSUPP 524 /* the kernel's own, include/linux/errno.h */
#endif

/*
 * A table is its numbers, and its names as one string, each name ended by a
 * NUL: 4 bytes a name instead of a 16-byte {number, pointer} pair.
 */
struct names {
	const unsigned *val;
	const char *str;
	size_t n;
};
#define VAL(x) x,
#define STR(x) #x "\0"
#define NAMES(id, LIST)                                       \
	static const unsigned id##_val[] = { LIST(VAL) };     \
	static const struct names id = { id##_val, LIST(STR), \
					 sizeof(id##_val) / sizeof(id##_val[0]) }

/* The name of v in t, or NULL. */
static const char *name_of(const struct names *t, unsigned long long v)
{
	const char *s = t->str;

	for (size_t i = 0; i < t->n; i++, s += strlen(s) + 1)
		if (t->val[i] == v)
			return s;
	return NULL;
}
#define NAME_OF(table, v) name_of(&table, v)

#define BPF_CMDS(X)                \
	X(BPF_MAP_CREATE)          \
	X(BPF_MAP_LOOKUP_ELEM)     \
	X(BPF_MAP_UPDATE_ELEM)     \
	X(BPF_MAP_DELETE_ELEM)     \
	X(BPF_MAP_GET_NEXT_KEY)    \
	X(BPF_PROG_LOAD)           \
	X(BPF_OBJ_PIN)             \
	X(BPF_OBJ_GET)             \
	X(BPF_PROG_ATTACH)         \
	X(BPF_PROG_DETACH)         \
	X(BPF_PROG_TEST_RUN)       \
	X(BPF_PROG_GET_NEXT_ID)    \
	X(BPF_MAP_GET_NEXT_ID)     \
	X(BPF_PROG_GET_FD_BY_ID)   \
	X(BPF_MAP_GET_FD_BY_ID)    \
	X(BPF_OBJ_GET_INFO_BY_FD)  \
	X(BPF_PROG_QUERY)          \
	X(BPF_RAW_TRACEPOINT_OPEN) \
	X(BPF_BTF_LOAD)            \
	X(BPF_BTF_GET_FD_BY_ID)    \
	X(BPF_TASK_FD_QUERY)       \
	X(BPF_MAP_FREEZE)          \
	X(BPF_BTF_GET_NEXT_ID)     \
	X(BPF_LINK_CREATE)         \
	X(BPF_LINK_DETACH)
NAMES(bpf_cmds, BPF_CMDS);

#define MAP_TYPES(X)                     \
	X(BPF_MAP_TYPE_HASH)             \
	X(BPF_MAP_TYPE_ARRAY)            \
	X(BPF_MAP_TYPE_PROG_ARRAY)       \
	X(BPF_MAP_TYPE_PERF_EVENT_ARRAY) \
	X(BPF_MAP_TYPE_PERCPU_HASH)      \
	X(BPF_MAP_TYPE_PERCPU_ARRAY)     \
	X(BPF_MAP_TYPE_STACK_TRACE)      \
	X(BPF_MAP_TYPE_LRU_HASH)         \
	X(BPF_MAP_TYPE_LRU_PERCPU_HASH)  \
	X(BPF_MAP_TYPE_RINGBUF)
NAMES(map_types, MAP_TYPES);

#define PROG_TYPES(X)                   \
	X(BPF_PROG_TYPE_SOCKET_FILTER)  \
	X(BPF_PROG_TYPE_KPROBE)         \
	X(BPF_PROG_TYPE_TRACEPOINT)     \
	X(BPF_PROG_TYPE_PERF_EVENT)     \
	X(BPF_PROG_TYPE_RAW_TRACEPOINT) \
	X(BPF_PROG_TYPE_TRACING)
NAMES(prog_types, PROG_TYPES);

/* Flags are shown as NAME|NAME, with what is left over in hex. */
#define MAP_FLAGS(X)           \
	X(BPF_F_NO_PREALLOC)   \
	X(BPF_F_NO_COMMON_LRU) \
	X(BPF_F_NUMA_NODE)     \
	X(BPF_F_RDONLY)        \
	X(BPF_F_WRONLY)        \
	X(BPF_F_RDONLY_PROG)   \
	X(BPF_F_WRONLY_PROG)   \
	X(BPF_F_MMAPABLE)
NAMES(map_flags, MAP_FLAGS);

#define ELEM_FLAGS(X)  \
	X(BPF_ANY)     \
	X(BPF_NOEXIST) \
	X(BPF_EXIST)
NAMES(elem_flags, ELEM_FLAGS);

#define PERF_TYPES(X)           \
	X(PERF_TYPE_HARDWARE)   \
	X(PERF_TYPE_SOFTWARE)   \
	X(PERF_TYPE_TRACEPOINT) \
	X(PERF_TYPE_HW_CACHE)   \
	X(PERF_TYPE_RAW)        \
	X(PERF_TYPE_BREAKPOINT)
NAMES(perf_types, PERF_TYPES);

#define SW_CONFIGS(X)               \
	X(PERF_COUNT_SW_CPU_CLOCK)  \
	X(PERF_COUNT_SW_TASK_CLOCK) \
	X(PERF_COUNT_SW_BPF_OUTPUT)
NAMES(sw_configs, SW_CONFIGS);

#define SAMPLE_FLAGS(X)          \
	X(PERF_SAMPLE_IP)        \
	X(PERF_SAMPLE_TID)       \
	X(PERF_SAMPLE_TIME)      \
	X(PERF_SAMPLE_ADDR)      \
	X(PERF_SAMPLE_READ)      \
	X(PERF_SAMPLE_CALLCHAIN) \
	X(PERF_SAMPLE_ID)        \
	X(PERF_SAMPLE_CPU)       \
	X(PERF_SAMPLE_PERIOD)    \
	X(PERF_SAMPLE_RAW)
NAMES(sample_flags, SAMPLE_FLAGS);

#define IOCTLS(X)                 \
	X(PERF_EVENT_IOC_ENABLE)  \
	X(PERF_EVENT_IOC_DISABLE) \
	X(PERF_EVENT_IOC_SET_BPF)
NAMES(ioctls, IOCTLS);

#define PROTS(X)      \
	X(PROT_READ)  \
	X(PROT_WRITE) \
	X(PROT_EXEC)
NAMES(prots, PROTS);

#define MFLAGS(X)      \
	X(MAP_SHARED)  \
	X(MAP_PRIVATE) \
	X(MAP_FIXED)
NAMES(mflags, MFLAGS);

#define ERRNOS(X)       \
	X(EPERM)        \
	X(ENOENT)       \
	X(ESRCH)        \
	X(EINTR)        \
	X(EIO)          \
	X(E2BIG)        \
	X(EBADF)        \
	X(EAGAIN)       \
	X(ENOMEM)       \
	X(EACCES)       \
	X(EFAULT)       \
	X(EBUSY)        \
	X(EEXIST)       \
	X(ENODEV)       \
	X(EINVAL)       \
	X(ENFILE)       \
	X(EMFILE)       \
	X(EFBIG)        \
	X(ENOSPC)       \
	X(ERANGE)       \
	X(ENOSYS)       \
	X(ENAMETOOLONG) \
	X(ELOOP)        \
	X(EOPNOTSUPP)   \
	X(ENOTDIR)      \
	X(EISDIR)       \
	X(EXDEV)        \
	X(ENOTSUPP)
NAMES(errnos, ERRNOS);

/* ---- what each fd was made for, to say why later calls name it ---------- */

enum fd_kind { FD_NONE, FD_MAP, FD_PROG, FD_BTF, FD_TP_EVENT, FD_RING_EVENT };

struct fd_info {
	unsigned char kind;
	__u32 type;	/* map: its type */
	__u32 flags;	/* map: its map_flags */
	__u32 key_size; /* map: its key size */
	long n;		/* tracepoint event: its id; ring event: its CPU */
	char name[BPF_OBJ_NAME_LEN];
};

/* Grown as fds are made, only while -vv is on; freed with the process. */
static struct fd_info *fds;
static size_t fd_cap;

static struct fd_info *fd_info(long fd)
{
	static struct fd_info none;

	if (fd < 0 || fd > 1 << 20)
		return memset(&none, 0, sizeof(none));
	if ((size_t)fd >= fd_cap) {
		size_t cap = fd_cap ? fd_cap : 64;
		struct fd_info *p;

		while (cap <= (size_t)fd)
			cap *= 2;
		p = realloc(fds, cap * sizeof(*p));
		if (!p)
			return memset(&none, 0, sizeof(none));
		memset(p + fd_cap, 0, (cap - fd_cap) * sizeof(*p));
		fds = p;
		fd_cap = cap;
	}
	return &fds[fd];
}

/* Tracepoint ids read from tracefs, and the path each came from. */
static struct tp_name {
	long id;
	char target[128];
} * tps;
static size_t tp_cnt;

static const char *tp_target(long id)
{
	for (size_t i = 0; i < tp_cnt; i++)
		if (tps[i].id == id)
			return tps[i].target;
	return NULL;
}

static void tp_remember(const char *path, long id)
{
	const char *events = strstr(path, "/events/");
	size_t len = strlen(path);
	struct tp_name *p;

	if (!events || len < 3 || strcmp(path + len - 3, "/id"))
		return;
	p = realloc(tps, (tp_cnt + 1) * sizeof(*p));
	if (!p)
		return;
	tps = p;
	events += strlen("/events/");
	fmt(tps[tp_cnt].target, sizeof(tps[0].target), "%.*s", (int)(path + len - 3 - events),
	    events);
	tps[tp_cnt++].id = id;
}

/* ---- one line, text or JSON ---------------------------------------------- */

struct line {
	char buf[4096];
	size_t len;
	bool first; /* no separator before the next argument or field */
};

__attribute__((format(printf, 2, 3))) static void put(struct line *l, const char *f, ...)
{
	va_list ap;
	int n;

	if (l->len >= sizeof(l->buf))
		return;
	va_start(ap, f);
	n = fmt_v(l->buf + l->len, sizeof(l->buf) - l->len, f, ap);
	va_end(ap);
	l->len += n > 0 ? (size_t)n : 0;
	if (l->len > sizeof(l->buf))
		l->len = sizeof(l->buf);
}

/* Bytes escaped and quoted: \xNN in text, \u00NN in JSON. */
static void put_quoted(struct line *l, const char *s, size_t n)
{
	char shown[6 * 256];

	if (n > 256)
		n = 256;
	n = escape(shown, s, n, '"', json);
	put(l, "\"%.*s\"", (int)n, shown);
}

/* The separator, then the key: "key=" in text, "key": in JSON. */
static void key(struct line *l, const char *k, bool positional)
{
	if (!l->first)
		put(l, json ? "," : ", ");
	l->first = false;
	if (json)
		put(l, "\"%s\":", k);
	else if (!positional)
		put(l, "%s=", k);
}

/* A call's own arguments are positional in text, named in JSON. */
static void arg_u(struct line *l, const char *k, unsigned long long v)
{
	key(l, k, true);
	put(l, "%llu", v);
}

static void arg_d(struct line *l, const char *k, long long v)
{
	key(l, k, true);
	put(l, "%lld", v);
}

static void arg_sym(struct line *l, const char *k, const char *sym)
{
	key(l, k, true);
	put(l, json ? "\"%s\"" : "%s", sym);
}

static void field_u(struct line *l, const char *k, unsigned long long v)
{
	key(l, k, false);
	put(l, "%llu", v);
}

static void field_str(struct line *l, const char *k, const char *s, size_t max)
{
	key(l, k, false);
	put_quoted(l, s, strnlen(s, max));
}

/* A number by its name from table, or the number when it has none. */
static void sym_or_u(struct line *l, const char *k, bool positional, const struct names *t,
		     unsigned long long v)
{
	const char *name = name_of(t, v);

	key(l, k, positional);
	if (name)
		put(l, json ? "\"%s\"" : "%s", name);
	else
		put(l, "%llu", v);
}
#define SYM(l, k, pos, table, v) sym_or_u(l, k, pos, &table, v)

/* Flags as A|B|0x40; 0 as 0.  In JSON, a string. */
static void flags(struct line *l, const char *k, bool positional, const struct names *t,
		  unsigned long long v)
{
	const char *q = json ? "\"" : "", *s = t->str;
	bool any = false;

	key(l, k, positional);
	put(l, "%s", q);
	for (size_t i = 0; i < t->n; i++, s += strlen(s) + 1) {
		if (!t->val[i] || (v & t->val[i]) != t->val[i])
			continue;
		put(l, "%s%s", any ? "|" : "", s);
		v &= ~(unsigned long long)t->val[i];
		any = true;
	}
	if (v || !any)
		put(l, any ? "|%#llx" : "%#llx", v);
	put(l, "%s", q);
}
#define FLAGS(l, k, pos, table, v) flags(l, k, pos, &table, v)

/* A struct argument: {a=1, b=2} in text, "k":{"a":1,"b":2} in JSON. */
static void struct_begin(struct line *l, const char *k)
{
	key(l, k, true);
	put(l, "{");
	l->first = true;
}

static void struct_end(struct line *l)
{
	put(l, "}");
	l->first = false;
}

/* Starts the line: "name(" in text, {"syscall":"name" in JSON. */
static void begin(struct line *l, const char *name)
{
	l->len = 0;
	if (json) {
		put(l, "{\"syscall\":\"%s\"", name);
		l->first = false;
	} else {
		put(l, "mini-trace: %s(", name);
		l->first = true;
	}
}

/*
 * Ends it with the result (ret >= 0, or -errno), the time since t (none
 * when t is 0), and why, then writes it to stderr in one write(2).
 * ret_hex: the result is an address (mmap).
 */
static void end(struct line *l, long long ret, bool ret_hex, show_time t, const char *why)
{
	char shown[6 * 256], num[32];
	show_time ns = t ? show_clock() - t : 0;
	size_t n = escape(shown, why, strnlen(why, 256), json ? '"' : 0, json);
	const char *err = ret < 0 ? NAME_OF(errnos, -ret) : NULL;

	if (ret < 0 && !err)
		fmt(num, sizeof(num), "%lld", -ret);
	if (json) {
		if (ret < 0)
			put(l, ",\"ret\":-1,\"errno\":\"%s\"", err ?: num);
		else if (ret_hex)
			put(l, ",\"ret\":\"%#llx\"", ret);
		else
			put(l, ",\"ret\":%lld", ret);
		if (t)
			put(l, ",\"ms\":%llu.%06llu", ns / 1000000, ns % 1000000);
		put(l, ",\"why\":\"%.*s\"}", (int)n, shown);
	} else {
		put(l, ")");
		if (ret < 0)
			put(l, " = -1 %s", err ?: num);
		else
			put(l, ret_hex ? " = %#llx" : " = %lld", ret);
		if (t)
			put(l, " (%llu.%03llu ms)", ns / 1000000, ns / 1000 % 1000);
		put(l, "  # %.*s", (int)n, shown);
	}
	if (l->len >= sizeof(l->buf))
		l->len = sizeof(l->buf) - 1;
	l->buf[l->len++] = '\n';
	write_all(STDERR_FILENO, l->buf, l->len);
}

/* ---- bpf(2) ---------------------------------------------------------------- */

/* The fields a command reads, as far as the size passed reaches. */
#define HAS(field) (size >= offsetof(union bpf_attr, field) + sizeof(a->field))

static bool is_data_map(const struct fd_info *m)
{
	return m->kind == FD_MAP && m->name[0] == '.';
}

static void bpf_map_create_args(struct line *l, const union bpf_attr *a, unsigned size, char *why,
				size_t wsize)
{
	SYM(l, "map_type", false, map_types, a->map_type);
	field_u(l, "key_size", a->key_size);
	field_u(l, "value_size", a->value_size);
	field_u(l, "max_entries", a->max_entries);
	FLAGS(l, "map_flags", false, map_flags, a->map_flags);
	if (HAS(map_name))
		field_str(l, "map_name", a->map_name, sizeof(a->map_name));
	if (HAS(btf_value_type_id) && a->btf_fd) {
		field_u(l, "btf_fd", a->btf_fd);
		field_u(l, "btf_key_type_id", a->btf_key_type_id);
		field_u(l, "btf_value_type_id", a->btf_value_type_id);
	}
	if (a->map_name[0] == '.')
		fmt(why, wsize, "load: global data %.16s, a one-entry array%s", a->map_name,
		    a->map_flags & BPF_F_RDONLY_PROG ? " the programs may only read" : "");
	else if (a->map_type == BPF_MAP_TYPE_RINGBUF)
		fmt(why, wsize, "load: ring buffer %.16s, which the programs' records go through",
		    a->map_name);
	else if (a->map_type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		fmt(why, wsize, "load: perf event array %.16s, a slot per CPU for its ring",
		    a->map_name);
	else
		fmt(why, wsize, "load: map %.16s, before the programs that name it by fd",
		    a->map_name);
}

static void bpf_elem_args(struct line *l, int cmd, const union bpf_attr *a, char *why, size_t wsize)
{
	const struct fd_info *m = fd_info(a->map_fd);

	field_u(l, "map_fd", a->map_fd);
	/* attr.key points to the key: a 4-byte one (a pid, a CPU, global data's 0) is shown. */
	if (m->key_size == 4 && a->key)
		field_u(l, "*key", *(const __u32 *)(unsigned long)a->key);
	if (cmd == BPF_MAP_UPDATE_ELEM)
		SYM(l, "flags", false, elem_flags, a->flags);
	if (cmd == BPF_MAP_UPDATE_ELEM && m->kind == FD_MAP &&
	    m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && a->key && a->value)
		fmt(why, wsize,
		    "rings: CPU %u's perf event (fd %u) in %.16s, where "
		    "bpf_perf_event_output() looks",
		    *(const __u32 *)(unsigned long)a->key, *(const __u32 *)(unsigned long)a->value,
		    m->name);
	else if (cmd == BPF_MAP_UPDATE_ELEM && is_data_map(m) && a->flags == BPF_ANY)
		fmt(why, wsize, "load: %.16s's initial bytes, before any program loads", m->name);
	else if (cmd == BPF_MAP_UPDATE_ELEM && is_data_map(m))
		fmt(why, wsize, "seed: a global variable in %.16s, set before attaching", m->name);
	else if (cmd == BPF_MAP_UPDATE_ELEM)
		fmt(why, wsize, "seed: an entry of %.16s the command writes before anything runs",
		    m->name);
	else if (cmd == BPF_MAP_LOOKUP_ELEM && is_data_map(m))
		fmt(why, wsize, "finish: a global variable (a count), read from %.16s", m->name);
	else if (cmd == BPF_MAP_LOOKUP_ELEM)
		fmt(why, wsize, "an entry of %.16s, read", m->name);
	else if (cmd == BPF_MAP_DELETE_ELEM)
		fmt(why, wsize, "an entry of %.16s, deleted", m->name);
	else
		fmt(why, wsize, "the key after this one in %.16s", m->name);
}

static void bpf_prog_load_args(struct line *l, const union bpf_attr *a, unsigned size, char *why,
			       size_t wsize)
{
	const struct bpf_insn *insns = (const struct bpf_insn *)(unsigned long)a->insns;
	const char *license = (const char *)(unsigned long)a->license;

	SYM(l, "prog_type", false, prog_types, a->prog_type);
	field_u(l, "insn_cnt", a->insn_cnt);
	if (license)
		field_str(l, "license", license, 128);
	field_u(l, "log_level", a->log_level);
	if (a->log_level)
		field_u(l, "log_size", a->log_size);
	if (a->kern_version)
		field_u(l, "kern_version", a->kern_version);
	if (HAS(prog_name))
		field_str(l, "prog_name", a->prog_name, sizeof(a->prog_name));
	if (HAS(line_info_cnt) && a->prog_btf_fd) {
		field_u(l, "prog_btf_fd", a->prog_btf_fd);
		field_u(l, "func_info_cnt", a->func_info_cnt);
		field_u(l, "line_info_cnt", a->line_info_cnt);
	}
	if (HAS(attach_btf_id) && a->attach_btf_id)
		field_u(l, "attach_btf_id", a->attach_btf_id);
	/* probe_helper()'s program: "call helper; exit" (object.c). */
	if (!strcmp(a->prog_name, "probe") && a->insn_cnt == 2 && insns)
		fmt(why, wsize, "load: probe: may this program type call helper %d?", insns[0].imm);
	else if (a->log_level)
		fmt(why, wsize, "load: %.16s again, with a log: why the verifier refused it",
		    a->prog_name);
	else
		fmt(why, wsize, "load: program %.16s, which the verifier checks now", a->prog_name);
}

static void bpf_btf_load_args(struct line *l, const union bpf_attr *a, char *why, size_t wsize)
{
	field_u(l, "btf_size", a->btf_size);
	field_u(l, "btf_log_level", a->btf_log_level);
	if (a->btf_log_level)
		field_u(l, "btf_log_size", a->btf_log_size);
	/* btf_kernel.c's probes are a header and a type or two. */
	if (a->btf_size < 128)
		fmt(why, wsize, "load: probe: does this kernel know these BTF kinds?");
	else if (a->btf_log_level)
		fmt(why, wsize, "load: the object's BTF again, with a log: why it was refused");
	else
		fmt(why, wsize, "load: the object's BTF, for the programs to name");
}

void show_bpf_(show_time t, int cmd, const union bpf_attr *a, unsigned size, long ret)
{
	const char *name = NAME_OF(bpf_cmds, cmd);
	int saved = errno;
	char why[160] = "";
	struct line l;

	begin(&l, "bpf");
	if (name)
		arg_sym(&l, "cmd", name);
	else
		arg_d(&l, "cmd", cmd);
	struct_begin(&l, "attr");
	switch (cmd) {
	case BPF_MAP_CREATE: bpf_map_create_args(&l, a, size, why, sizeof(why)); break;
	case BPF_MAP_LOOKUP_ELEM:
	case BPF_MAP_UPDATE_ELEM:
	case BPF_MAP_DELETE_ELEM:
	case BPF_MAP_GET_NEXT_KEY: bpf_elem_args(&l, cmd, a, why, sizeof(why)); break;
	case BPF_MAP_FREEZE:
		field_u(&l, "map_fd", a->map_fd);
		fmt(why, sizeof(why),
		    "load: %.16s frozen: the verifier may now read it as constants",
		    fd_info(a->map_fd)->name);
		break;
	case BPF_PROG_LOAD: bpf_prog_load_args(&l, a, size, why, sizeof(why)); break;
	case BPF_BTF_LOAD: bpf_btf_load_args(&l, a, why, sizeof(why)); break;
	case BPF_PROG_GET_NEXT_ID:
	case BPF_MAP_GET_NEXT_ID:
		field_u(&l, "start_id", a->start_id);
		fmt(why, sizeof(why), "the next id in the kernel's list");
		break;
	case BPF_MAP_GET_FD_BY_ID:
		field_u(&l, "map_id", a->map_id);
		fmt(why, sizeof(why), "an fd for a map known by id");
		break;
	case BPF_OBJ_GET_INFO_BY_FD:
		field_u(&l, "bpf_fd", a->info.bpf_fd);
		field_u(&l, "info_len", a->info.info_len);
		fmt(why, sizeof(why), "rings: %.16s's type and size, to map it",
		    fd_info(a->info.bpf_fd)->name);
		break;
	}
	struct_end(&l);
	arg_u(&l, "size", size);
	end(&l, ret, false, t, why);

	/* What the new fd is, for the lines that name it. */
	if (ret >= 0 && (cmd == BPF_MAP_CREATE || cmd == BPF_PROG_LOAD || cmd == BPF_BTF_LOAD)) {
		struct fd_info *f = fd_info(ret);

		memset(f, 0, sizeof(*f));
		f->kind = cmd == BPF_MAP_CREATE ? FD_MAP : cmd == BPF_PROG_LOAD ? FD_PROG : FD_BTF;
		if (cmd == BPF_MAP_CREATE) {
			f->type = a->map_type;
			f->flags = a->map_flags;
			f->key_size = a->key_size;
			memcpy(f->name, a->map_name, sizeof(f->name));
		} else if (cmd == BPF_PROG_LOAD) {
			memcpy(f->name, a->prog_name, sizeof(f->name));
		}
		f->name[sizeof(f->name) - 1] = '\0';
	}
	errno = saved;
}

/* ---- perf events ------------------------------------------------------------ */

void show_perf_event_open_(show_time t, const struct perf_event_attr *a, pid_t pid, int cpu,
			   int group_fd, unsigned long fl, int ret)
{
	const char *target = a->type == PERF_TYPE_TRACEPOINT ? tp_target(a->config) : NULL;
	int saved = errno;
	char why[192] = "";
	struct line l;

	begin(&l, "perf_event_open");
	struct_begin(&l, "attr");
	SYM(&l, "type", false, perf_types, a->type);
	field_u(&l, "size", a->size);
	if (a->type == PERF_TYPE_SOFTWARE)
		SYM(&l, "config", false, sw_configs, a->config);
	else
		field_u(&l, "config", a->config);
	field_u(&l, "sample_period", a->sample_period);
	FLAGS(&l, "sample_type", false, sample_flags, a->sample_type);
	field_u(&l, "disabled", a->disabled);
	if (a->watermark) {
		field_u(&l, "watermark", 1);
		field_u(&l, "wakeup_watermark", a->wakeup_watermark);
	} else {
		field_u(&l, "wakeup_events", a->wakeup_events);
	}
	struct_end(&l);
	arg_d(&l, "pid", pid);
	arg_d(&l, "cpu", cpu);
	arg_d(&l, "group_fd", group_fd);
	if (fl == PERF_FLAG_FD_CLOEXEC)
		arg_sym(&l, "flags", "PERF_FLAG_FD_CLOEXEC");
	else
		arg_u(&l, "flags", fl);
	if (a->type == PERF_TYPE_TRACEPOINT)
		fmt(why, sizeof(why),
		    "attach: an event on tracepoint %s (id %llu), for a program to hang off",
		    target ?: "?", (unsigned long long)a->config);
	else if (a->type == PERF_TYPE_SOFTWARE && a->config == PERF_COUNT_SW_BPF_OUTPUT)
		fmt(why, sizeof(why),
		    "rings: CPU %d's event, whose ring bpf_perf_event_output() fills", cpu);
	else
		fmt(why, sizeof(why), "a perf event");
	end(&l, ret, false, t, why);

	if (ret >= 0) {
		struct fd_info *f = fd_info(ret);

		memset(f, 0, sizeof(*f));
		f->kind = a->type == PERF_TYPE_TRACEPOINT ? FD_TP_EVENT : FD_RING_EVENT;
		f->n = a->type == PERF_TYPE_TRACEPOINT ? (long)a->config : cpu;
	}
	errno = saved;
}

void show_ioctl_(show_time t, int fd, unsigned long request, unsigned long arg, int ret)
{
	const struct fd_info *f = fd_info(fd);
	const char *target = f->kind == FD_TP_EVENT ? tp_target(f->n) : NULL;
	int saved = errno;
	char why[192] = "";
	struct line l;

	begin(&l, "ioctl");
	arg_d(&l, "fd", fd);
	SYM(&l, "request", true, ioctls, request);
	arg_u(&l, "arg", arg);
	if (request == PERF_EVENT_IOC_SET_BPF)
		fmt(why, sizeof(why), "attach: program %.16s (fd %lu) on tracepoint %s",
		    fd_info(arg)->name, arg, target ?: "?");
	else if (request == PERF_EVENT_IOC_ENABLE && f->kind == FD_RING_EVENT)
		fmt(why, sizeof(why), "rings: CPU %ld's event on its CPU: output fails until now",
		    f->n);
	else if (request == PERF_EVENT_IOC_ENABLE)
		fmt(why, sizeof(why), "attach: %s's own sampling on (the program runs already)",
		    target ?: "the event");
	else
		fmt(why, sizeof(why), "the event stops sampling");
	end(&l, ret, false, t, why);
	errno = saved;
}

void show_mmap_(show_time t, size_t len, int prot, int mflag, int fd, off_t off, void *addr)
{
	const struct fd_info *f = fd_info(fd);
	size_t page = sysconf(_SC_PAGESIZE);
	int saved = errno;
	char why[192] = "";
	struct line l;

	begin(&l, "mmap");
	arg_sym(&l, "addr", "NULL");
	arg_u(&l, "length", len);
	FLAGS(&l, "prot", true, prots, (unsigned)prot);
	FLAGS(&l, "flags", true, mflags, (unsigned)mflag);
	arg_d(&l, "fd", fd);
	arg_d(&l, "offset", (long long)off);
	if (f->kind == FD_RING_EVENT)
		fmt(why, sizeof(why),
		    "rings: CPU %ld's ring: a page of data_head/data_tail, then %zu KiB of records",
		    f->n, (size_t)(len - page) >> 10);
	else if (f->kind == FD_MAP && !off)
		fmt(why, sizeof(why), "rings: %.16s's consumer page, which we advance", f->name);
	else if (f->kind == FD_MAP)
		fmt(why, sizeof(why),
		    "rings: %.16s's producer page and its %zu KiB of records, mapped twice over",
		    f->name, (size_t)((len - page) / 2) >> 10);
	else
		fmt(why, sizeof(why), "a mapping");
	end(&l, addr == MAP_FAILED ? -saved : (long long)(unsigned long)addr, addr != MAP_FAILED, t,
	    why);
	errno = saved;
}

/* ---- files the kernel publishes --------------------------------------------- */

void show_file_(show_time t, const char *op, const char *path, long ret)
{
	int saved = errno;
	char why[192] = "";
	struct line l;

	if (!strcmp(op, "read") && ret >= 0)
		tp_remember(path, ret);
	begin(&l, op);
	key(&l, "path", true);
	put_quoted(&l, path, strlen(path));
	if (!strcmp(op, "mount"))
		fmt(why, sizeof(why), "tracefs: mounted by us, as nobody had");
	else if (!strcmp(op, "umount"))
		fmt(why, sizeof(why), "detach: tracefs unmounted, as we mounted it");
	else if (!strcmp(op, "stat"))
		fmt(why, sizeof(why), "tracefs: is it mounted here?");
	else if (!strcmp(op, "read") && strstr(path, "/events/"))
		fmt(why, sizeof(why), "resolve: the tracepoint's id, perf_event_open()'s config");
	else if (!strcmp(op, "read") && strstr(path, "/devices/system/cpu/"))
		fmt(why, sizeof(why), "cpus: how many, for a slot and a ring each");
	else
		fmt(why, sizeof(why), "a file the kernel publishes");
	end(&l, ret, false, t, why);
	errno = saved;
}

void show_write_(show_time t, const char *file, const char *data, long ret)
{
	int saved = errno;
	struct line l;

	begin(&l, "write");
	key(&l, "path", true);
	put_quoted(&l, file, strlen(file));
	key(&l, "data", true);
	put_quoted(&l, data, strlen(data));
	end(&l, ret, false, t,
	    data[0] == '-' ? "a kprobe made in tracefs, removed: its event is closed"
			   : "attach: a kprobe made in tracefs (no kprobe PMU, or "
			     "MINI_TRACE_KPROBE_LEGACY)");
	errno = saved;
}

/* ---- instructions rewritten ------------------------------------------------- */

/* An instruction as the verifier's log writes it (kernel/bpf/disasm.c), for the few the loader rewrites. */
static void insn_text(char *buf, size_t size, const struct bpf_insn *i)
{
	if (i->code == (BPF_JMP | BPF_CALL) && i->src_reg == BPF_PSEUDO_CALL)
		fmt(buf, size, i->imm < 0 ? "call pc%d" : "call pc+%d", i->imm);
	else if (i->code == (BPF_JMP | BPF_CALL))
		fmt(buf, size, "call %d", i->imm);
	else if (i->code != (BPF_LD | BPF_DW | BPF_IMM))
		fmt(buf, size, "code %#x r%d, r%d, %d, %d", i->code, i->dst_reg, i->src_reg, i->off,
		    i->imm);
	else if (i->src_reg == BPF_PSEUDO_MAP_FD)
		fmt(buf, size, "r%d = map(fd %d)", i->dst_reg, i[0].imm);
	else if (i->src_reg == BPF_PSEUDO_MAP_VALUE)
		fmt(buf, size, "r%d = map_value(fd %d) + %d", i->dst_reg, i[0].imm, i[1].imm);
	else
		fmt(buf, size, "ld_imm64 r%d, %lld", i->dst_reg,
		    (long long)((unsigned long long)(__u32)i[1].imm << 32 | (__u32)i[0].imm));
}

/*
 * The rewrite's why: a map's fd in an ld_imm64 (BPF_PSEUDO_MAP_FD, or
 * BPF_PSEUDO_MAP_VALUE with an offset into its value), which the verifier
 * swaps for an address (resolve_pseudo_ldimm64(), kernel/bpf/verifier.c);
 * or a helper call made a call to a subprogram the loader appended.
 */
static void insn_why(char *buf, size_t size, const struct bpf_insn *after)
{
	const struct fd_info *m = fd_info(after->imm);

	if (after->code == (BPF_JMP | BPF_CALL))
		fmt(buf, size,
		    "load: a helper this kernel lacks, done by a subprogram appended at the end");
	else if (after->src_reg == BPF_PSEUDO_MAP_FD)
		fmt(buf, size, "load: map %.16s by fd; the verifier puts in its address", m->name);
	else
		fmt(buf, size,
		    "load: data in %.16s by fd and offset; the verifier puts in its address",
		    m->name);
}

void show_insn_(const char *prog, size_t idx, const struct bpf_insn *before,
		const struct bpf_insn *after)
{
	char b[96], a[96], why[160], shown[6 * 64];
	size_t n = escape(shown, prog, strnlen(prog, 64), json ? '"' : '\'', json);
	int saved = errno;

	insn_text(b, sizeof(b), before);
	insn_text(a, sizeof(a), after);
	insn_why(why, sizeof(why), after);
	if (json)
		fmt_write(STDERR_FILENO,
			  "{\"insn\":%zu,\"prog\":\"%.*s\",\"before\":\"%s\",\"after\":\"%s\","
			  "\"why\":\"%s\"}\n",
			  idx, (int)n, shown, b, a, why);
	else
		fmt_write(STDERR_FILENO, "mini-trace: prog '%.*s': insn %zu: %s -> %s  # %s\n",
			  (int)n, shown, idx, b, a, why);
	errno = saved;
}
