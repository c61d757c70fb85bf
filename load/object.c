// SPDX-License-Identifier: MIT
/*
 * From spec to kernel objects.  Order matters to the kernel:
 *
 *  1. maps first, because a program names its maps by fd in its instructions;
 *  2. global data written into its map, and .rodata frozen, before any
 *     program loads: the verifier reads a frozen read-only map's bytes as
 *     constants, and bpf_strncmp() insists its literal lives in one;
 *  3. programs last, each relocated copy of its instructions handed to
 *     BPF_PROG_LOAD, where the verifier accepts or rejects it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf.h"
#include "btf_kernel.h"
#include "core_load.h"
#include "kfiles.h"
#include "object.h"
#include "syscalls.h"

/* Where a rejected program's log stops growing (the kernel caps it at 16M). */
#define LOG_MAX (16u << 20)

/*
 * Whether a map is created with BTF for its key and value.  Both are needed,
 * but a data section's array has no key type: the kernel allows that for a
 * one-entry array whose value is a DATASEC (kernel/bpf/arraymap.c,
 * array_map_check_btf).  Maps of fds, stacks and queues get none, as libbpf
 * leaves them out (bpf_object__create_map): their values are not data.
 */
static bool map_takes_btf(const struct spec_map *m)
{
	switch (m->type) {
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_STACK_TRACE:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_CPUMAP:
	case BPF_MAP_TYPE_XSKMAP:
	case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_SOCKHASH:
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK: return false;
	default: return m->btf_value_type_id && (m->btf_key_type_id || m->kind == SPEC_MAP_DATA);
	}
}

static int create_map(struct object *o, size_t idx, struct diag *d)
{
	const struct spec_map *m = &o->spec->maps[idx];
	struct bpf_map_create_opts opts = { .map_flags = m->map_flags };
	__u32 max_entries = m->max_entries, key_size = m->key_size, value_size = m->value_size;
	int fd, err;

	/*
	 * A perf event array holds one perf event fd per CPU: keys and values
	 * are 4 bytes, and it needs a slot for every possible CPU index.
	 */
	if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		int cpus = cpus_possible();

		if (cpus < 0)
			return diag(d, cpus, "map '%s': cannot count CPUs: %s", m->name,
				    strerror(-cpus));
		if (!max_entries || max_entries > (__u32)cpus)
			max_entries = cpus;
		key_size = key_size ?: sizeof(__u32);
		value_size = value_size ?: sizeof(__u32);
	}
	if (m->readonly)
		opts.map_flags |= BPF_F_RDONLY_PROG;

	if (o->has_btf && map_takes_btf(m)) {
		opts.btf_fd = o->btf_fd;
		opts.btf_key_type_id = m->btf_key_type_id;
		opts.btf_value_type_id = m->btf_value_type_id;
	}
	fd = bpf_map_create(m->type, m->name, key_size, value_size, max_entries, &opts);
	o->map_btf[idx] = fd >= 0 && opts.btf_fd;
	if (fd < 0 && opts.btf_fd) {
		/*
		 * Types the kernel will not take for this map (a field kind
		 * it does not know, say) cost only bpftool's pretty-printing:
		 * created without them, as libbpf retries, and -v says so.
		 */
		o->map_btf[idx] = fd;
		opts.btf_fd = opts.btf_key_type_id = opts.btf_value_type_id = 0;
		fd = bpf_map_create(m->type, m->name, key_size, value_size, max_entries, &opts);
	}
	if (fd < 0)
		return diag(d, fd, "map '%s': create: %s", m->name, strerror(-fd));
	if (m->kind != SPEC_MAP_DATA)
		return fd;

	err = bpf_map_update_elem(fd, &(__u32){ 0 }, m->data, BPF_ANY);
	if (err) {
		diag(d, err, "map '%s': write initial value: %s", m->name, strerror(-err));
		goto fail;
	}
	if (m->readonly) {
		err = bpf_map_freeze(fd);
		if (err) {
			diag(d, err, "map '%s': freeze: %s", m->name, strerror(-err));
			goto fail;
		}
	}
	return fd;
fail:
	close(fd);
	return err;
}

/*
 * bpf_strncmp(s1, s1_sz, s2) for kernels before 5.17, which refuse helper 182
 * outright.  A program that calls it gets this subprogram appended, and each
 * "call 182" becomes a BPF-to-BPF call to it (BPF_PSEUDO_CALL, imm = the
 * distance to the callee).  It keeps a helper's contract: arguments in r1-r3,
 * result in r0, r1-r5 clobbered, r6-r9 and the caller's stack untouched.  It
 * is the kernel's strncmp() (lib/string.c), which the helper calls: bytes
 * compared as unsigned, -1 or 1 at the first difference, 0 at a NUL common
 * to both or after s1_sz bytes.
 *
 * The verifier walks the loop once per byte (bounded loops: 5.3), with r2
 * counting down from the constant the caller passed.  s2 lies in a frozen
 * read-only map, so each byte loaded from it is a known constant: at the
 * first byte where s1 may differ the walk splits, one path leaves, and the
 * other goes on knowing s1's byte too, so the walk is linear in the length.
 */
#define INSN(c, dst, src, o, i)                                                         \
	{                                                                               \
		.code = (c), .dst_reg = (dst), .src_reg = (src), .off = (o), .imm = (i) \
	}
static const struct bpf_insn strncmp_insns[] = {
	INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),	/*  0: r0 = 0 */
	INSN(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 8, 0),	/*  1: if r2 == 0 goto 10 */
	INSN(BPF_LDX | BPF_MEM | BPF_B, 4, 1, 0, 0),	/*  2: r4 = *(u8 *)r1 */
	INSN(BPF_LDX | BPF_MEM | BPF_B, 5, 3, 0, 0),	/*  3: r5 = *(u8 *)r3 */
	INSN(BPF_JMP | BPF_JNE | BPF_X, 4, 5, 6, 0),	/*  4: if r4 != r5 goto 11 */
	INSN(BPF_JMP | BPF_JEQ | BPF_K, 4, 0, 4, 0),	/*  5: if r4 == 0 goto 10 */
	INSN(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, 1),	/*  6: r1 += 1 */
	INSN(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, 1),	/*  7: r3 += 1 */
	INSN(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -1), /*  8: r2 -= 1 */
	INSN(BPF_JMP | BPF_JNE | BPF_K, 2, 0, -8, 0),	/*  9: if r2 != 0 goto 2 */
	INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),		/* 10: return r0 */
	INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, -1), /* 11: r0 = -1 */
	INSN(BPF_JMP | BPF_JLT | BPF_X, 4, 5, -3, 0),	/* 12: if r4 < r5 goto 10 */
	INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1),	/* 13: r0 = 1 */
	INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),		/* 14: return r0 */
};
#undef INSN
#define STRNCMP_CNT (sizeof(strncmp_insns) / sizeof(strncmp_insns[0]))

static bool is_helper_call(const struct bpf_insn *insn, int helper)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0 && insn->imm == helper;
}

bool spec_calls_helper(const struct spec *s, int helper)
{
	for (size_t i = 0; i < s->prog_cnt; i++)
		for (size_t j = 0; j < s->progs[i].insn_cnt; j++)
			if (is_helper_call(&s->progs[i].insns[j], helper))
				return true;
	return false;
}

/* Appends the subprogram to insns[0..cnt) if a call needs it; the new count. */
static size_t emulate_strncmp(struct bpf_insn *insns, size_t cnt)
{
	bool used = false;

	for (size_t i = 0; i < cnt; i++) {
		if (!is_helper_call(&insns[i], BPF_FUNC_strncmp))
			continue;
		insns[i].src_reg = BPF_PSEUDO_CALL;
		insns[i].imm = (int)(cnt - i - 1);
		used = true;
	}
	if (!used)
		return cnt;
	memcpy(&insns[cnt], strncmp_insns, sizeof(strncmp_insns));
	return cnt + STRNCMP_CNT;
}

/*
 * A copy of the program's instructions for the kernel.  BPF_PSEUDO_MAP_FD:
 * the ld_imm64's imm holds the map fd and the verifier swaps in the map's
 * address.  BPF_PSEUDO_MAP_VALUE: the first imm holds the fd and the second
 * the offset into the value (include/uapi/linux/bpf.h).
 */
static struct bpf_insn *relocate(const struct spec_prog *p, const int *map_fds, unsigned flags,
				 size_t *cnt, struct diag *d)
{
	struct bpf_insn *insns = malloc((p->insn_cnt + STRNCMP_CNT) * sizeof(*insns));

	if (!insns) {
		diag(d, -ENOMEM, "prog '%s': out of memory", p->name);
		return NULL;
	}
	memcpy(insns, p->insns, p->insn_cnt * sizeof(*insns));
	for (size_t i = 0; i < p->reloc_cnt; i++) {
		const struct spec_reloc *r = &p->relocs[i];
		struct bpf_insn *insn = &insns[r->insn];

		insn[0].imm = map_fds[r->map];
		if (r->kind == SPEC_RELOC_MAP_FD) {
			insn[0].src_reg = BPF_PSEUDO_MAP_FD;
			insn[1].imm = 0;
		} else {
			insn[0].src_reg = BPF_PSEUDO_MAP_VALUE;
			insn[1].imm = r->off;
		}
		show_insn(p->name, r->insn, &p->insns[r->insn], insn); /* -vv */
	}
	*cnt = p->insn_cnt;
	if (flags & LOAD_EMULATE_STRNCMP)
		*cnt = emulate_strncmp(insns, *cnt);
	for (size_t i = 0; syscalls_shown && i < p->insn_cnt; i++) /* -vv: the calls it rewrote */
		if (insns[i].code == (BPF_JMP | BPF_CALL) && insns[i].imm != p->insns[i].imm)
			show_insn(p->name, i, &p->insns[i], &insns[i]);
	return insns;
}

/*
 * A helper newer than the kernel is refused before anything else is checked
 * (check_helper_call() in kernel/bpf/verifier.c): "invalid func unknown#182"
 * when the kernel does not know the number at all, "unknown func NAME#N" when
 * this program type may not call it.  The one learners meet is bpf_strncmp.
 */
static const char *helper_hint(const char *log)
{
	char want[32];

	if (!log)
		return "";
	fmt(want, sizeof(want), "func unknown#%d\n", BPF_FUNC_strncmp);
	if (strstr(log, want))
		return ": the kernel lacks bpf_strncmp (Linux 5.17+)";
	if (strstr(log, "invalid func ") || strstr(log, "unknown func "))
		return ": the program calls a helper this kernel lacks";
	return "";
}

/*
 * Loads quietly first: asking for a log costs the verifier time.  If the
 * program is rejected, loads it again with a log buffer, doubling the buffer
 * while the kernel says ENOSPC, so the user sees why.
 */
static int load_logged(struct object *o, const struct spec_prog *p, const struct bpf_insn *insns,
		       size_t cnt, struct bpf_prog_load_opts *opts, struct diag *d)
{
	const char *license = o->spec->license;
	__u32 size = 64 * 1024;
	int fd, err;

	fd = bpf_prog_load(p->prog_type, p->name, license, insns, cnt, opts);
	if (fd >= 0)
		return fd;
	err = fd;
	for (; size <= LOG_MAX; size *= 2) {
		char *log = realloc(o->log, size);

		if (!log)
			break;
		o->log = log;
		o->log[0] = '\0';
		opts->log_buf = log;
		opts->log_size = size;
		opts->log_level = 1;
		fd = bpf_prog_load(p->prog_type, p->name, license, insns, cnt, opts);
		if (fd >= 0) /* accepted the second time: keep it */
			return fd;
		if (fd != -ENOSPC)
			break;
	}
	/*
	 * fentry/fexit need a BPF trampoline the function's ftrace site calls
	 * (kernel/bpf/trampoline.c); a kernel that will not make one for us
	 * refuses the load with EPERM, though its maps were just created, so
	 * it is not our privileges: said so, not the privilege hint.
	 */
	if (err == -EPERM && (p->expected_attach_type == BPF_TRACE_FENTRY ||
			      p->expected_attach_type == BPF_TRACE_FEXIT))
		return diag(d, -EOPNOTSUPP,
			    "prog '%s': load: this kernel refuses fentry/fexit programs "
			    "(BPF_PROG_TYPE_TRACING load: EPERM, though its maps were created)",
			    p->name);
	return diag(d, err, "prog '%s': load: %s%s%s", p->name, strerror(-err), helper_hint(o->log),
		    o->log && o->log[0] ? " (verifier log follows)" : "");
}

/*
 * The program with its .BTF.ext records; with the strncmp stand-in appended,
 * one more of each for it (btf_kernel.c), as the kernel wants a func_info
 * and a line_info at the start of every subprogram.
 */
static int load_prog(struct object *o, size_t idx, const struct bpf_insn *insns, size_t cnt,
		     struct diag *d)
{
	const struct spec_prog *p = &o->spec->progs[idx];
	struct bpf_prog_load_opts opts = {
		.kern_version = o->spec->kern_version,
		.expected_attach_type = p->expected_attach_type,
		.attach_btf_id = p->attach_btf_id,
		.fd_array = core_fd_array(),
	};
	struct bpf_func_info *funcs = NULL;
	struct bpf_line_info *lines = NULL;
	size_t more = cnt > p->insn_cnt;
	int fd;

	if (o->has_btf && p->func_info_cnt && (!more || o->stand_in.func_id)) {
		funcs = malloc((p->func_info_cnt + 1) * sizeof(*funcs));
		lines = malloc((p->line_info_cnt + 1) * sizeof(*lines));
		if (!funcs || !lines) {
			free(funcs);
			free(lines);
			return diag(d, -ENOMEM, "prog '%s': out of memory", p->name);
		}
		memcpy(funcs, p->func_info, p->func_info_cnt * sizeof(*funcs));
		if (p->line_info_cnt)
			memcpy(lines, p->line_info, p->line_info_cnt * sizeof(*lines));
		if (more) {
			funcs[p->func_info_cnt] = (struct bpf_func_info){
				.insn_off = p->insn_cnt,
				.type_id = o->stand_in.func_id,
			};
			lines[p->line_info_cnt] = (struct bpf_line_info){
				.insn_off = p->insn_cnt,
				.file_name_off = o->stand_in.file_name_off,
				.line_off = o->stand_in.line_off,
			};
		}
		opts.prog_btf_fd = o->btf_fd;
		opts.func_info = funcs;
		opts.func_info_cnt = p->func_info_cnt + more;
		opts.func_info_rec_size = sizeof(*funcs);
		opts.line_info = lines;
		opts.line_info_cnt = p->line_info_cnt + more;
		opts.line_info_rec_size = sizeof(*lines);
		o->prog_btf[idx] = more ? OBJECT_PROG_BTF_STAND_IN : OBJECT_PROG_BTF;
	}
	fd = load_logged(o, p, insns, cnt, &opts, d);
	free(funcs);
	free(lines);
	return fd;
}

/*
 * Whether programs of prog_type may call helper_id, found the way libbpf
 * does (libbpf_probe_bpf_helper() in tools/lib/bpf/libbpf_probes.c): load a
 * program that is just "call helper_id; exit".  It is never accepted, since
 * the helper's arguments are not set up, but the verifier looks the helper up
 * before it checks them (check_helper_call() in kernel/bpf/verifier.c): a
 * kernel without it says "invalid func" (a number it does not know) or
 * "unknown func" (not for this program type), and one with it complains
 * about an argument instead.  One BPF_PROG_LOAD, no map, nothing to clean up;
 * the log is the only verdict, and 4 KiB holds the whole of it.
 */
int probe_helper(enum bpf_prog_type prog_type, enum bpf_func_id helper_id)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_JMP | BPF_CALL, .imm = helper_id },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	char log[4096] = "";
	struct bpf_prog_load_opts opts = {
		.log_level = 1,
		.log_size = sizeof(log),
		.log_buf = log,
	};
	int fd;

	fd = bpf_prog_load(prog_type, "probe", "GPL", insns, 2, &opts);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	if (strstr(log, "invalid func ") || strstr(log, "unknown func "))
		return 0;
	/* No log, no verdict: refused before the verifier ran (EPERM, say). */
	return log[0] ? 1 : fd;
}

/* On failure the caller's object_close() releases what was created. */
int object_load(struct object *o, const struct spec *s, unsigned flags, struct diag *d)
{
	int err;

	memset(o, 0, sizeof(*o));
	o->spec = s;
	/*
	 * The kernel runs BPF in its own byte order (the interpreter and
	 * every JIT load memory natively): a foreign object's data and
	 * offsets into its maps were laid out for the other one.
	 */
	if (s->swapped)
		return diag(d, -EINVAL,
			    "load: the object is for the other byte order: build it with "
			    "clang -target %s",
			    __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? "bpfeb" : "bpfel");
	o->map_fds = malloc((s->map_cnt ?: 1) * sizeof(int));
	o->prog_fds = malloc((s->prog_cnt ?: 1) * sizeof(int));
	o->map_btf = calloc(s->map_cnt ?: 1, sizeof(*o->map_btf));
	o->prog_btf = calloc(s->prog_cnt ?: 1, sizeof(*o->prog_btf));
	if (!o->map_fds || !o->prog_fds || !o->map_btf || !o->prog_btf) {
		free(o->map_fds);
		free(o->prog_fds);
		free(o->map_btf);
		free(o->prog_btf);
		o->map_fds = o->prog_fds = NULL;
		o->map_btf = NULL;
		o->prog_btf = NULL;
		return diag(d, -ENOMEM, "load: out of memory");
	}
	memset(o->map_fds, -1, s->map_cnt * sizeof(int));
	memset(o->prog_fds, -1, s->prog_cnt * sizeof(int));

	/* Sections mini-trace cannot attach were refused when parsed (elf.c). */
	/*
	 * The object's BTF, for the programs to name.  A kernel that refuses
	 * it costs only source lines in verifier logs: go on without it.
	 */
	if (s->btf) {
		const char *stand_in = flags & LOAD_EMULATE_STRNCMP ? "bpf_strncmp_stand_in" : NULL;

		o->btf_fd = btf_kernel_load(s->btf, s->btf_size, stand_in, &o->stand_in,
					    &o->btf_refused);
		o->has_btf = o->btf_fd >= 0;
	}
	core_set_object_btf(o->has_btf ? o->btf_fd : -1);

	for (size_t i = 0; i < s->map_cnt; i++) {
		o->map_fds[i] = create_map(o, i, d);
		if (o->map_fds[i] < 0)
			return o->map_fds[i];
	}
	for (size_t i = 0; i < s->prog_cnt; i++) {
		const struct spec_prog *p = &s->progs[i];
		struct bpf_insn *insns;
		size_t cnt;

		if (p->skip)
			continue;

		insns = relocate(p, o->map_fds, flags, &cnt, d);
		if (!insns)
			return -ENOMEM;
		err = core_apply(s, p, insns, cnt, d);
		if (err) {
			free(insns);
			return err;
		}
		o->prog_fds[i] = load_prog(o, i, insns, cnt, d);
		free(insns);
		if (o->prog_fds[i] < 0) {
			core_explain(s, p, o->log, d);
			return o->prog_fds[i];
		}
	}
	core_release();
	return 0;
}

int object_read_var(const struct object *o, const char *name, void *val, size_t len, struct diag *d)
{
	const struct spec *s = o->spec;
	const struct spec_var *v = s ? spec_find_var(s, name) : NULL;
	unsigned char *value;
	int err;

	/* A run that stopped before load has no object to read. */
	if (!v || !o->map_fds || o->map_fds[v->map] < 0)
		return diag(d, -ENOENT, "no global variable '%s'", name);
	if (len > v->size)
		return diag(d, -EINVAL, "var '%s': %u bytes, not %zu", name, v->size, len);
	value = malloc(s->maps[v->map].value_size);
	if (!value)
		return diag(d, -ENOMEM, "var '%s': out of memory", name);
	err = bpf_map_lookup_elem(o->map_fds[v->map], &(__u32){ 0 }, value);
	if (!err)
		memcpy(val, value + v->off, len);
	free(value);
	if (err)
		return diag(d, err, "var '%s': read: %s", name, strerror(-err));
	return 0;
}

/*
 * Writes a global variable of a writable data map (.bss, .data): the whole
 * value is read, changed and written back, so nothing may write it
 * meanwhile: before the programs are attached.
 */
int object_write_var(const struct object *o, const char *name, const void *val, size_t len,
		     struct diag *d)
{
	const struct spec *s = o->spec;
	unsigned char *value;
	int err;

	for (size_t i = 0; i < s->var_cnt; i++) {
		const struct spec_var *v = &s->vars[i];

		if (strcmp(v->name, name))
			continue;
		if (len > v->size || s->maps[v->map].readonly)
			return diag(d, -EINVAL, "var '%s': cannot write %zu bytes", name, len);
		value = malloc(s->maps[v->map].value_size);
		if (!value)
			return diag(d, -ENOMEM, "var '%s': out of memory", name);
		err = bpf_map_lookup_elem(o->map_fds[v->map], &(__u32){ 0 }, value);
		if (!err) {
			memcpy(value + v->off, val, len);
			err = bpf_map_update_elem(o->map_fds[v->map], &(__u32){ 0 }, value,
						  BPF_EXIST);
		}
		free(value);
		if (err)
			return diag(d, err, "var '%s': write: %s", name, strerror(-err));
		return 0;
	}
	return diag(d, -ENOENT, "no global variable '%s'", name);
}

void object_close(struct object *o)
{
	core_release();
	for (size_t i = 0; o->prog_fds && i < o->spec->prog_cnt; i++)
		if (o->prog_fds[i] >= 0)
			close(o->prog_fds[i]);
	for (size_t i = 0; o->map_fds && i < o->spec->map_cnt; i++)
		if (o->map_fds[i] >= 0)
			close(o->map_fds[i]);
	if (o->has_btf)
		close(o->btf_fd);
	free(o->prog_fds);
	free(o->map_fds);
	free(o->map_btf);
	free(o->prog_btf);
	free(o->log);
	memset(o, 0, sizeof(*o));
}
