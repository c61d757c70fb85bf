// SPDX-License-Identifier: GPL-2.0
/*
 * mini-trace password: report the bytes any process reads from one file.
 *
 * Read progs/examples/password.bpf.c first: the same idea in five programs
 * and three maps, for one program reading /tmp/password.  This file is that
 * idea made complete, and it reads in this order: the wiring (which
 * tracepoint runs which mechanism), then each mechanism: the fd table, the
 * in-flight calls, sending the bytes, fork, exec and exit, and last the
 * counted maps that let nearly every program return at once.
 *
 * read() names a file descriptor, not a path, so the path has to be matched
 * when open() hands out the descriptor and remembered as a mark on that fd of
 * that process until the descriptor goes away.  A syscall is seen twice, at
 * entry (its arguments) and at exit (its result), and every syscall here
 * follows one pattern: entry saves the arguments in a map keyed by the thread,
 * exit takes them out again and acts on the result, so a call that fails
 * changes nothing and reports nothing.
 *
 *   open, openat, openat2        exit: the path is the target -> mark the fd
 *   read, pread64, readv, preadv entry: the fd is marked -> save the buffer
 *                                exit: send the bytes read to the perf buffer
 *   sendfile, splice,            the same, but the bytes stay in the kernel:
 *   copy_file_range              only their count is sent
 *   close, close_range           unmark: a reused fd number starts clean
 *   dup, dup2, dup3, fcntl(64)   carry a mark to the new fd, drop a replaced one
 *   fcntl(64), ioctl             follow close-on-exec
 *   fork, exec, exit             copy, prune (O_CLOEXEC) and free the marks
 *
 * Marks belong to the process (the thread group), because its threads share
 * one fd table; the saved arguments belong to the thread, which is inside one
 * syscall at a time.
 *
 * Which file is the target is decided in one of two ways, and the object has
 * its syscall programs twice, one set for each; the loader loads one
 * (commands/cmd_password.c):
 *
 *   by inode   sys_enter_inode, sys_exit_inode(_loop): where the kernel has
 *              BTF.  An fd is the target when the kernel's own struct file
 *              behind it has the target's inode and device (target_ino,
 *              target_dev, from stat(2) of --file), read through the fd
 *              table of the task with CO-RE ("the file, by what it is").
 *              Any spelling, any route of the fd: it is the file that is
 *              compared, and user memory decides nothing.
 *   by path    sys_enter, sys_exit(_loop): a kernel without BTF, whose
 *              struct layouts the loader cannot know.  The path a process
 *              hands to open() is compared with --file, byte for byte.
 *
 * In both, the fd tables below say which fds of which process are worth
 * looking at, so that the reads of every other process cost one lookup; by
 * inode, each read of a marked fd is then checked against the struct file.
 *
 * Not seen by path: the target under another spelling (a relative path such
 * as "password" opened in /tmp, "//tmp/password", a path through a symlink
 * or another hard link, openat relative to a directory fd), fds received
 * over a unix socket or from pidfd_getfd, fds numbered FD_LIMIT or above.
 * Not seen in either: bytes read through mmap or io_uring (README.md, "What
 * password does not see", has the table).
 *
 * Every record is read through CO-RE (MINI_TRACE_TP_CORE, tracepoint.h):
 * one object for 32- and 64-bit kernels, with BTF or without.
 */
#define MINI_TRACE_TP_CORE
#include "bpf/bpf_helpers.h" /* bpf_get_current_task() too */
#include "tracepoint.h"
#include "events.h"

/* Patched by the loader before load (--file); the verifier sees a constant. */
const volatile char target_path[PASSWORD_PATH_MAX] = "/tmp/password";

/*
 * By inode: the target's inode number and device, as the kernel keeps them
 * (i_ino, and i_sb->s_dev in the kernel's MKDEV encoding, include/linux/kdev_t.h),
 * written by the loader; target_ino 0 while --file does not exist.
 */
u64 target_ino SEC(".data");
u32 target_dev SEC(".data");

/*
 * By inode: where --file is, as the kernel names it: the directory's inode
 * and device, and the last component (the loader resolves symlinks first).
 * A file opened at that name in that directory that is not the target has
 * replaced it (deleted and created again, renamed over it): it becomes the
 * target, as stat(2) of --file would now say.
 */
const volatile u64 target_dir_ino;
const volatile u32 target_dir_dev;
const volatile char target_name[PASSWORD_PATH_MAX];

/* ---- the wiring: which tracepoint runs which mechanism ---- */

/*
 * Every program hands the fields of its tracepoint to one of the mechanisms
 * declared here and defined below (include/tracepoint.h has the records).
 */
struct trace_event_raw_task_newtask;

/* in-flight calls: open */
static __always_inline int save_open(u64 path, u64 flags);
static __always_inline int save_openat2(u64 path, u64 how);
static __always_inline int finish_open(long fd, int inode);
/* in-flight calls: read, and copies made in the kernel (buf IN_KERNEL) */
static __always_inline int save_read(long fd, u64 buf, u64 nr_iov, int inode);
static __always_inline int finish_read(void *ctx, long ret, int loop);
#define IN_KERNEL 0
/* in-flight calls: close, dup, fcntl, ioctl */
static __always_inline int forget_fd(long fd);
static __always_inline int save_dup(long fd);
static __always_inline int save_dup_to(long oldfd, long newfd, u32 cloexec);
static __always_inline int save_fcntl(long fd, u32 cmd, u64 arg);
static __always_inline int save_ioctl(long fd, u32 cmd);
static __always_inline int save_close_range(u32 first, u32 last, u64 flags);
static __always_inline int save_recvmsg(long fd);
static __always_inline int finish_fd_call(long ret, int loop);
/* fork, exec, exit */
static __always_inline int copy_fd_table(struct trace_event_raw_task_newtask *ctx);
static __always_inline int prune_fd_table(void);
static __always_inline int forget_thread(void);

/*
 * Two tracepoints see every syscall of every process: raw_syscalls/sys_enter
 * with its number and its six arguments, raw_syscalls/sys_exit with its
 * number and its result (include/trace/events/syscalls.h).  Attached there,
 * the two programs below stand for the thirty-odd syscalls/sys_enter_<name>
 * and sys_exit_<name> tracepoints this file could use instead, and that
 * matters twice: the verifier checks each mechanism once, not once per
 * syscall that uses it, and a run leaves two syscall tracepoints to detach
 * rather than thirty, each of which waits out RCU grace periods
 * (perf_trace_event_unreg() in kernel/trace/trace_event_perf.c).  The price
 * is a table lookup in every syscall of the machine; README.md, "password's
 * tracepoints", has both ways measured.
 *
 * Syscall numbers differ by architecture, so the program does not know
 * them: the loader fills syscall_kind from its own <sys/syscall.h>, for the
 * syscalls this kernel's architecture has (open and dup2 are missing on
 * arm64 and riscv, fcntl64 exists only on 32-bit ones).  A number that is
 * not in the table is not followed.  The numbers are those of the native
 * syscall table: a 32-bit process on a 64-bit kernel (x86's ia32, arm64's
 * aarch32) is not followed, as the syscalls/ tracepoints do not follow it
 * either, though its numbers are looked up as native ones.
 */
const volatile u8 syscall_kind[PASSWORD_NR_MAX];

static __always_inline u32 kind_of(kernel_long nr)
{
	if (nr < 0 || nr >= PASSWORD_NR_MAX)
		return PASSWORD_SYS_OTHER;
	barrier_var(nr);
	return syscall_kind[nr & (PASSWORD_NR_MAX - 1)];
}
_Static_assert((PASSWORD_NR_MAX & (PASSWORD_NR_MAX - 1)) == 0, "PASSWORD_NR_MAX is a power of two");

/*
 * A syscall's entry: its arguments in args[], in the order of its prototype.
 * Only what the kind says is saved, for the exit to act on.  Each is read
 * as ctx->args[n], never through a pointer into the record, so that each
 * read is relocated on its own: args[1] is at offset 24 of a 64-bit
 * kernel's record, 16 of a 32-bit one's.
 */
static inline __attribute__((always_inline)) int enter(struct trace_event_raw_sys_enter *ctx,
						       int inode)
{
	u32 kind = kind_of(sys_enter_id(ctx));

	switch (kind) {
	/* open(path, flags), openat(dirfd, path, flags), openat2(dirfd, path, how) */
	case PASSWORD_SYS_OPEN: return save_open(ctx->args[0], ctx->args[1]);
	case PASSWORD_SYS_OPENAT: return save_open(ctx->args[1], ctx->args[2]);
	case PASSWORD_SYS_OPENAT2: return save_openat2(ctx->args[1], ctx->args[2]);
	/*
	 * Fds with no path to compare: open_by_handle_at(mount_fd, handle,
	 * flags), and pidfd_getfd(pidfd, fd, flags), whose fd is always
	 * close-on-exec (kernel/pid.c).  By path they are other files.
	 */
	case PASSWORD_SYS_OPEN_HANDLE:
	case PASSWORD_SYS_GETFD:
		return save_open(0, kind == PASSWORD_SYS_GETFD ? O_CLOEXEC : ctx->args[2]);
	/* read(fd, buf, n), pread64(...); readv(fd, iov, n), preadv(...), preadv2(...) */
	case PASSWORD_SYS_READ: return save_read(ctx->args[0], ctx->args[1], 0, inode);
	case PASSWORD_SYS_READV: return save_read(ctx->args[0], ctx->args[1], ctx->args[2], inode);
	/*
	 * Copies from the target that never pass through user memory:
	 * coreutils cat uses copy_file_range when its output is a regular
	 * file, Python's shutil.copyfile uses sendfile.  They are reported
	 * with their length only.  sendfile(out, in, ...), splice(in, ...),
	 * copy_file_range(in, ...).
	 */
	case PASSWORD_SYS_SENDFILE: return save_read(ctx->args[1], IN_KERNEL, 0, inode);
	case PASSWORD_SYS_COPY: return save_read(ctx->args[0], IN_KERNEL, 0, inode);
	/* close(fd), close_range(first, last, flags) */
	case PASSWORD_SYS_CLOSE: return forget_fd(ctx->args[0]);
	case PASSWORD_SYS_CLOSE_RANGE:
		return save_close_range(ctx->args[0], ctx->args[1], ctx->args[2]);
	/* dup(fd), dup2(old, new), dup3(old, new, flags) */
	case PASSWORD_SYS_DUP: return save_dup(ctx->args[0]);
	case PASSWORD_SYS_DUP2: return save_dup_to(ctx->args[0], ctx->args[1], 0);
	case PASSWORD_SYS_DUP3:
		return save_dup_to(ctx->args[0], ctx->args[1], !!(ctx->args[2] & O_CLOEXEC));
	/*
	 * fcntl(fd, cmd, arg), or fcntl64 on 32-bit; ioctl(fd, cmd), whose
	 * FIOCLEX and FIONCLEX Python's os.set_inheritable uses.
	 */
	case PASSWORD_SYS_FCNTL: return save_fcntl(ctx->args[0], ctx->args[1], ctx->args[2]);
	case PASSWORD_SYS_IOCTL: return save_ioctl(ctx->args[0], ctx->args[1]);
	/*
	 * recvmsg(fd, msg, flags), recvmmsg(fd, ...): fds sent with
	 * SCM_RIGHTS arrive on numbers no syscall of the receiver returns.
	 * By inode, a process that received anything on a unix socket has
	 * each of its reads checked.
	 */
	case PASSWORD_SYS_RECVMSG: return inode ? save_recvmsg(ctx->args[0]) : 0;
	}
	return 0;
}

/*
 * A syscall's exit: its result in ret.  What the entry saved, found by the
 * thread, is finished by the mechanism of its kind.  bpf_loop() (5.17)
 * has the verifier check a loop's body once rather than once per turn, so
 * there are two builds of the exit: the loader loads sys_exit_loop where the
 * kernel has that helper, sys_exit elsewhere (commands/cmd_password.c).
 */
static inline __attribute__((always_inline)) int leave(struct trace_event_raw_sys_exit *ctx,
						       int loop, int inode)
{
	switch (kind_of(sys_exit_id(ctx))) {
	case PASSWORD_SYS_OPEN:
	case PASSWORD_SYS_OPENAT:
	case PASSWORD_SYS_OPENAT2:
	case PASSWORD_SYS_OPEN_HANDLE:
	case PASSWORD_SYS_GETFD: return finish_open(sys_exit_ret(ctx), inode);
	case PASSWORD_SYS_READ:
	case PASSWORD_SYS_READV:
	case PASSWORD_SYS_SENDFILE:
	case PASSWORD_SYS_COPY: return finish_read(ctx, sys_exit_ret(ctx), loop);
	case PASSWORD_SYS_DUP:
	case PASSWORD_SYS_DUP2:
	case PASSWORD_SYS_DUP3:
	case PASSWORD_SYS_FCNTL:
	case PASSWORD_SYS_IOCTL:
	case PASSWORD_SYS_CLOSE_RANGE:
	case PASSWORD_SYS_RECVMSG: return finish_fd_call(sys_exit_ret(ctx), loop);
	}
	return 0;
}

/*
 * The loader attaches every syscall exit before any entry (the section
 * table's order, sec_attach_round()), so that no entry is saved whose exit
 * would go unseen.
 */
SEC("tracepoint/raw_syscalls/sys_exit")
int sys_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(ctx, 0, 0);
}

SEC("tracepoint/raw_syscalls/sys_exit")
int sys_exit_loop(struct trace_event_raw_sys_exit *ctx)
{
	return leave(ctx, 1, 0);
}

SEC("tracepoint/raw_syscalls/sys_exit")
int sys_exit_inode(struct trace_event_raw_sys_exit *ctx)
{
	return leave(ctx, 0, 1);
}

SEC("tracepoint/raw_syscalls/sys_exit")
int sys_exit_inode_loop(struct trace_event_raw_sys_exit *ctx)
{
	return leave(ctx, 1, 1);
}

SEC("tracepoint/raw_syscalls/sys_enter")
int sys_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx, 0);
}

SEC("tracepoint/raw_syscalls/sys_enter")
int sys_enter_inode(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx, 1);
}

SEC("tracepoint/task/task_newtask")
int task_newtask(struct trace_event_raw_task_newtask *ctx)
{
	return copy_fd_table(ctx);
}

SEC("tracepoint/sched/sched_process_exec")
int process_exec(void *ctx)
{
	return prune_fd_table();
}

SEC("tracepoint/sched/sched_process_exit")
int process_exit(void *ctx)
{
	return forget_thread();
}

/*
 * The counts of the fast path, the last section: while one is 0, the
 * programs that look in its map return at once.  The fd tables are counted
 * in all and by pid (tables_of()), so that a process holding the target open
 * does not send every other process's reads the long way.
 */
u64 tables_live;	/* entries of fd_tables */
u64 reads_in_flight;	/* entries of read_calls */
u64 fd_calls_in_flight; /* entries of fd_calls */

/* The entries of fd_tables again, by pid: tables_of(), in the last section. */
u64 tables_by_pid[PASSWORD_TABLE_SHARDS] SEC(".bss.tables");

static __always_inline long create_counted(void *map, const void *key, const void *value,
					   u64 *count);
static __always_inline long set_counted(void *map, const void *key, const void *value, u64 *count);
static __always_inline void delete_counted(void *map, const void *key, u64 *count);
static __always_inline u64 *tables_of(u32 pid);

/* ---- the fd table ---- */

/*
 * Each process that has held the target open gets an fd table, one byte per
 * fd, which fork copies, exec prunes and exit frees, as the kernel does with
 * its own (struct files_struct, fs/file.c).  Fds from FD_LIMIT up, which only
 * a process that raised RLIMIT_NOFILE above the usual 1024 can have, are not
 * followed.
 *
 * Why not a hash map keyed by (pid, fd), as in the seed: fork would have to
 * copy the marks one fd at a time, and a loop whose every turn tests a lookup
 * for NULL costs the verifier work quadratic in its length: 1024 turns do not
 * verify.  With a table, fork copies one value and exit deletes one key.  Each
 * byte is written on its own, so threads marking different fds at the same
 * time do not undo each other's work.
 */
#define FD_LIMIT PASSWORD_FD_LIMIT
#define MARK_TARGET PASSWORD_MARK_TARGET
#define MARK_CLOEXEC PASSWORD_MARK_CLOEXEC

struct fd_table {
	union {
		u8 fd[FD_LIMIT];
		u64 word[FD_LIMIT / 8]; /* for exec: eight fds at a time */
	};
	/*
	 * By inode: the target may be at an fd the bytes do not say (FD_LIMIT
	 * or above, or received over a unix socket): check every read.
	 */
	u64 check_all;
};
_Static_assert(sizeof(struct fd_table) == PASSWORD_FD_TABLE_SIZE, "the loader writes fd tables");

/*
 * Thread group id -> its fd table.  Entries go away when the process exits.
 *
 * One entry per process that holds the target, and any user who can open
 * the file can make as many such processes as RLIMIT_NPROC lets them: a
 * process that finds the map full is not followed, and counted in
 * tables_full, which the loader reports at the end of a run.  As written the
 * map is preallocated, 8192 entries of about 1 KiB each, because before 6.1 a
 * tracing program that allocates map memory as it runs makes the verifier
 * WARN (check_map_prog_compatibility() in kernel/bpf/verifier.c); 6.1's
 * allocator for any context (kernel/bpf/memalloc.c) lifted that, and there
 * the loader makes it BPF_F_NO_PREALLOC, PASSWORD_FD_TABLES_MAX entries, so
 * that memory goes only to live tables.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, u32);
	__type(value, struct fd_table);
} fd_tables SEC(".maps");

/* Opens and forks of a process holding the target that found no room for its fd table. */
u64 tables_full;

/* Never written: the zeroed value a new fd table is created from. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct fd_table);
} empty_fd_table SEC(".maps");

/*
 * The fd table of pid.  While pid's count is 0 (no table's pid is pid modulo
 * PASSWORD_TABLE_SHARDS: one process holding the target open leaves nearly
 * every other count at 0), there is none to look up.
 */
static __always_inline struct fd_table *find_fd_table(u32 pid)
{
	if (!*tables_of(pid))
		return 0;
	return bpf_map_lookup_elem(&fd_tables, &pid);
}

/*
 * Creating and deleting a table changes both its counts, in the order the
 * last section says: up before the insert, down after the delete.
 */
static __always_inline long create_fd_table(u32 pid, const struct fd_table *value)
{
	long err;

	__sync_fetch_and_add(&tables_live, 1);
	err = create_counted(&fd_tables, &pid, value, tables_of(pid));
	if (err)
		__sync_fetch_and_add(&tables_live, -1);
	return err;
}

/* Sets pid's table to a copy of value; nonzero if there is no room. */
static __always_inline long set_fd_table(u32 pid, const struct fd_table *value)
{
	if (!create_fd_table(pid, value))
		return 0;
	return bpf_map_update_elem(&fd_tables, &pid, value, BPF_EXIST);
}

static __always_inline void delete_fd_table(u32 pid)
{
	if (!*tables_of(pid) || bpf_map_delete_elem(&fd_tables, &pid))
		return;
	__sync_fetch_and_add(tables_of(pid), -1);
	__sync_fetch_and_add(&tables_live, -1);
}

static __always_inline struct fd_table *make_fd_table(u32 pid)
{
	struct fd_table *table = find_fd_table(pid), *empty;
	u32 zero = 0;

	if (table)
		return table;
	empty = bpf_map_lookup_elem(&empty_fd_table, &zero);
	if (!empty)
		return 0;
	/* A sibling thread may create it first: then use that one. */
	create_fd_table(pid, empty);
	table = find_fd_table(pid);
	if (!table)
		__sync_fetch_and_add(&tables_full, 1);
	return table;
}

/*
 * The index of the byte of fd, which the caller has checked is in the table.
 * The mask changes nothing but it bounds the very register that indexes, as
 * older verifiers need (barrier_var() in include/bpf_helpers.h).
 */
_Static_assert((FD_LIMIT & (FD_LIMIT - 1)) == 0, "FD_LIMIT is a power of two");

static __always_inline u32 fd_slot(long fd)
{
	barrier_var(fd);
	return fd & (FD_LIMIT - 1);
}

/* What is known about fd of process pid: MARK_* bits, 0 for nothing. */
static __always_inline u8 get_fd(u32 pid, long fd)
{
	struct fd_table *table;

	if (fd < 0 || fd >= FD_LIMIT)
		return 0;
	table = find_fd_table(pid);
	return table ? table->fd[fd_slot(fd)] : 0;
}

static __always_inline void set_fd(u32 pid, long fd, u8 marks)
{
	struct fd_table *table;

	if (fd < 0)
		return;
	table = marks ? make_fd_table(pid) : find_fd_table(pid);
	if (!table)
		return;
	if (fd < FD_LIMIT)
		table->fd[fd_slot(fd)] = marks;
	else if (marks & MARK_TARGET)
		table->check_all = 1;
}

/* Whether any fd of the table is open on the target. */
static __always_inline int has_target(const struct fd_table *table)
{
	const u64 target_bits = 0x0101010101010101ULL * MARK_TARGET;
	u64 any = 0;
	u32 i;

	for (i = 0; i < FD_LIMIT / 8; i++)
		any |= table->word[i] & target_bits;
	return any != 0 || table->check_all;
}

/* ---- in-flight syscalls, keyed by pid_tgid (the thread) ---- */

struct open_call {
	u64 path;    /* user address of the pathname */
	u32 cloexec; /* O_CLOEXEC was asked for */
	u32 pad;
};

struct read_call {
	u64 buf;    /* destination, or the iovec array if nr_iov */
	u32 nr_iov; /* 0: read/pread64 into buf (readv of 0 reads 0) */
	s32 fd;
};

enum fd_op {
	FD_OP_DUP = 1,	   /* result fd := fd (dup*, fcntl F_DUPFD*) */
	FD_OP_SETFD,	   /* fcntl(fd, F_SETFD, cloexec), ioctl FIOCLEX */
	FD_OP_CLOSE_RANGE, /* fd..last closed, or made close-on-exec */
	FD_OP_RECV,	   /* recvmsg on a unix socket: check every read */
};

struct fd_call {
	u32 op; /* enum fd_op */
	s32 fd;
	u32 last; /* close_range: last fd */
	u32 cloexec;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, u64);
	__type(value, struct open_call);
} open_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u64);
	__type(value, struct read_call);
} read_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u64);
	__type(value, struct fd_call);
} fd_calls SEC(".maps");

/*
 * Calls that could not be followed because their map was full: opens of any
 * file (so perhaps of the target), reads and dups of the target.  The loader
 * reports the count at the end of a run.
 */
u64 calls_full;

/* ---- the file behind an fd, by inode ---- */

/*
 * The kernel's structs on the way from the current task to the inode of the
 * file at one of its fds, as far as that way needs them: task->files (the fd
 * table the task's threads share), ->fdt (its current array, resized as it
 * grows: fs/file.c, expand_fdtable()), ->fd[n] (the struct file), ->f_inode,
 * and the inode's number and superblock, whose s_dev is the device stat(2)
 * reports (generic_fillattr() in fs/stat.c).  preserve_access_index has
 * clang record each access, and the loader moves it to where the running
 * kernel's BTF has the field (CO-RE); the "___pw" suffix keeps the names
 * apart from tracepoint.h's and is not part of what is looked up.
 *
 * Every step is a bpf_probe_read_kernel(): the fd table may be swapped for a
 * bigger one or freed by another thread meanwhile, and a read that faults
 * fails rather than oopses, and decides "not the target".
 */
struct super_block___pw {
	u32 s_dev; /* dev_t */
} __attribute__((preserve_access_index));

struct inode___pw {
	unsigned long i_ino;
	struct super_block___pw *i_sb;
} __attribute__((preserve_access_index));

struct qstr___pw {
	const unsigned char *name;
} __attribute__((preserve_access_index));

struct dentry___pw {
	struct dentry___pw *d_parent;
	struct qstr___pw d_name;
	struct inode___pw *d_inode;
} __attribute__((preserve_access_index));

struct path___pw {
	struct dentry___pw *dentry;
} __attribute__((preserve_access_index));

struct file___pw {
	struct path___pw f_path;
	struct inode___pw *f_inode;
	void *private_data; /* a socket's struct socket (net/socket.c, sock_alloc_file()) */
} __attribute__((preserve_access_index));

struct fdtable___pw {
	unsigned int max_fds;
	struct file___pw **fd;
} __attribute__((preserve_access_index));

struct files_struct___pw {
	struct fdtable___pw *fdt;
} __attribute__((preserve_access_index));

struct task_struct___pw {
	struct files_struct___pw *files;
} __attribute__((preserve_access_index));

struct sock_common___pw {
	unsigned short skc_family;
} __attribute__((preserve_access_index));

struct sock___pw {
	struct sock_common___pw __sk_common;
} __attribute__((preserve_access_index));

struct socket___pw {
	struct sock___pw *sk;
} __attribute__((preserve_access_index));

#define AF_UNIX 1

/* The struct file at fd of the current task, or 0. */
static __always_inline struct file___pw *fd_file(long fd)
{
	struct task_struct___pw *task = (void *)bpf_get_current_task();
	struct files_struct___pw *files = 0;
	struct fdtable___pw *fdt = 0;
	struct file___pw **fds = 0, *file = 0;
	unsigned int max_fds = 0;

	if (fd < 0 || bpf_probe_read_kernel(&files, sizeof(files), &task->files) || !files ||
	    bpf_probe_read_kernel(&fdt, sizeof(fdt), &files->fdt) || !fdt ||
	    bpf_probe_read_kernel(&max_fds, sizeof(max_fds), &fdt->max_fds) || fd >= max_fds ||
	    bpf_probe_read_kernel(&fds, sizeof(fds), &fdt->fd) || !fds ||
	    bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]))
		return 0;
	return file;
}

/* Whether fd of the current task is open on the target: its inode and device. */
static __noinline int fd_is_target(long fd)
{
	struct file___pw *file = fd_file(fd);
	struct inode___pw *inode = 0;
	struct super_block___pw *sb = 0;
	unsigned long ino = 0;
	u32 dev = 0;

	if (!file || !target_ino || bpf_probe_read_kernel(&inode, sizeof(inode), &file->f_inode) ||
	    !inode || bpf_probe_read_kernel(&ino, sizeof(ino), &inode->i_ino) ||
	    ino != target_ino || bpf_probe_read_kernel(&sb, sizeof(sb), &inode->i_sb) || !sb ||
	    bpf_probe_read_kernel(&dev, sizeof(dev), &sb->s_dev))
		return 0;
	return dev == target_dev;
}

/*
 * Whether fd of the current task is open at --file's place though not on the
 * target: its dentry's name is target_name and its parent the directory of
 * --file (fs/dcache.c keeps both current through renames).  If so it is the
 * target from now on.  The name is the kernel's copy, not user memory.
 */
static __noinline int fd_replaces_target(long fd)
{
	struct file___pw *file = fd_file(fd);
	struct dentry___pw *dentry = 0, *parent = 0;
	struct inode___pw *inode = 0, *dir = 0;
	struct super_block___pw *sb = 0;
	const unsigned char *name = 0;
	char buf[PASSWORD_PATH_MAX];
	unsigned long ino = 0, dir_ino = 0;
	u32 dev = 0;

	if (!file || !target_dir_ino ||
	    bpf_probe_read_kernel(&dentry, sizeof(dentry), &file->f_path.dentry) || !dentry ||
	    bpf_probe_read_kernel(&name, sizeof(name), &dentry->d_name.name) || !name ||
	    bpf_probe_read_kernel_str(buf, sizeof(buf), name) <= 0 ||
	    bpf_strncmp(buf, PASSWORD_PATH_MAX, (const char *)target_name) ||
	    bpf_probe_read_kernel(&parent, sizeof(parent), &dentry->d_parent) || !parent ||
	    bpf_probe_read_kernel(&dir, sizeof(dir), &parent->d_inode) || !dir ||
	    bpf_probe_read_kernel(&dir_ino, sizeof(dir_ino), &dir->i_ino) ||
	    dir_ino != target_dir_ino ||
	    bpf_probe_read_kernel(&inode, sizeof(inode), &file->f_inode) || !inode ||
	    bpf_probe_read_kernel(&ino, sizeof(ino), &inode->i_ino) ||
	    bpf_probe_read_kernel(&sb, sizeof(sb), &inode->i_sb) || !sb ||
	    bpf_probe_read_kernel(&dev, sizeof(dev), &sb->s_dev) || dev != target_dir_dev)
		return 0;
	target_ino = ino;
	target_dev = dev;
	return 1;
}

/*
 * Whether fd of the current task is a unix socket, the only kind that carries
 * SCM_RIGHTS (net/unix/af_unix.c).  Asked of recvmsg's fd, which the call
 * itself then checks is a socket: for another file this reads nonsense,
 * safely, and the call fails.
 */
static __noinline int fd_is_unix_socket(long fd)
{
	struct file___pw *file = fd_file(fd);
	struct socket___pw *sock = 0;
	struct sock___pw *sk = 0;
	unsigned short family = 0;

	if (!file || bpf_probe_read_kernel(&sock, sizeof(sock), &file->private_data) || !sock ||
	    bpf_probe_read_kernel(&sk, sizeof(sk), &sock->sk) || !sk ||
	    bpf_probe_read_kernel(&family, sizeof(family), &sk->__sk_common.skc_family))
		return 0;
	return family == AF_UNIX;
}

/* ---- open ---- */

/*
 * Whether the user string at path is exactly target_path.  bpf_strncmp is
 * strncmp: comparing up to PASSWORD_PATH_MAX bytes makes the two NULs line up,
 * so "/tmp/password2" is not "/tmp/password".  A path too long to fit is read
 * one byte too long and refused, rather than compared cut.
 */
static __noinline int is_target(u64 path)
{
	char buf[PASSWORD_PATH_MAX + 1];
	long n;

	n = bpf_probe_read_user_str(buf, sizeof(buf), (const char *)path);
	if (n <= 0 || n > PASSWORD_PATH_MAX)
		return 0;
	return bpf_strncmp(buf, PASSWORD_PATH_MAX, (const char *)target_path) == 0;
}

static __always_inline int save_open(u64 path, u64 flags)
{
	u64 id = bpf_get_current_pid_tgid();
	struct open_call call = { .path = path, .cloexec = !!(flags & O_CLOEXEC) };

	if (bpf_map_update_elem(&open_calls, &id, &call, BPF_ANY))
		__sync_fetch_and_add(&calls_full, 1);
	return 0;
}

/*
 * The path is read at exit, not at entry: bpf_probe_read_user cannot fault a
 * page in, and a string literal in a page the program has not touched yet is
 * only brought in by the kernel's own copy (getname() in fs/namei.c).
 */
static __always_inline int finish_open(long fd, int inode)
{
	u64 id = bpf_get_current_pid_tgid();
	struct open_call *saved, call;

	saved = bpf_map_lookup_elem(&open_calls, &id);
	if (!saved)
		return 0;
	call = *saved;
	bpf_map_delete_elem(&open_calls, &id);

	if (fd < 0)
		return 0;
	/*
	 * Any other file: a new fd proves an old mark on its number stale.  By
	 * inode the file is looked at where the kernel put it, in the fd table.
	 */
	if (!(inode ? fd_is_target(fd) || fd_replaces_target(fd) : is_target(call.path)))
		set_fd(id >> 32, fd, 0);
	else
		set_fd(id >> 32, fd, MARK_TARGET | (call.cloexec ? MARK_CLOEXEC : 0));
	return 0;
}

static __always_inline int save_openat2(u64 path, u64 how)
{
	u64 flags;

	/* struct open_how starts with the u64 flags (include/uapi/linux/openat2.h). */
	if (bpf_probe_read_user(&flags, sizeof(flags), (const void *)how))
		flags = O_CLOEXEC; /* unknown: let the mark end at exec */
	return save_open(path, flags);
}

/* ---- read ---- */

/*
 * By path, a marked fd is the target.  By inode, a marked fd (or any fd of a
 * process that may hold the target unmarked) is the target if the struct file
 * behind it says so now, as the read begins: a mark left stale, or an fd
 * that another thread replaced since, is not.
 */
static __always_inline int save_read(long fd, u64 buf, u64 nr_iov, int inode)
{
	struct fd_table *table;
	struct read_call call;
	u64 id;
	u8 marks = 0;

	if (!tables_live)
		return 0;
	id = bpf_get_current_pid_tgid();
	table = find_fd_table(id >> 32);
	if (!table || fd < 0)
		return 0;
	if (fd < FD_LIMIT)
		marks = table->fd[fd_slot(fd)];
	if (!inode && !(marks & MARK_TARGET))
		return 0;
	if (inode && ((!(marks & MARK_TARGET) && !table->check_all) || !fd_is_target(fd)))
		return 0;
	call = (struct read_call){ .buf = buf, .fd = fd };
	call.nr_iov = nr_iov < UIO_MAXIOV ? nr_iov : UIO_MAXIOV;
	if (set_counted(&read_calls, &id, &call, &reads_in_flight))
		__sync_fetch_and_add(&calls_full, 1);
	return 0;
}

/* Sending, the next section, once the read has returned. */
static __noinline int send_read(void *ctx, const struct read_call *call, s64 ret);
static __noinline int send_read_loop(void *ctx, const struct read_call *call, s64 ret);

static __always_inline int finish_read(void *ctx, long ret, int loop)
{
	struct read_call *saved, call;
	u64 id;

	if (!reads_in_flight)
		return 0;
	id = bpf_get_current_pid_tgid();
	saved = bpf_map_lookup_elem(&read_calls, &id);
	if (!saved)
		return 0;
	call = *saved;
	delete_counted(&read_calls, &id, &reads_in_flight);

	if (ret <= 0)
		return 0;
	return loop ? send_read_loop(ctx, &call, ret) : send_read(ctx, &call, ret);
}

/* ---- close, dup, fcntl, ioctl ---- */

/*
 * Linux frees the fd number even when close fails (but for EBADF, when there
 * was nothing to free), so the mark can go at entry.
 */
static __always_inline int forget_fd(long fd)
{
	if (!tables_live)
		return 0;
	set_fd(bpf_get_current_pid_tgid() >> 32, fd, 0);
	return 0;
}

static __always_inline int save_fd_call(u32 op, long fd, u32 last, u32 cloexec)
{
	u64 id = bpf_get_current_pid_tgid();
	struct fd_call call = { .op = op, .fd = fd, .last = last, .cloexec = cloexec };

	if (set_counted(&fd_calls, &id, &call, &fd_calls_in_flight))
		__sync_fetch_and_add(&calls_full, 1);
	return 0;
}

/* close_range over first..last: the loop stops at the end of the range. */
static __always_inline void close_fd_range(u32 pid, u64 first, u64 last, u32 cloexec)
{
	struct fd_table *table = find_fd_table(pid);
	u64 i, fd;

	if (!table || first >= FD_LIMIT || last < first)
		return;
	for (i = 0; i < FD_LIMIT; i++) {
		fd = first + i;
		if (fd > last || fd >= FD_LIMIT)
			break;
		/* A byte of just MARK_CLOEXEC is no mark: harmless. */
		if (cloexec)
			table->fd[fd_slot(fd)] |= MARK_CLOEXEC;
		else
			table->fd[fd_slot(fd)] = 0;
	}
}

/*
 * The same with bpf_loop() (5.17): one turn per fd, a body the verifier
 * checks once (kernel/bpf/bpf_iter.c runs it; check_helper_call() in
 * kernel/bpf/verifier.c checks the callback on its own).
 */
struct fd_range {
	struct fd_table *table;
	u64 first;
	u32 cloexec;
};

static long close_one_fd(u32 i, void *arg)
{
	struct fd_range *r = arg;
	struct fd_table *table = r->table;
	u64 fd = r->first + i;

	if (!table || fd >= FD_LIMIT)
		return 1;
	if (r->cloexec)
		table->fd[fd_slot(fd)] |= MARK_CLOEXEC;
	else
		table->fd[fd_slot(fd)] = 0;
	return 0;
}

static __always_inline void close_fd_range_loop(u32 pid, u64 first, u64 last, u32 cloexec)
{
	struct fd_range r = { .table = find_fd_table(pid), .first = first, .cloexec = cloexec };

	if (!r.table || first >= FD_LIMIT || last < first)
		return;
	if (last >= FD_LIMIT)
		last = FD_LIMIT - 1;
	bpf_loop(last - first + 1, close_one_fd, &r, 0);
}

static __always_inline int finish_fd_call(long ret, int loop)
{
	struct fd_call *saved, call;
	struct fd_table *table;
	u64 id;
	u32 pid;

	if (!fd_calls_in_flight)
		return 0;
	id = bpf_get_current_pid_tgid();
	pid = id >> 32;
	saved = bpf_map_lookup_elem(&fd_calls, &id);
	if (!saved)
		return 0;
	call = *saved;
	delete_counted(&fd_calls, &id, &fd_calls_in_flight);
	if (ret < 0)
		return 0;

	switch (call.op) {
	case FD_OP_DUP:
		/* dup2(fd, fd) changes nothing, not even close-on-exec. */
		if (ret == call.fd)
			break;
		if (get_fd(pid, call.fd) & MARK_TARGET)
			set_fd(pid, ret, MARK_TARGET | (call.cloexec ? MARK_CLOEXEC : 0));
		else
			set_fd(pid, ret, 0);
		break;
	case FD_OP_SETFD:
		if (get_fd(pid, call.fd) & MARK_TARGET)
			set_fd(pid, call.fd, MARK_TARGET | (call.cloexec ? MARK_CLOEXEC : 0));
		break;
	case FD_OP_RECV:
		table = make_fd_table(pid);
		if (table)
			table->check_all = 1;
		break;
	case FD_OP_CLOSE_RANGE:
		if (loop)
			close_fd_range_loop(pid, call.fd, call.last, call.cloexec);
		else
			close_fd_range(pid, call.fd, call.last, call.cloexec);
		break;
	}
	return 0;
}

/* Only calls that touch a marked fd are followed to their exit. */
static __always_inline int save_dup(long fd)
{
	if (!tables_live)
		return 0;
	if (get_fd(bpf_get_current_pid_tgid() >> 32, fd) & MARK_TARGET)
		save_fd_call(FD_OP_DUP, fd, 0, 0);
	return 0;
}

/* dup2 and dup3 replace newfd: its mark becomes oldfd's, whatever that is. */
static __always_inline int save_dup_to(long oldfd, long newfd, u32 cloexec)
{
	u32 pid;

	if (!tables_live)
		return 0;
	pid = bpf_get_current_pid_tgid() >> 32;
	if ((get_fd(pid, oldfd) | get_fd(pid, newfd)) & MARK_TARGET)
		save_fd_call(FD_OP_DUP, oldfd, 0, cloexec);
	return 0;
}

static __always_inline int save_fcntl(long fd, u32 cmd, u64 arg)
{
	if (!tables_live)
		return 0;
	if (!(get_fd(bpf_get_current_pid_tgid() >> 32, fd) & MARK_TARGET))
		return 0;
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		save_fd_call(FD_OP_DUP, fd, 0, cmd == F_DUPFD_CLOEXEC);
	else if (cmd == F_SETFD)
		save_fd_call(FD_OP_SETFD, fd, 0, !!(arg & FD_CLOEXEC));
	return 0;
}

static __always_inline int save_ioctl(long fd, u32 cmd)
{
	if (!tables_live || (cmd != FIOCLEX && cmd != FIONCLEX))
		return 0;
	if (get_fd(bpf_get_current_pid_tgid() >> 32, fd) & MARK_TARGET)
		save_fd_call(FD_OP_SETFD, fd, 0, cmd == FIOCLEX);
	return 0;
}

/*
 * close_range(2) (glibc's closefrom, Python's subprocess) closes fds, or with
 * CLOSE_RANGE_CLOEXEC makes them close-on-exec, without a close per fd.
 */
/* By inode: a recvmsg on a unix socket may bring the target with it. */
static __always_inline int save_recvmsg(long fd)
{
	if (fd_is_unix_socket(fd))
		save_fd_call(FD_OP_RECV, fd, 0, 0);
	return 0;
}

static __always_inline int save_close_range(u32 first, u32 last, u64 flags)
{
	if (tables_live && find_fd_table(bpf_get_current_pid_tgid() >> 32))
		save_fd_call(FD_OP_CLOSE_RANGE, first, last, !!(flags & CLOSE_RANGE_CLOEXEC));
	return 0;
}

/* ---- sending ---- */

/* What one read sends at most; the rest is flagged PASSWORD_TRUNCATED. */
#define READ_CAP ((u64)PASSWORD_CHUNK * PASSWORD_MAX_CHUNKS)

/*
 * The iovecs of one readv that are looked at (musl's stdio reads with two).
 * The kernel takes up to UIO_MAXIOV, but each costs the verifier a turn of
 * send_read's loop: on 6.18, 64 still verify and 1024 do not.
 */
#define MAX_IOVS 16

/* An event is too big for the 512-byte BPF stack: it is built here. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct password_event);
} scratch SEC(".maps");

/* One perf ring per CPU; the loader sizes it and fills in the ring fds. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} events SEC(".maps");

/*
 * Chunks bpf_perf_event_output() could not write because the ring was full.
 * The kernel tells user space of such losses only inside the ring, with the
 * next record that fits; the loader reads this count at the end of a run.
 */
u64 events_lost;

/* Output one event; a full ring is counted, never silent. */
static __always_inline void output(void *ctx, struct password_event *ev, u64 size)
{
	if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, ev, size))
		__sync_fetch_and_add(&events_lost, 1);
}

/*
 * The traced process's struct iovec: a pointer and a size_t, as wide as the
 * kernel's long, since syscall tracepoints see native syscalls only
 * (include/tracepoint.h).
 */
struct user_iovec {
	u64 base;
	u64 len;
};

struct user_iovec32 {
	u32 base;
	u32 len;
};

/* Reads the i-th iovec of the array at user address vec; nonzero if it cannot. */
static __always_inline long read_user_iovec(struct user_iovec *iov, u64 vec, u32 i)
{
	struct user_iovec32 iov32;

	if (kernel_long_size() == 8)
		return bpf_probe_read_user(iov, sizeof(*iov),
					   (const void *)(vec + i * sizeof(*iov)));
	if (bpf_probe_read_user(&iov32, sizeof(iov32), (const void *)(vec + i * sizeof(iov32))))
		return -1;
	iov->base = iov32.base;
	iov->len = iov32.len;
	return 0;
}

/*
 * Send the n bytes at user address base as the next chunk of the sequence.
 * The callers keep n within PASSWORD_CHUNK; the clamp, which changes nothing,
 * is for older verifiers (barrier_var() in include/bpf_helpers.h).
 */
static __always_inline int send_chunk(void *ctx, struct password_event *ev, u64 base, u64 n)
{
	barrier_var(n);
	if (n > PASSWORD_CHUNK)
		n = PASSWORD_CHUNK;
	if (!n)
		return 0;
	if (bpf_probe_read_user(ev->data, n, (const void *)base))
		return -1;
	ev->chunk = n;
	output(ctx, ev, __builtin_offsetof(struct password_event, data) + n);
	ev->off += n;
	return 0;
}

/*
 * Send the len bytes at user address base as chunks.  Returns nonzero if user
 * memory could not be read back.  The last chunk returns at once, so that the
 * verifier follows one path through the loop, not one per chunk count.
 */
static __always_inline int send_bytes(void *ctx, struct password_event *ev, u64 base, u64 len)
{
	u32 i;

	for (i = 0; i < PASSWORD_MAX_CHUNKS; i++) {
		if (len <= PASSWORD_CHUNK)
			return send_chunk(ctx, ev, base, len);
		if (send_chunk(ctx, ev, base, PASSWORD_CHUNK))
			return -1;
		base += PASSWORD_CHUNK;
		len -= PASSWORD_CHUNK;
	}
	return 0;
}

/*
 * The bytes of the read still to send, worked out from the event itself.  They
 * are read back from the map on purpose: the verifier then sees unknown
 * numbers rather than the exact sums each path through send_read's loop
 * arrives at, so the paths look alike and it verifies in a few thousand steps
 * instead of running out of its million.
 */
static __always_inline u64 bytes_left(struct password_event *ev)
{
	u64 len = *(volatile u64 *)&ev->len, off = *(volatile u64 *)&ev->off;

	if (len > READ_CAP)
		len = READ_CAP;
	return off < len ? len - off : 0;
}

/*
 * Send the "ret" bytes a read placed in user memory as a sequence of events
 * at increasing "off", the last one ending at min(ret, READ_CAP).  A plain
 * read is a readv of the one iovec { buf, ret }; an event never spans two
 * iovecs.
 *
 * Bytes that cannot be sent, because they lie past the first MAX_IOVS iovecs
 * or because user memory cannot be read back (another thread unmapped it
 * meanwhile), end the sequence early with an empty chunk flagged
 * PASSWORD_TRUNCATED: bytes that were not seen are never sent as zeros.  A
 * copy made IN_KERNEL is just that empty chunk.
 */
static __noinline int send_read(void *ctx, const struct read_call *call, s64 ret)
{
	u32 zero = 0, nr_iov = call->nr_iov ? call->nr_iov : 1, i;
	u64 id = bpf_get_current_pid_tgid();
	struct password_event *ev;
	struct user_iovec iov;
	u64 left;

	ev = bpf_map_lookup_elem(&scratch, &zero);
	if (!ev)
		return 0;
	ev->pid = id >> 32;
	ev->tid = (u32)id;
	ev->fd = call->fd;
	ev->flags = (u64)ret > READ_CAP ? PASSWORD_TRUNCATED : 0;
	ev->len = ret;
	ev->off = 0;
	ev->pad = 0;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));

	for (i = 0; call->buf != IN_KERNEL && i < MAX_IOVS && i < nr_iov; i++) {
		left = bytes_left(ev);
		if (!left)
			return 0;
		if (!call->nr_iov) {
			iov.base = call->buf;
			iov.len = left;
		} else if (read_user_iovec(&iov, call->buf, i)) {
			break;
		}
		if (send_bytes(ctx, ev, iov.base, iov.len < left ? iov.len : left))
			break;
	}
	if (!bytes_left(ev))
		return 0;
	ev->flags |= PASSWORD_TRUNCATED;
	ev->chunk = 0;
	output(ctx, ev, __builtin_offsetof(struct password_event, data));
	return 0;
}

/*
 * send_read with bpf_loop() (5.17), for the same events: each turn sends
 * one chunk, and a turn that finds the current iovec used up first reads
 * the next one.  The verifier checks a turn once, not each of the
 * MAX_IOVS times PASSWORD_MAX_CHUNKS turns the loops above unroll to.
 * Every turn but the last sends a chunk or takes an iovec, so a read
 * needs at most a turn per chunk of READ_CAP plus one per iovec.
 *
 * Where the sending is kept between turns matters to the verifier as much:
 * on the stack, the iovec count and index are numbers it knows exactly, and
 * it checks the callback again for each value they take; in a map value
 * they are numbers it knows nothing about, and one check of the callback
 * covers them all (kernel/bpf/verifier.c, is_state_visited()).
 */
struct send_state {
	u64 buf;    /* the read's buffer, or its iovec array if nr_iov */
	u64 base;   /* the current iovec: where its unsent bytes start */
	u64 rem;    /* and how many of them are to be sent */
	u32 nr_iov; /* iovecs in all, at least 1 */
	u32 vec;    /* the read is a readv */
	u32 next;   /* the iovec to take next */
	u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct send_state);
} sending SEC(".maps");

/* What a turn is handed: the tracepoint's context, for bpf_perf_event_output(). */
struct send_ctx {
	void *ctx;
};

static long send_turn(u32 turn, void *arg)
{
	struct send_ctx *sc = arg;
	struct password_event *ev;
	struct send_state *st;
	struct user_iovec iov;
	u32 zero = 0;
	u64 left;

	ev = bpf_map_lookup_elem(&scratch, &zero);
	st = bpf_map_lookup_elem(&sending, &zero);
	if (!ev || !st)
		return 1;
	if (!st->rem) {
		if (st->next >= MAX_IOVS || st->next >= st->nr_iov)
			return 1;
		left = bytes_left(ev);
		if (!left)
			return 1;
		if (!st->vec) {
			iov.base = st->buf;
			iov.len = left;
		} else if (read_user_iovec(&iov, st->buf, st->next)) {
			return 1;
		}
		st->next++;
		st->base = iov.base;
		st->rem = iov.len < left ? iov.len : left;
		if (!st->rem)
			return 0;
	}
	if (send_chunk(sc->ctx, ev, st->base, st->rem < PASSWORD_CHUNK ? st->rem : PASSWORD_CHUNK))
		return 1;
	if (st->rem <= PASSWORD_CHUNK) {
		st->rem = 0;
	} else {
		st->base += PASSWORD_CHUNK;
		st->rem -= PASSWORD_CHUNK;
	}
	return 0;
}

static __noinline int send_read_loop(void *ctx, const struct read_call *call, s64 ret)
{
	struct send_ctx sc = { .ctx = ctx };
	u64 id = bpf_get_current_pid_tgid();
	struct password_event *ev;
	struct send_state *st;
	u32 zero = 0;

	ev = bpf_map_lookup_elem(&scratch, &zero);
	st = bpf_map_lookup_elem(&sending, &zero);
	if (!ev || !st)
		return 0;
	ev->pid = id >> 32;
	ev->tid = (u32)id;
	ev->fd = call->fd;
	ev->flags = (u64)ret > READ_CAP ? PASSWORD_TRUNCATED : 0;
	ev->len = ret;
	ev->off = 0;
	ev->pad = 0;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	*st = (struct send_state){
		.buf = call->buf,
		.nr_iov = call->nr_iov ? call->nr_iov : 1,
		.vec = call->nr_iov != 0,
	};

	if (call->buf != IN_KERNEL)
		bpf_loop(PASSWORD_MAX_CHUNKS + MAX_IOVS, send_turn, &sc, 0);
	if (!bytes_left(ev))
		return 0;
	ev->flags |= PASSWORD_TRUNCATED;
	ev->chunk = 0;
	output(ctx, ev, __builtin_offsetof(struct password_event, data));
	return 0;
}

/* ---- fork, exec, exit ---- */

/*
 * A new process starts with a copy of its parent's fds: `cat < /tmp/password`
 * has the shell's child open the file and exec cat on it.  The tracepoint runs
 * in the parent, in copy_process() (kernel/fork.c), after the fds were copied
 * and before the child can run.  CLONE_THREAD makes a thread, which shares the
 * table already.  A process that shares its parent's fds (CLONE_FILES without
 * CLONE_THREAD) gets a copy of the marks too; later changes are not mirrored.
 */
static __always_inline int copy_fd_table(struct trace_event_raw_task_newtask *ctx)
{
	u32 parent = bpf_get_current_pid_tgid() >> 32;
	u32 child = ctx->pid;
	struct fd_table *table;

	if (!tables_live || (ctx->clone_flags & CLONE_THREAD))
		return 0;
	table = find_fd_table(parent);
	if (table && has_target(table)) {
		if (set_fd_table(child, table))
			__sync_fetch_and_add(&tables_full, 1);
	} else {
		/* The pid may be a recycled one whose owner left a table. */
		delete_fd_table(child);
	}
	return 0;
}

/*
 * exec closes the O_CLOEXEC fds itself, with no close syscall
 * (do_close_on_exec() in fs/file.c, before this tracepoint); the others, such
 * as the stdin a shell redirected, live on into the new program.  Each byte of
 * a word is one fd: the multiply turns each MARK_CLOEXEC into a 0xff mask of
 * its byte, and there is no branch for the verifier to follow.
 */
static __always_inline int prune_fd_table(void)
{
	const u64 ones = 0x0101010101010101ULL;
	struct fd_table *table;
	u64 word, closing;
	u32 i;

	if (!tables_live)
		return 0;
	table = find_fd_table(bpf_get_current_pid_tgid() >> 32);
	if (!table)
		return 0;
	for (i = 0; i < FD_LIMIT / 8; i++) {
		word = table->word[i];
		closing = (word >> 1) & ones; /* MARK_CLOEXEC is bit 1 */
		table->word[i] = word & ~(closing * 0xff);
	}
	return 0;
}

/*
 * Runs in each exiting thread.  A thread's syscalls always reach their exit
 * tracepoint, even when it is killed, except those that entered before the
 * loader attached the exit programs: drop its in-flight entries here.
 *
 * A process that exits does not close its fds, so its fd table goes when its
 * leader (tid == tgid) exits, as in exit.bpf.c.  Two rare cases lose marks
 * early: a leader that ends with pthread_exit while other threads go on
 * reading, and a non-leader thread's exec (de_thread() in fs/exec.c ends the
 * leader first).  A table created after its leader is gone stays until
 * task_newtask gives the pid to a new process.
 */
static __always_inline int forget_thread(void)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 pid = id >> 32;

	bpf_map_delete_elem(&open_calls, &id);
	delete_counted(&read_calls, &id, &reads_in_flight);
	delete_counted(&fd_calls, &id, &fd_calls_in_flight);
	if ((u32)id == pid)
		delete_fd_table(pid);
	return 0;
}

/* ---- counted maps: the common case costs no helper call ---- */

/*
 * Nearly every read on the system is of a process that never opened the
 * target, yet the read tracepoints run for all of them.  So the maps the hot
 * programs look in keep a count of their entries in .bss, and while a count
 * is 0 those programs return at once: one load from a map value the program
 * addresses directly (BPF_PSEUDO_MAP_VALUE), no helper call.  An fd table
 * lives as long as its process (one that opened the target; by inode, or
 * that received on a unix socket), and while any is alive the fd tables'
 * count by pid takes over: the reads of a process whose pid shares no count
 * with a table's cost bpf_get_current_pid_tgid() and a second load, not a
 * hash lookup.  Pids are handed out in order (kernel/pid.c, alloc_pid()), so
 * neighbours such as a shell and its children share a count only when
 * PASSWORD_TABLE_SHARDS pids apart.
 *
 * A count read as 0 while an entry the reader needs exists would lose bytes;
 * a count read as nonzero with no entry only costs the lookup.  So a count
 * goes up before an insert is tried and back down if the insert created
 * nothing, and goes down after a delete only if the delete removed an entry.
 * The map's bucket lock, taken by the insert after its increment and by a
 * delete before its decrement, puts each entry's increment before its
 * decrement on every CPU, so no CPU sees a count below the entries it can
 * know of.  The entry a reader needs was made by its own thread (an in-flight
 * call), or before a syscall that gave the reader its fd returned (open, dup,
 * fcntl; the copy fork makes runs before the child can), so the reader sees
 * that increment.  __sync_fetch_and_add with its result unused is the atomic
 * add every kernel that runs this program has (BPF_XADD; BPF_ATOMIC since
 * 5.12).
 */

/*
 * The count of fd tables whose pid is pid's modulo PASSWORD_TABLE_SHARDS.  The
 * mask bounds the very register that indexes, as older verifiers need
 * (barrier_var() in include/bpf_helpers.h).
 */
_Static_assert((PASSWORD_TABLE_SHARDS & (PASSWORD_TABLE_SHARDS - 1)) == 0,
	       "PASSWORD_TABLE_SHARDS is a power of two");

static __always_inline u64 *tables_of(u32 pid)
{
	barrier_var(pid);
	return &tables_by_pid[pid & (PASSWORD_TABLE_SHARDS - 1)];
}

/* Creates key -> value unless key is there; nonzero if nothing was created. */
static __always_inline long create_counted(void *map, const void *key, const void *value,
					   u64 *count)
{
	long err;

	__sync_fetch_and_add(count, 1);
	err = bpf_map_update_elem(map, key, value, BPF_NOEXIST);
	if (err)
		__sync_fetch_and_add(count, -1);
	return err;
}

/* Sets key -> value, in place of an entry already there; nonzero if neither. */
static __always_inline long set_counted(void *map, const void *key, const void *value, u64 *count)
{
	if (!create_counted(map, key, value, count))
		return 0;
	return bpf_map_update_elem(map, key, value, BPF_EXIST);
}

static __always_inline void delete_counted(void *map, const void *key, u64 *count)
{
	if (!bpf_map_delete_elem(map, key))
		__sync_fetch_and_add(count, -1);
}

char LICENSE[] SEC("license") = "GPL";
