// SPDX-License-Identifier: GPL-2.0
/*
 * mini-trace exit: report how every process with a given name ended, as
 * wait(2) tells its parent: the exit code, or the signal that killed it.
 *
 * The name is known when a process starts (sched_process_exec) and how it
 * ended only once its last thread is gone, so the events are correlated
 * through a hash map keyed by pid: process_names.  User space fills it with
 * the processes already running before it attaches.
 *
 * What wait(2) returns (wait_task_zombie(), kernel/exit.c): the group's
 * signal->group_exit_code if SIGNAL_GROUP_EXIT is set, else the leader
 * thread's own exit_code.  SIGNAL_GROUP_EXIT is set by the first of
 * exit_group(2) (do_group_exit()) and a fatal signal (complete_signal() in
 * kernel/signal.c, or get_signal() taking a signal's default action), and
 * nothing later changes group_exit_code.  The status is (code & 0xff) << 8
 * for an exit, the signal's number for a death by signal.
 *
 * The helpers and tracepoint fields used here are the same from 5.10 on.
 * Every record is read through CO-RE (MINI_TRACE_TP_CORE, tracepoint.h):
 * one object for 32- and 64-bit kernels, with BTF or without.
 */
#define MINI_TRACE_TP_CORE
#include "bpf_helpers.h"
#include "tracepoint.h"
#include "events.h"

/*
 * signal/signal_generate (include/trace/events/signal.h): fires in the sender,
 * in __send_signal_locked() (__send_signal() before 6.2), for the task the
 * signal is sent to ("pid", its global id), with "result" 0
 * (TRACE_SIGNAL_DELIVERED) when it was queued.
 */
struct trace_event_raw_signal_generate {
	struct trace_entry ent;
	int sig;
	int errno;
	int code;
	char comm[TASK_COMM_LEN];
	pid_t pid;
	int group;
	int result;
} __attribute__((preserve_access_index));

/*
 * signal/signal_deliver: fires in the thread that takes a signal, in
 * get_signal(), before its action is carried out; sa_handler is that action:
 * 0 is SIG_DFL, 1 SIG_IGN.
 */
struct trace_event_raw_signal_deliver {
	struct trace_entry ent;
	int sig;
	int errno;
	int code;
	kernel_ulong sa_handler;
	kernel_ulong sa_flags;
} __attribute__((preserve_access_index));

/* Patched by the loader before load (--comm); the verifier sees a constant. */
const volatile char target_comm[TASK_COMM_LEN] = "exit_with_code";

/*
 * mini-trace's own pid namespace: st_dev and st_ino of /proc/self/ns/pid,
 * patched by the loader, or 0 in the initial namespace, where a task's pid
 * is the global one bpf_get_current_pid_tgid() returns.
 */
const volatile u64 pidns_dev = 0;
const volatile u64 pidns_ino = 0;

/* pid -> what is known of the process.  Entries go away when it is reported. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32768);
	__type(key, u32);
	__type(value, struct exit_process);
} process_names SEC(".maps");

/*
 * Global thread id -> the last signal queued for it (or, for kill(2), for its
 * leader) that kills by default without a core dump: the candidates for the
 * cause of a SIGKILL (see on_signal_taken).  LRU: old entries make room.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, u32);
	__type(value, u32);
} fatal_signals SEC(".maps");

/*
 * Records bpf_perf_event_output() could not write because the ring was full.
 * The kernel tells user space of such losses only inside the ring, with the
 * next record that fits; this count is exact even at the end of a run.
 */
u64 events_lost;

/* Processes that could not be followed because process_names was full. */
u64 processes_untracked;

/* One perf ring per CPU; the loader sizes it and fills in the ring fds. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} events SEC(".maps");

#define SIGKILL 9

/*
 * Signals whose default action ends the process (all but the ignore and stop
 * classes of sig_kernel_ignore()/sig_kernel_stop(), include/linux/signal.h;
 * every real-time signal too), and those of them that dump core first.
 * These are the generic numbers that x86, arm and arm64 use.
 */
#define BIT(n) (1ull << (n))
#define SIG_DEFAULT_IGNORE_OR_STOP \
	(BIT(17) | BIT(18) | BIT(19) | BIT(20) | BIT(21) | BIT(22) | BIT(23) | BIT(28))
#define SIG_DEFAULT_COREDUMP                                                                 \
	(BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(11) | BIT(24) | BIT(25) | \
	 BIT(31))

static __always_inline int kills_by_default(int sig)
{
	if (sig < 1 || sig > 64)
		return 0;
	return sig >= 32 || !(SIG_DEFAULT_IGNORE_OR_STOP & BIT(sig));
}

static __always_inline int dumps_core(int sig)
{
	return sig >= 1 && sig < 32 && (SIG_DEFAULT_COREDUMP & BIT(sig));
}

/*
 * The current process's pid as mini-trace's pid namespace sees it, or 0 if
 * that is unknown: bpf_get_ns_current_pid_tgid() (5.7) answers only for a
 * task whose own namespace is the one given, so a task in a namespace nested
 * inside mini-trace's, or outside it, is not followed.
 */
static __always_inline u32 current_pid(void)
{
	struct bpf_pidns_info ns = {};

	if (!pidns_ino)
		return bpf_get_current_pid_tgid() >> 32;
	if (bpf_get_ns_current_pid_tgid(pidns_dev, pidns_ino, &ns, sizeof(ns)))
		return 0;
	return ns.tgid;
}

static __always_inline int current_is_leader(void)
{
	u64 id = bpf_get_current_pid_tgid();

	return (u32)id == (u32)(id >> 32);
}

/*
 * The entry of the current process; one is made for a process first seen
 * now: made by fork(2) and not exec'd since, so it has one thread (this one:
 * its leader), as every process created after attach that has not yet made a
 * thread.
 */
static __always_inline struct exit_process *current_process(u32 pid)
{
	struct exit_process *p, fresh = {};

	p = bpf_map_lookup_elem(&process_names, &pid);
	if (p)
		return p;
	fresh.threads = 1;
	if (current_is_leader())
		bpf_get_current_comm(fresh.comm, sizeof(fresh.comm));
	bpf_map_update_elem(&process_names, &pid, &fresh, BPF_NOEXIST);
	p = bpf_map_lookup_elem(&process_names, &pid);
	if (!p)
		__sync_fetch_and_add(&processes_untracked, 1);
	return p;
}

/* The group's status, set once: the first exit_group or fatal signal wins. */
static __always_inline void group_exit(struct exit_process *p, s32 status, u32 flags)
{
	if (p->flags & EXIT_GROUP && !(p->flags & EXIT_BY_SIGKILL))
		return;
	p->status = status;
	p->flags = EXIT_GROUP | flags;
}

SEC("tracepoint/sched/sched_process_exec")
int on_process_start(struct trace_event_raw_sched_process_exec *ctx)
{
	/* exec has ended every other thread (de_thread()): one is left. */
	struct exit_process p = {};
	u32 pid = current_pid();

	if (!pid)
		return 0;
	p.threads = 1;
	/* By this tracepoint exec has already set the new comm. */
	bpf_get_current_comm(p.comm, sizeof(p.comm));
	bpf_map_update_elem(&process_names, &pid, &p, BPF_ANY);
	return 0;
}

/*
 * A new thread joins the parent's thread group with CLONE_THREAD; without it,
 * the child is a process of its own, seen when it first does something here.
 */
SEC("tracepoint/task/task_newtask")
int on_thread_start(struct trace_event_raw_task_newtask *ctx)
{
	struct exit_process *p;
	u32 pid;

	if (!(ctx->clone_flags & CLONE_THREAD))
		return 0;
	pid = current_pid();
	if (!pid)
		return 0;
	p = current_process(pid);
	if (p)
		__sync_fetch_and_add(&p->threads, 1);
	return 0;
}

/* glibc's exit() ends the whole process with exit_group. */
SEC("tracepoint/syscalls/sys_enter_exit_group")
int on_process_exit_group(struct trace_event_raw_sys_enter *ctx)
{
	struct exit_process *p;
	u32 pid = current_pid();

	if (!pid)
		return 0;
	p = current_process(pid);
	if (p)
		group_exit(p, (ctx->args[0] & 0xff) << 8, 0);
	return 0;
}

/*
 * The plain exit syscall ends one thread: nolibc-style programs use it to end
 * the process, pthread_exit to end a thread.  Only the leader's code can be
 * the process's, and only if no group exit comes before its last thread ends.
 */
SEC("tracepoint/syscalls/sys_enter_exit")
int on_process_exit(struct trace_event_raw_sys_enter *ctx)
{
	struct exit_process *p;
	u32 pid;

	if (!current_is_leader())
		return 0;
	pid = current_pid();
	if (!pid)
		return 0;
	p = current_process(pid);
	if (p && !(p->flags & EXIT_GROUP))
		p->status = (ctx->args[0] & 0xff) << 8;
	return 0;
}

/*
 * A signal that kills by default and dumps no core is turned into a SIGKILL
 * for every thread when it is queued (complete_signal(): group_exit_code is
 * the real signal, but each thread then takes SIGKILL, and get_signal()
 * traces SIGKILL).  Its real number is seen only here, in the sender:
 * remembered for the task it was sent to.
 */
SEC("tracepoint/signal/signal_generate")
int on_signal_sent(struct trace_event_raw_signal_generate *ctx)
{
	u32 tid = ctx->pid, sig = ctx->sig;

	if (ctx->result != 0 /* TRACE_SIGNAL_DELIVERED */ || !kills_by_default(sig) ||
	    dumps_core(sig))
		return 0;
	bpf_map_update_elem(&fatal_signals, &tid, &sig, BPF_ANY);
	return 0;
}

/*
 * A thread takes a signal.  With the default action of a killing signal, the
 * process dies of it (get_signal() calls do_coredump() for the core-dumping
 * ones, then do_group_exit(signal)).  A SIGKILL is that, or the group exit
 * of another thread or of a signal on_signal_sent saw: its cause is looked
 * up for the whole process (kill(2) is sent to the leader) and this thread.
 */
SEC("tracepoint/signal/signal_deliver")
int on_signal_taken(struct trace_event_raw_signal_deliver *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tgid = id >> 32, tid = id, *cause;
	struct exit_process *p;
	int sig = ctx->sig;
	u32 pid;

	if (sig != SIGKILL) {
		/* Taken normally: it was not the cause of a SIGKILL. */
		cause = bpf_map_lookup_elem(&fatal_signals, &tgid);
		if (cause && *cause == (u32)sig)
			bpf_map_delete_elem(&fatal_signals, &tgid);
		cause = bpf_map_lookup_elem(&fatal_signals, &tid);
		if (cause && *cause == (u32)sig)
			bpf_map_delete_elem(&fatal_signals, &tid);
		if (ctx->sa_handler != 0 /* SIG_DFL */ || !kills_by_default(sig))
			return 0;
	}
	pid = current_pid();
	if (!pid)
		return 0;
	p = current_process(pid);
	if (!p)
		return 0;
	if (sig != SIGKILL) {
		group_exit(p, sig, 0);
		return 0;
	}
	cause = bpf_map_lookup_elem(&fatal_signals, &tgid);
	if (!cause)
		cause = bpf_map_lookup_elem(&fatal_signals, &tid);
	if (cause) {
		group_exit(p, *cause, 0);
		bpf_map_delete_elem(&fatal_signals, &tgid);
		bpf_map_delete_elem(&fatal_signals, &tid);
	} else if (!(p->flags & EXIT_GROUP)) {
		group_exit(p, SIGKILL, EXIT_BY_SIGKILL);
	}
	return 0;
}

/*
 * Every thread passes here as it exits (do_exit()), the leader too, whatever
 * ended it.  The leader's name is read as it goes, so a rename by prctl(2)
 * or /proc/PID/comm counts however it was made: task/task_rename is not
 * needed, and its record is not one layout (it fires before the name changes,
 * and recent kernels dropped its pid field).  The process is reported when
 * its last thread is gone, which is when wait(2) can see it.  Nothing of
 * this record is read: its comm became a __data_loc string in 7.x.
 */
SEC("tracepoint/sched/sched_process_exit")
int on_process_gone(void *ctx)
{
	struct exit_process *p;
	struct exit_event e = {};
	u32 pid = current_pid();
	s32 status;

	if (!pid)
		return 0;
	/*
	 * No entry: nothing of this process was seen, not even how it
	 * ends (every way out passes a program above first, once all are
	 * attached): it ended while mini-trace was attaching, unreported.
	 */
	p = bpf_map_lookup_elem(&process_names, &pid);
	if (!p)
		return 0;
	if (current_is_leader())
		bpf_get_current_comm(p->comm, sizeof(p->comm));
	__sync_fetch_and_add(&p->threads, -1);
	if (p->threads != 0)
		return 0;
	/*
	 * Threads ending together on two CPUs may both see 0: the one whose
	 * delete succeeds reports.  Copied first: a deleted entry is reused.
	 */
	__builtin_memcpy(e.comm, p->comm, TASK_COMM_LEN);
	status = p->status;
	if (bpf_map_delete_elem(&process_names, &pid))
		return 0;
	if (bpf_strncmp(e.comm, TASK_COMM_LEN, (const char *)target_comm) != 0)
		return 0;
	e.pid = pid;
	if (status & 0x7f)
		e.signal = status & 0x7f;
	else
		e.code = (status >> 8) & 0xff; /* the status byte a shell sees in $? */
	if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e)))
		__sync_fetch_and_add(&events_lost, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
