// SPDX-License-Identifier: MIT
/*
 * mini-trace password: what any process reads from a given file, one line
 * per read, put back together from the chunks the program sends:
 *
 *	pid=4243 tid=4243 comm="cat" fd=3 len=8 data="hunter2\n"
 *
 * with shown=N when fewer than len bytes could be sent, and complete=no
 * when some of the read's chunks were lost.  Around the printing, it chooses
 * how the program knows the file: by inode where the kernel has BTF (the
 * device and inode of --file, and where it is, for the program to compare
 * with the kernel's struct file), else by path, in the one spelling the
 * program can match; sizes the fd-table map for the running kernel, writes
 * the fd tables of processes that held the file before the programs were
 * attached, and names at the end what the programs could not follow
 * (progs/password.bpf.c, include/events.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <linux/btf.h>

#include "bpf.h"
#include "command.h"
#include "events.h"
#include "fmt.h"
#include "log.h"
#include "object.h"
#include "output.h"

/* The BPF object, embedded packed by objects.S. */
extern const unsigned char password_bpf_o[], password_bpf_o_end[];

/* A read of the password file being put back together from its chunks. */
struct pending_read {
	struct password_event head; /* the first chunk's fields */
	unsigned char *data;
	size_t have;
};

/* The command's state: the reads in progress, one per thread. */
struct password_state {
	struct pending_read *pending;
	size_t pending_cnt;
};

/*
 * The program compares the path a process hands to open() byte for byte
 * with --file, so a --file no process would write could never match.
 * Empty and "." components are dropped ("/tmp//x", "/tmp/./x" are
 * "/tmp/x").  ".." is refused, not resolved: "/a/b/../x" is "/a/x" only if
 * b is not a symlink, which is the kernel's to know (fs/namei.c).  A path
 * that ends in "/" or "/." names a directory, whose bytes are never read.
 * The result, in out, fits PASSWORD_PATH_MAX or -ENAMETOOLONG.
 */
int password_path_normalise(const char *in, char out[PASSWORD_PATH_MAX])
{
	const char *p = in, *end;
	size_t n = 0, len;

	if (*in != '/')
		return -EINVAL;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p) /* a trailing slash */
			return -EISDIR;
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return -EXDEV;
		if (len == 1 && p[0] == '.' && !end)
			return -EISDIR;
		if (len != 1 || p[0] != '.') {
			if (n + 1 + len >= PASSWORD_PATH_MAX)
				return -ENAMETOOLONG;
			out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p += len;
	}
	if (n == 0) /* "/": the root directory */
		return -EISDIR;
	out[n] = '\0';
	return 0;
}

static int map_index(const struct spec *s, const char *name)
{
	for (size_t i = 0; i < s->map_cnt; i++)
		if (!strcmp(s->maps[i].name, name))
			return i;
	return -1;
}

/*
 * Before 6.1 a tracing program that uses a hash map which allocates as it
 * runs makes the verifier WARN (check_map_prog_compatibility() in
 * kernel/bpf/verifier.c), so the object preallocates its fd tables.  6.1's
 * allocator for any context (kernel/bpf/memalloc.c) lifted that; it has no
 * flag of its own to probe for, so the map type the same release added,
 * BPF_MAP_TYPE_USER_RINGBUF, stands for it.  There the table map is made
 * BPF_F_NO_PREALLOC and bigger: memory goes only to live tables.
 */
static int password_size_tables(struct spec *s)
{
	int i = map_index(s, "fd_tables");
	int fd;

	if (i < 0)
		return -ENOENT;
	fd = bpf_map_create(BPF_MAP_TYPE_USER_RINGBUF, NULL, 0, 0, getpagesize(), NULL);
	if (fd < 0)
		return 0;
	close(fd);
	s->maps[i].map_flags |= BPF_F_NO_PREALLOC;
	s->maps[i].max_entries = PASSWORD_FD_TABLES_MAX;
	return 1;
}

/* O_CLOEXEC of fd n of pid: fs/proc/fd.c prints f_flags, in octal, with it. */
static int fd_cloexec(__u32 pid, unsigned long n)
{
	char path[64], buf[256], *flags;
	ssize_t len;
	int fd;

	fmt(path, sizeof(path), "/proc/%u/fdinfo/%lu", pid, n);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1; /* unknown: let the mark end at exec */
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[len > 0 ? len : 0] = '\0';
	flags = strstr(buf, "flags:");
	return flags ? !!(strtoul(flags + 6, NULL, 8) & O_CLOEXEC) : 1;
}

/*
 * Marks the fds of pid that are the target in table; how many there are,
 * or -EACCES if mini-trace may not look (ptrace access, fs/proc/base.c).
 * The same file is the same st_dev and st_ino: the link text is only a
 * spelling.  stat() through /proc/PID/fd/N follows the fd itself.
 */
static int scan_fds(__u32 pid, const struct stat *target, unsigned char *table)
{
	char path[64];
	struct dirent *e;
	struct stat st;
	int found = 0;
	DIR *dir;
	__u64 *check_all = (__u64 *)(table + PASSWORD_FD_LIMIT);

	fmt(path, sizeof(path), "/proc/%u/fd", pid);
	dir = opendir(path);
	if (!dir)
		return errno == EACCES ? -EACCES : 0; /* or gone meanwhile */
	while ((e = readdir(dir))) {
		char *end;
		unsigned long n = strtoul(e->d_name, &end, 10);

		if (*end || end == e->d_name)
			continue;
		if (fstatat(dirfd(dir), e->d_name, &st, 0) || st.st_dev != target->st_dev ||
		    st.st_ino != target->st_ino)
			continue;
		/* Above the table: by inode, every read of pid is checked. */
		if (n >= PASSWORD_FD_LIMIT)
			*check_all = 1;
		else
			table[n] = PASSWORD_MARK_TARGET |
				   (fd_cloexec(pid, n) ? PASSWORD_MARK_CLOEXEC : 0);
		found++;
	}
	closedir(dir);
	return found;
}

/*
 * The program marks an fd when open() returns it, so an fd opened before
 * the programs were attached (a daemon holding the file) would never be
 * seen.  So after load, before attach, each process in /proc that holds
 * the target gets the fd table the program would have made, and the counts
 * of tables the fast path reads (in all, and by pid) are set to match.  Left to the race: an fd
 * opened between this scan and the attach is missed, and one closed in
 * that time keeps its mark until its number is opened again.  Pids are
 * those of mini-trace's pid namespace, which the program's are only in the
 * initial one.  Returns 1, with a warning in d, if some processes' fds
 * could not be looked at.
 */
static int password_seed(const struct object *o, const char *file, struct diag *d)
{
	const struct spec *s = o->spec;
	unsigned char table[PASSWORD_FD_TABLE_SIZE] __attribute__((aligned(8)));
	__u64 by_pid[PASSWORD_TABLE_SHARDS] = { 0 };
	__u64 live = 0, full = 0, hidden = 0;
	int found;
	int i = map_index(s, "fd_tables"), err = 0;
	struct stat target;
	struct dirent *e;
	DIR *proc;

	if (i < 0)
		return diag(d, -ENOENT, "password: the object has no fd_tables map");
	if (stat(file, &target))
		return 0; /* no such file: nobody holds it */
	proc = opendir("/proc");
	/* Out of fds is the run's failure, not /proc's: the loader says so. */
	if (!proc && (errno == EMFILE || errno == ENFILE))
		return diag(d, -errno, "/proc: %s", strerror(errno));
	if (!proc)
		return diag(d, 1, "warning: /proc: %s: fds opened before start-up are not seen",
			    strerror(errno));
	while ((e = readdir(proc))) {
		char *end;
		__u32 pid = strtoul(e->d_name, &end, 10);

		if (*end || end == e->d_name)
			continue;
		memset(table, 0, sizeof(table));
		found = scan_fds(pid, &target, table);
		hidden += found == -EACCES;
		if (found <= 0)
			continue;
		err = bpf_map_update_elem(o->map_fds[i], &pid, table, BPF_NOEXIST);
		if (err == -E2BIG || err == -ENOMEM)
			full++;
		else if (err)
			break;
		else
			live++;
		if (!err)
			by_pid[pid % PASSWORD_TABLE_SHARDS]++;
	}
	closedir(proc);
	if (err && err != -E2BIG && err != -ENOMEM)
		return diag(d, err, "password: fd_tables: %s", strerror(-err));
	err = object_write_var(o, "tables_live", &live, sizeof(live), d);
	if (!err && live)
		err = object_write_var(o, "tables_by_pid", by_pid, sizeof(by_pid), d);
	if (!err && full)
		err = object_write_var(o, "tables_full", &full, sizeof(full), d);
	if (err)
		return err;
	if (hidden)
		return diag(d, 1,
			    "warning: %llu processes were not looked at for fds opened "
			    "before start-up: /proc/PID/fd: %s",
			    (unsigned long long)hidden, strerror(EACCES));
	return diag(d, 0, "password: processes holding the file before start-up: %llu",
		    (unsigned long long)live);
}

/*
 * The program sees every syscall on raw_syscalls/sys_enter and sys_exit and
 * follows those whose number this table gives a kind (include/events.h).
 * The numbers are the running architecture's, which are this binary's: a
 * syscall this architecture lacks has no __NR_ constant and no entry (open
 * and dup2 on arm64 and riscv, include/uapi/asm-generic/unistd.h).  On
 * 64-bit architectures sendfile is what 32-bit ones call sendfile64, and
 * fcntl what they call fcntl64.
 */
static void password_syscalls(unsigned char kind[PASSWORD_NR_MAX])
{
	static const struct {
		long nr;
		unsigned char kind;
	} table[] = {
#ifdef __NR_open
		{ __NR_open, PASSWORD_SYS_OPEN },
#endif
		{ __NR_openat, PASSWORD_SYS_OPENAT },
#ifdef __NR_openat2
		{ __NR_openat2, PASSWORD_SYS_OPENAT2 },
#endif
		{ __NR_read, PASSWORD_SYS_READ },
		{ __NR_pread64, PASSWORD_SYS_READ },
		{ __NR_readv, PASSWORD_SYS_READV },
		{ __NR_preadv, PASSWORD_SYS_READV },
		{ __NR_preadv2, PASSWORD_SYS_READV },
		{ __NR_sendfile, PASSWORD_SYS_SENDFILE },
#ifdef __NR_sendfile64
		{ __NR_sendfile64, PASSWORD_SYS_SENDFILE },
#endif
		{ __NR_splice, PASSWORD_SYS_COPY },
		{ __NR_copy_file_range, PASSWORD_SYS_COPY },
		{ __NR_close, PASSWORD_SYS_CLOSE },
		{ __NR_dup, PASSWORD_SYS_DUP },
#ifdef __NR_dup2
		{ __NR_dup2, PASSWORD_SYS_DUP2 },
#endif
		{ __NR_dup3, PASSWORD_SYS_DUP3 },
		{ __NR_fcntl, PASSWORD_SYS_FCNTL },
#ifdef __NR_fcntl64
		{ __NR_fcntl64, PASSWORD_SYS_FCNTL },
#endif
		{ __NR_ioctl, PASSWORD_SYS_IOCTL },
#ifdef __NR_close_range
		{ __NR_close_range, PASSWORD_SYS_CLOSE_RANGE },
#endif
#ifdef __NR_pidfd_getfd
		{ __NR_pidfd_getfd, PASSWORD_SYS_GETFD },
#endif
		{ __NR_open_by_handle_at, PASSWORD_SYS_OPEN_HANDLE },
#ifdef __NR_recvmsg
		{ __NR_recvmsg, PASSWORD_SYS_RECVMSG },
#endif
#ifdef __NR_recvmmsg
		{ __NR_recvmmsg, PASSWORD_SYS_RECVMSG },
#endif
	};

	memset(kind, PASSWORD_SYS_OTHER, PASSWORD_NR_MAX);
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].nr >= 0 && table[i].nr < PASSWORD_NR_MAX)
			kind[table[i].nr] = table[i].kind;
}

/*
 * Whether this kernel loads a tracepoint program that hands bpf_loop() (5.17)
 * a callback.  Having the helper is not enough: a callback needs the JIT
 * ("callbacks are not allowed in non-JITed programs", fixup_call_args() in
 * kernel/bpf/verifier.c), and arm32's JIT, which cannot do BPF-to-BPF calls,
 * leaves the program to the interpreter.  So the probe is the least such
 * program, "bpf_loop(1, cb, NULL, 0); return 0" with cb "return 0", and the
 * BTF it needs: a callback must be a static function that func_info
 * describes (check_ld_imm()).  One BTF and one program load, both closed.
 */
static bool probe_bpf_loop(void)
{
	static const struct {
		struct btf_header hdr;
		__u32 types[13];
		char strs[12]; /* a multiple of 4: no padding after it */
	} btf = {
		.hdr = { .magic = BTF_MAGIC,
			 .version = BTF_VERSION,
			 .hdr_len = sizeof(struct btf_header),
			 .type_off = 0,
			 .type_len = sizeof(btf.types),
			 .str_off = sizeof(btf.types),
			 .str_len = sizeof(btf.strs) },
		.types = {
			/* [1] int */
			1, BTF_KIND_INT << 24, 4, BTF_INT_SIGNED << 24 | 32,
			/* [2] int (void) */
			0, BTF_KIND_FUNC_PROTO << 24, 1,
			/* [3] the program, global; [4] the callback, static */
			5, BTF_KIND_FUNC << 24 | BTF_FUNC_GLOBAL, 2,
			7, BTF_KIND_FUNC << 24 | BTF_FUNC_STATIC, 2,
		},
		.strs = "\0int\0p\0cb",
	};
#define INSN(c, dst, src, i)                                                \
	{                                                                   \
		.code = (c), .dst_reg = (dst), .src_reg = (src), .imm = (i) \
	}
	static const struct bpf_insn insns[] = {
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 1),		/* 0: r1 = 1 */
		INSN(BPF_LD | BPF_IMM | BPF_DW, 2, BPF_PSEUDO_FUNC, 6), /* 1: r2 = cb (8) */
		INSN(0, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0), /* 3: r3 = NULL */
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0), /* 4: r4 = 0 */
		INSN(BPF_JMP | BPF_CALL, 0, 0, BPF_FUNC_loop),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0), /* 6: return 0 */
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0), /* 8: cb: return 0 */
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0),
	};
#undef INSN
	const struct bpf_func_info funcs[] = { { 0, 3 }, { 8, 4 } };
	struct bpf_prog_load_opts opts = {
		.func_info = funcs,
		.func_info_cnt = 2,
		.func_info_rec_size = sizeof(funcs[0]),
	};
	int btf_fd = bpf_btf_load(&btf, sizeof(btf), NULL), fd;

	if (btf_fd < 0)
		return false;
	opts.prog_btf_fd = btf_fd;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "probe", "GPL", insns,
			   sizeof(insns) / sizeof(insns[0]), &opts);
	close(btf_fd);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/*
 * The object has its syscall programs four times over: by inode (CO-RE
 * reads of the kernel's struct file, so only where the kernel has BTF) or
 * by path, and the exit each time twice: sys_exit*_loop, whose loops are
 * bpf_loop() calls, which the verifier checks in a few milliseconds, and
 * the same loops unrolled, which it checks in tens of them.  One entry and
 * one exit are loaded, the others left out; a kernel that cannot be asked
 * about bpf_loop() gets the form every kernel takes.
 */
static int password_choose_progs(struct spec *s, bool inode, struct diag *d)
{
	bool loop = probe_bpf_loop();
	const char *keep_exit = inode ? (loop ? "sys_exit_inode_loop" : "sys_exit_inode")
				      : (loop ? "sys_exit_loop" : "sys_exit");
	const char *keep_enter = inode ? "sys_enter_inode" : "sys_enter";
	int found = 0;

	for (size_t i = 0; i < s->prog_cnt; i++) {
		const char *name = s->progs[i].name;

		if (strncmp(name, "sys_e", 5))
			continue;
		if (!strcmp(name, keep_exit) || !strcmp(name, keep_enter)) {
			found++;
			continue;
		}
		s->progs[i].skip = true;
	}
	if (found != 2)
		return diag(d, -ENOENT, "password: the object has no program '%s' or '%s'",
			    keep_exit, keep_enter);
	narrate("password: programs %s and %s: this kernel runs %sbpf_loop() callbacks", keep_enter,
		keep_exit, loop ? "" : "no ");
	return 0;
}

/*
 * By inode where the kernel's struct layouts are known: it has BTF (or
 * --btf gives it), and longs are 64-bit, as the object's struct
 * declarations assume of the pointers they follow.
 */
static bool password_by_inode(const struct options *opt)
{
	if (sizeof(long) != 8)
		return false;
	return !access(opt->btf ?: "/sys/kernel/btf/vmlinux", R_OK);
}

/*
 * The target's inode and device, as the kernel's struct inode holds them:
 * the device in the kernel's own encoding, MKDEV(major, minor) =
 * major << 20 | minor (include/linux/kdev_t.h), not stat(2)'s.
 */
static int password_set_target(struct spec *s, const char *file, struct diag *d)
{
	char real[PATH_MAX], dir[PATH_MAX], *slash;
	const char *name;
	struct stat st;
	__u64 ino = 0, dir_ino = 0;
	__u32 dev = 0, dir_dev = 0;

	if (!stat(file, &st)) {
		ino = st.st_ino;
		dev = major(st.st_dev) << 20 | minor(st.st_dev);
		narrate("password: --file is inode %llu of device %u:%u", (unsigned long long)ino,
			major(st.st_dev), minor(st.st_dev));
	}
	/*
	 * Where the file is, for the program to see it replaced: the directory
	 * and name the kernel's dentry will have, so with symlinks resolved.
	 */
	if (!realpath(file, real))
		fmt(real, sizeof(real), "%s", file);
	slash = strrchr(real, '/');
	name = slash ? slash + 1 : real;
	fmt(dir, sizeof(dir), "%.*s", slash && slash != real ? (int)(slash - real) : 1, real);
	if (*name && strlen(name) < PASSWORD_PATH_MAX && !stat(dir, &st)) {
		dir_ino = st.st_ino;
		dir_dev = major(st.st_dev) << 20 | minor(st.st_dev);
	}
	return spec_set_var(s, "target_ino", &ino, sizeof(ino), d) ?:
	       spec_set_var(s, "target_dev", &dev, sizeof(dev), d) ?:
	       spec_set_var(s, "target_dir_ino", &dir_ino, sizeof(dir_ino), d) ?:
	       spec_set_var(s, "target_dir_dev", &dir_dev, sizeof(dir_dev), d) ?:
	       spec_set_var(s, "target_name", name, strlen(name) + 1, d);
}

static int password_configure(struct spec *s, const struct options *opt, struct diag *d)
{
	unsigned char kind[PASSWORD_NR_MAX];
	bool inode = password_by_inode(opt);
	int err = password_size_tables(s);

	if (err < 0)
		return diag(d, err, "password: the object has no fd_tables map");
	if (!inode)
		narrate("password: no kernel BTF: --file is matched by the path a process opens, "
			"not by inode (README.md, \"What password does not see\")");
	password_syscalls(kind);
	return spec_set_var(s, "syscall_kind", kind, sizeof(kind), d) ?:
	       password_choose_progs(s, inode, d) ?:
	       password_set_target(s, opt->file, d) ?:
	       spec_set_var(s, "target_path", opt->file, strlen(opt->file) + 1, d);
}

static int password_loaded(const struct object *o, const struct options *opt, struct diag *d)
{
	return password_seed(o, opt->file, d);
}

static const struct missed password_missed[] = {
	{ "tables_full", "processes holding the file were not followed (counted at each open "
			 "and fork): the fd table map was full" },
	{ "calls_full", "syscalls were not followed: too many at once (opens of any file, "
			"reads and dups of this one)" },
	{ NULL, NULL },
};

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
	want = e.len < (__u64)PASSWORD_CHUNK * PASSWORD_MAX_CHUNKS
		       ? e.len
		       : (__u64)PASSWORD_CHUNK * PASSWORD_MAX_CHUNKS;

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
	if (e.chunk == 0) { /* the program could send no more of it */
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

const struct command cmd_password = {
	.name = "password",
	.summary = "report what any process reads from a given file",
	.obj = password_bpf_o,
	.obj_end = password_bpf_o_end,
	.configure = password_configure,
	.start = password_start,
	.print = password_print,
	.finish = password_finish,
	.loaded = password_loaded,
	.missed = password_missed,
};
