#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
bench/run.py: measure mini-trace and its peers side by side, write RESULTS.md.

    python3 bench/run.py [--build DIR] [--out FILE] [--quick]

Run by `make bench` (root; the peers built by bench/bench.mk).  Python 3
standard library only.  BENCH_QUICK=1 (or --quick) is a smoke run of under a
minute, written to DIR/bench/RESULTS-quick.md unless --out says otherwise;
the full run takes about ten minutes and writes bench/RESULTS.md.
BENCH_ONLY=core,attach runs those sections only (names as in the results'
"Section times"), written to DIR/bench/RESULTS-only.md unless --out says
otherwise.  BENCH_BASELINE=PATH (another build of mini-trace, such as the
main branch's) adds it to the overhead section, in both of mini-trace's
conditions: a change measured before and after in one run.

What it measures (each section of RESULTS.md repeats its method):

  attach kinds
            time until attached of one object holding a uprobe (libc's
            getppid) and a raw tracepoint: `mini-trace run OBJ -- stamp`
            beside libbpf-attach, which loads the same file with libbpf and
            auto-attaches it (kprobes and fentry: not on this kernel).
  core      issue 13: time until attached and peak RSS of a CO-RE object
            (BPF_CORE_READ through task_struct) beside the same source
            without CO-RE, and beside libbpf-attach on it; the exit demo's
            peak RSS with /sys/kernel/btf hidden (unshare -m, tmpfs).
  startup   wall time of `TOOL exit -- /bin/true`, and the time until
            attached: `TOOL exit -- stamp`, where stamp prints
            CLOCK_MONOTONIC, minus the clock just before the tool was
            spawned.  Every tool starts its command only once attached.
  password startup
            `TOOL password -- /bin/true`: the tool's CPU time, wall time
            until it returns, and until every program and map of the run is
            gone from the kernel (mini-trace leaves a child to detach).
  overhead  workload/reads: 2,000,000 one-byte reads of /dev/zero, untraced,
            under the empty floor (classic and raw tracepoints) and under
            each password tool.  Main figure: the reader's CPU time per read;
            ratio (traced - untraced) / (floor - untraced).
  unrelated workload/reads with getppid(2) in place of read: what each
            password tool costs a syscall it does not follow.
  delivery  workload/storm: 100,000 reads of a private target file while
            traced: events delivered (lines on stdout), lost (reads minus
            lines: the ground truth) against what the tool says it lost, and
            the reader's time per read.  Then loss accounting with a
            one-page ring: under a storm, and with the overflow at the very
            end of a run (reader stopped with SIGSTOP while the ring fills).
  memory    peak RSS (wait4's ru_maxrss) of each tool run without a command,
            attached, given events, then stopped with SIGINT.
  size      stripped binaries; the dynamically linked ones with their
            shared libraries.

Noise: the rounds alternate the tools in a shuffled order, every figure is a
median, and the ratios quoted are of medians from this one run.  Other
processes' BPF programs on the same tracepoints run in our reader and slow
it, so a poller (`bpftool -j perf list`, else a scan of /proc/*/fd) watches
for attachments by processes that are not ours: a sample is waited for until
the machine is quiet, and discarded (then retried) when a foreign attachment
was seen during it.  Raw samples go to DIR/bench/results.json.
"""

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---------------------------------------------------------------- settings


class Settings:
    def __init__(self, quick):
        self.quick = quick
        if quick:
            self.reads = 200_000
            self.storm = 10_000
            self.end_storm = 2_000
            self.startup_rounds = (1, 1, 10)       # min, max, budget seconds
            self.pw_startup_rounds = (1, 1, 10)
            self.unrelated_rounds = (1, 1, 10)
            self.grade_rounds = (1, 2, 10)
            self.overhead_rounds = (1, 1, 15)
            self.delivery_rounds = (1, 1, 10)
            self.loss_reps = 1
            self.memory_reps = 1
            self.quiet_wait = 0.5                   # seconds to wait for quiet
            self.retries = 0                        # of a tainted sample
            # A smoke run: mini-trace, one peer and the floors only.
            self.skip = {"libbpf-trace (static)", "bpftrace"}
        else:
            self.reads = 2_000_000
            self.storm = 100_000
            self.end_storm = 5_000
            self.startup_rounds = (5, 25, 90)
            self.pw_startup_rounds = (5, 15, 60)
            self.unrelated_rounds = (3, 10, 60)
            self.grade_rounds = (5, 20, 40)
            self.overhead_rounds = (5, 20, 240)
            self.delivery_rounds = (3, 9, 130)
            self.loss_reps = 2
            self.memory_reps = 2
            self.quiet_wait = 20.0
            self.retries = 2
            self.skip = set()
        self.hard_limit = 60 if quick else 13 * 60  # no extra rounds past it


# ------------------------------------------------------------------ helpers

T_START = time.monotonic()
OWN = set()                 # every pid this harness spawned
OWN_LOCK = threading.Lock()


def log(msg):
    print(f"[{time.monotonic() - T_START:6.1f}s] {msg}", file=sys.stderr, flush=True)


def median(v):
    return statistics.median(v) if v else None


def sh(argv, **kw):
    """Output of a small command, '' when it fails."""
    try:
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              timeout=30, **kw).stdout.decode(errors="replace").strip()
    except (OSError, subprocess.SubprocessError):
        return ""


class Result:
    def __init__(self):
        self.rc = None          # exit status, or -signal
        self.t0 = self.t1 = 0   # CLOCK_MONOTONIC ns around spawn .. reap
        self.pid = 0
        self.ru = None
        self.out_path = None
        self.err = ""
        self.timed_out = False

    def out(self):
        with open(self.out_path, "rb") as f:
            return f.read().decode(errors="replace")

    def ok(self):
        return self.rc == 0 and not self.timed_out


def spawn(argv, out_f, err_f, env=None):
    path = argv[0] if "/" in argv[0] else shutil.which(argv[0])
    if not path:
        raise FileNotFoundError(argv[0])
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_DUP2, out_f.fileno(), 1),
               (os.POSIX_SPAWN_DUP2, err_f.fileno(), 2)]
    with OWN_LOCK:
        pid = os.posix_spawn(path, argv, env if env is not None else os.environ,
                             file_actions=actions, setsigdef=(signal.SIGPIPE,))
        OWN.add(pid)
        GUARD.live.add(pid)
    return pid


class Proc:
    """A running process: stdout to a file, stderr to a temporary file."""

    def __init__(self, argv, out_path, env=None):
        self.r = Result()
        self.r.out_path = out_path
        self.out_f = open(out_path, "wb")
        self.err_f = tempfile.TemporaryFile()
        self.r.t0 = time.monotonic_ns()
        self.r.pid = spawn(argv, self.out_f, self.err_f, env)
        self.done = False

    def signal(self, sig):
        if not self.done:
            os.kill(self.r.pid, sig)

    def wait(self, timeout):
        timer = threading.Timer(timeout, self._kill)
        timer.start()
        try:
            _, status, ru = os.wait4(self.r.pid, 0)
        finally:
            timer.cancel()
        GUARD.reaped(self.r.pid)
        self.r.t1 = time.monotonic_ns()
        self.done = True
        self.r.ru = ru
        self.r.rc = os.waitstatus_to_exitcode(status)
        self.out_f.close()
        self.err_f.seek(0)
        self.r.err = self.err_f.read().decode(errors="replace")
        self.err_f.close()
        return self.r

    def _kill(self):
        if not self.done:
            self.r.timed_out = True
            try:
                os.kill(self.r.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def run(argv, out_path, env=None, timeout=300):
    return Proc(argv, out_path, env).wait(timeout)


def kv(line):
    return {k: v for k, v in re.findall(r"(\w+)=(\S+)", line)}


def workload_line(text):
    for line in text.splitlines():
        if line.startswith("reads="):
            d = kv(line)
            return {k: float(v) for k, v in d.items()}
    return None


def vm_hwm(pid):
    """Peak resident set size of a live process, KiB (its mm's high-water
    mark).  Not wait4's ru_maxrss: posix_spawn's child shares our memory
    until exec, and the kernel carries that into the child's maxrss."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def lost_reported(err, out=""):
    """What the tool itself says it lost: mini-trace and libbpf-trace print
    'warning: N events were lost in all' on stderr; bpftrace prints
    'Lost N events' on stdout, once per PERF_RECORD_LOST it reads."""
    m = re.findall(r"(\d+) events were lost in all", err)
    if m:
        return sum(int(x) for x in m)
    m = re.findall(r"^Lost (\d+) events", out + "\n" + err, re.M)
    return sum(int(x) for x in m) if m else 0


def tail(text, n=3):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return " / ".join(lines[-n:])[:400]


# -------------------------------------------------------------------- guard


class Guard:
    """Watches, in a thread, for BPF tracing programs that are not ours.

    Another process's programs on the read tracepoints run in our reader and
    slow it; its perf-event teardown holds the kernel's event_mutex through
    RCU grace periods and delays our attaches.  A process tearing down is
    invisible in /proc (its fd table is gone while its perf events are still
    being destroyed), but its programs are still loaded.  So each poll lists
    the loaded programs of tracing types (`bpftool -j prog list`) and the
    pids holding attachments (`bpftool -j perf list`, for the report), and
    reads the fdinfo of our own live processes to learn our programs' ids:
    any other loaded tracing program is foreign.  Without bpftool it falls
    back to the programs held through fds, from /proc (teardowns unseen)."""

    INTERVAL = 0.2
    TYPES = {"tracepoint", "raw_tracepoint", "raw_tracepoint_writable", "kprobe", "perf_event", "tracing"}

    def __init__(self):
        self.bpftool = shutil.which("bpftool")
        self.polls = []         # (ns, frozenset(prog ids), {prog id: pid})
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.method = None
        self.waited = 0.0
        self.own_progs = set()
        self.live = set()       # our processes not yet reaped
        self.baseline = set()   # programs loaded for good, by no process of ours
        self.notes = []
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def start(self):
        self._poll()
        self.thread.start()

    def _bpftool(self, *args):
        out = subprocess.run([self.bpftool, "-j", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, timeout=10).stdout
        return json.loads(out or b"[]")

    def _fd_progs(self, pid):
        ids = set()
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}") != "anon_inode:bpf-prog":
                        continue
                    with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                        m = re.search(r"prog_id:\s*(\d+)", f.read())
                    if m:
                        ids.add(int(m.group(1)))
                except OSError:
                    pass
        except OSError:
            pass
        return ids

    def _poll(self):
        with OWN_LOCK:
            live = list(self.live)
        mine = set()
        for pid in live:
            mine |= self._fd_progs(pid)
        progs, owner = set(), {}
        if self.bpftool:
            try:
                progs = {int(p["id"]) for p in self._bpftool("prog", "list") if p.get("type") in self.TYPES}
                owner = {int(p["prog_id"]): int(p["pid"]) for p in self._bpftool("perf", "list")}
                self.method = "`bpftool -j prog list` and `bpftool -j perf list`"
            except (OSError, ValueError, subprocess.SubprocessError, KeyError, TypeError):
                progs = None
        if not self.bpftool or progs is None:
            self.method = "a scan of /proc/*/fdinfo (programs held through fds only)"
            progs = set()
            for p in os.listdir("/proc"):
                if p.isdigit():
                    ids = self._fd_progs(int(p))
                    progs |= ids
                    owner.update({i: int(p) for i in ids})
        with OWN_LOCK:
            self.own_progs |= mine
        return frozenset(progs), owner

    def _loop(self):
        while not self.stop.is_set():
            a = time.monotonic_ns()
            progs, owner = self._poll()
            b = time.monotonic_ns()
            with self.lock:
                self.polls.append(((a + b) // 2, progs, owner))
                if len(self.polls) > 20000:
                    del self.polls[:5000]
            self.stop.wait(self.INTERVAL)

    def _foreign(self, progs, owner):
        ids = progs - self.own_progs - self.baseline
        return {(i, owner.get(i)) for i in ids}

    def foreign(self, a_ns, b_ns):
        """Foreign (prog id, pid or None) seen between a_ns and b_ns."""
        margin = int(self.INTERVAL * 1e9) + 50_000_000
        seen = set()
        with self.lock, OWN_LOCK:
            for t, progs, owner in self.polls:
                if a_ns - margin <= t <= b_ns + margin:
                    seen |= self._foreign(progs, owner)
        return seen

    def wait_quiet(self, max_s):
        """Until two polls in a row see nothing foreign, max_s at most."""
        t0 = time.monotonic_ns()
        deadline = time.monotonic() + max_s
        while True:
            with self.lock, OWN_LOCK:
                recent = [self._foreign(p, o) for t, p, o in self.polls if t > t0]
                persistent = None
                for t, p, o in self.polls:
                    if t > t0:
                        persistent = set(p) if persistent is None else persistent & p
            if len(recent) >= 2 and not recent[-1] and not recent[-2]:
                quiet = True
                break
            if time.monotonic() > deadline:
                quiet = False
                # Loaded all along a long wait, by no live process: for good.
                if max_s >= 15 and persistent:
                    stay = {i for i in persistent - self.own_progs
                            if all(i not in o for _, _, o in self.polls[-5:])}
                    if stay:
                        self.baseline |= stay
                        self.notes.append(f"programs {sorted(stay)} stayed loaded by no process "
                                          f"for {max_s:.0f} s: taken as part of the machine")
                break
            time.sleep(0.05)
        self.waited += (time.monotonic_ns() - t0) / 1e9
        return quiet

    def spawned(self, pid):
        with OWN_LOCK:
            self.live.add(pid)

    def reaped(self, pid):
        with OWN_LOCK:
            self.live.discard(pid)


GUARD = Guard()


# ---------------------------------------------------------------- the bench

HELD = "mini-trace, the target held open by another process"
BASELINE = "mini-trace (BENCH_BASELINE)"
BASELINE_HELD = "mini-trace (BENCH_BASELINE), the target held open by another process"
# The tracepoints mini-trace's password attached to until issue 14: a pair
# per syscall it follows (close: entry only), and fork, exec and exit.  Now
# it attaches to raw_syscalls/sys_enter and sys_exit instead; the empty
# floor on this old set measures the other way side by side.
PER_SYSCALL_FLOOR = "empty floor, per-syscall tracepoints (before issue 14)"
PER_SYSCALL_TPS = ([f"syscalls/sys_{d}_{n}" for n in
                    ("open", "openat", "openat2", "read", "pread64", "readv", "preadv", "preadv2",
                     "sendfile64", "splice", "copy_file_range", "close", "dup", "dup2", "dup3", "fcntl",
                     "ioctl", "close_range") for d in ("exit", "enter") if (n, d) != ("close", "exit")]
                   + ["task/task_newtask", "sched/sched_process_exec", "sched/sched_process_exit"])


def per_syscall_tps():
    """PER_SYSCALL_TPS that this kernel has (arm64 has no open, no dup2)."""
    base = "/sys/kernel/tracing/events" if os.path.isdir("/sys/kernel/tracing/events") \
        else "/sys/kernel/debug/tracing/events"
    return [t for t in PER_SYSCALL_TPS if os.path.isdir(os.path.join(base, t))]


class Bench:
    def __init__(self, build, out, quick):
        self.s = Settings(quick)
        self.build = os.path.join(ROOT, build)
        self.benchdir = os.path.join(self.build, "bench")
        self.out = out
        self.tmp = tempfile.mkdtemp(prefix="mini-trace-bench.")
        os.chmod(self.tmp, 0o700)
        self.target = os.path.join(self.tmp, "target")
        with open(self.target, "w") as f:
            f.write("hunter2\n")
        self.guard = GUARD
        self.data = {"settings": vars(self.s), "failures": [], "discarded": {}, "tainted_kept": {}}
        self.failures = self.data["failures"]
        self.notes = []
        self.seq = 0
        self.deadline = float("inf")

    # ---- paths and tools

    def path(self, *p):
        return os.path.join(self.benchdir, *p)

    def setup(self):
        snap = self.path("snap")
        os.makedirs(snap, exist_ok=True)
        # A snapshot: others may rebuild ./mini-trace while this runs.
        for src, name in ((os.path.join(ROOT, "mini-trace"), "mini-trace"),
                          (os.path.join(self.build, "password.bpf.o"), "password.bpf.o"),
                          (os.path.join(self.build, "exit.bpf.o"), "exit.bpf.o")):
            shutil.copy2(src, os.path.join(snap, name))
        self.mt = os.path.join(snap, "mini-trace")
        self.mt_objs = {"password": os.path.join(snap, "password.bpf.o"),
                        "exit": os.path.join(snap, "exit.bpf.o")}
        self.batched = self.path("mini-trace-batched")
        if not os.access(self.batched, os.X_OK):
            self.batched = None
            self.notes.append("mini-trace-batched was not built (perfbuf.c no longer has the lines "
                              "bench.mk rewrites): no batched-wakeup reference.")
        self.bpftrace = shutil.which("bpftrace")
        if not self.bpftrace:
            self.notes.append("bpftrace is not installed: its rows are missing.")
        self.empty = self.path("empty")
        self.stamp = self.path("stamp")
        self.reads = self.path("reads")
        self.storm = self.path("storm")
        for p in (self.empty, self.stamp, self.reads, self.storm, self.path("libbpf-trace"),
                  self.path("libbpf-trace-static")):
            if not os.access(p, os.X_OK):
                sys.exit(f"bench: {p} missing: run make bench-build first")
        # name -> kind, binary
        self.tools = {"mini-trace": ("mt", self.mt)}
        self.tools["libbpf-trace (dynamic)"] = ("lb", self.path("libbpf-trace"))
        self.tools["libbpf-trace (static)"] = ("lb", self.path("libbpf-trace-static"))
        if self.bpftrace:
            self.tools["bpftrace"] = ("bt", self.bpftrace)
        if self.batched:
            self.tools["mini-trace, batched wakeups"] = ("mt", self.batched)
        if os.environ.get("BENCH_BASELINE"):
            base = os.path.join(snap, "mini-trace-baseline")
            shutil.copy2(os.environ["BENCH_BASELINE"], base)
            self.tools[BASELINE] = ("mt", base)
        for t in self.s.skip:
            self.tools.pop(t, None)

    def argv(self, tool, prog, cmd=None, target=None, comm=None, pages=None):
        """The command line of a tool, and its environment (None: ours)."""
        kind, binary = self.tools[tool]
        env = None
        if kind == "bt":
            a = [binary]
            if cmd:
                a += ["-c", " ".join(cmd)]
            a.append(os.path.join(ROOT, "bench", "bpftrace", prog + ".bt"))
            if prog == "password" and target:
                a.append(target)
            if prog == "exit" and comm:
                a.append(comm)
            if pages:
                env = dict(os.environ, BPFTRACE_PERF_RB_PAGES=str(pages))
            return a, env
        a = [binary, prog]
        if prog == "password" and target:
            a += ["--file", target]
        if prog == "exit" and comm:
            a += ["--comm", comm]
        if pages:
            a += ["--buffer-pages", str(pages)]
        if cmd:
            a += ["--"] + cmd
        return a, env

    def out_file(self):
        self.seq += 1
        return os.path.join(self.tmp, f"out.{self.seq}")

    def fail(self, section, cond, r, why=None):
        msg = why or (f"exit status {r.rc}" + (" (timed out)" if r.timed_out else ""))
        self.failures.append({"section": section, "condition": cond, "why": msg,
                              "stderr": tail(r.err) if r else ""})
        log(f"FAILED {section}/{cond}: {msg}: {tail(r.err) if r else ''}")

    # ---- sampling with the guard

    def sample(self, section, cond, fn, window):
        """fn() -> (Result, value or None); window(res, value) -> (a_ns, b_ns).
        Waits for quiet, discards and retries a sample during which another
        process had BPF tracing programs loaded.  Returns (value, clean) or
        None.  Past the section's budget: no waiting, no retry."""
        key = f"{section}/{cond}"
        for attempt in range(self.s.retries + 1):
            late = time.monotonic() > self.deadline
            self.wait_detachers()
            self.guard.wait_quiet(0.3 if late else self.s.quiet_wait)
            r, v = fn()
            if v is None:
                return None
            foreign = self.guard.foreign(*window(r, v))
            if not foreign:
                return v, True
            self.data["discarded"][key] = self.data["discarded"].get(key, 0) + 1
            pids = sorted({p for _, p in foreign if p})
            last = attempt == self.s.retries or late
            log(f"  {key}: {len(foreign)} foreign BPF programs loaded"
                + (f" (pids {pids[:4]})" if pids else " (by exiting processes)")
                + (": sample kept, marked tainted" if last else ": sample discarded"))
            if last:
                break
        self.data["discarded"][key] -= 1
        self.data["tainted_kept"][key] = self.data["tainted_kept"].get(key, 0) + 1
        return v, self.s.quick      # a smoke run keeps it rather than have nothing

    def wait_detachers(self):
        """A mini-trace run leaves a child that detaches its tracepoints,
        its programs still attached meanwhile: no sample starts before it
        is done (the startup section times it, see background_detach)."""
        for binary in (self.mt, self.batched):
            if binary:
                self.background_detach(binary, time.monotonic_ns())

    def rounds(self, spec, name):
        lo, hi, budget = spec
        t0 = time.monotonic()
        self.deadline = t0 + budget
        for r in range(hi):
            el = time.monotonic() - t0
            if r >= lo:
                per = el / r
                if el + per > budget or time.monotonic() - T_START + per > self.s.hard_limit:
                    break
            log(f"{name}: round {r + 1}")
            yield r

    # ---------------------------------------------------------------- startup

    def background_detach(self, binary, t1):
        """mini-trace returns before its tracepoints are detached: a child
        it leaves (same executable) closes them.  Its programs are ours (a
        run this short is seldom seen by the guard's polls, so they would
        pass for foreign ones), and it holds the kernel's event_mutex, so the
        next sample waits for it.  Returns ms from the tool's reaping until
        that child has exited, or None if there was none."""
        pids = []
        for p in os.listdir("/proc"):
            try:
                if p.isdigit() and os.readlink(f"/proc/{p}/exe") == binary:
                    pids.append(int(p))
            except OSError:
                pass
        if not pids:
            return None
        mine = set()
        for pid in pids:
            mine |= self.guard._fd_progs(pid)
        with OWN_LOCK:
            self.guard.own_progs |= mine
        deadline = time.monotonic() + 30
        while pids and time.monotonic() < deadline:
            def running(pid):
                try:
                    with open(f"/proc/{pid}/stat") as f:
                        return f.read().rsplit(")", 1)[1].split()[0] != "Z"
                except (OSError, IndexError):
                    return False
            pids = [pid for pid in pids if running(pid)]
            if pids:
                time.sleep(0.005)
        return (time.monotonic_ns() - t1) / 1e6

    def bench_startup(self):
        obj = self.mt_objs["exit"]
        conds = {"no tool (the command alone)": lambda c: (c, None)}
        for t in ("mini-trace", "libbpf-trace (dynamic)", "libbpf-trace (static)", "bpftrace"):
            if t in self.tools:
                conds[t] = (lambda t: lambda c: self.argv(t, "exit", cmd=c))(t)
        conds["empty floor, classic tracepoints"] = lambda c: ([self.empty, "--like", obj, "--"] + c, None)
        conds["empty floor, raw tracepoints"] = lambda c: ([self.empty, "--raw-tp", "--like", obj, "--"] + c, None)
        res = {c: {"wall": [], "attach": [], "after": [], "wall_round": [], "clean": [], "detached": []}
               for c in conds}

        def one(c, kind):
            argv, env = conds[c]([self.stamp] if kind == "stamp" else ["/bin/true"])

            def fn():
                r = run(argv, self.out_file(), env, timeout=60)
                det = self.background_detach(self.mt, r.t1) if c == "mini-trace" else None
                if not r.ok():
                    self.fail("startup", f"{c} ({kind})", r)
                    return r, None
                if kind == "true":
                    return r, {"wall": (r.t1 - r.t0) / 1e6, **({"detached": det} if det else {})}
                st = [int(x) for x in r.out().split() if x.isdigit() and len(x) > 6]
                if not st:
                    self.fail("startup", c, r, "no stamp in the output")
                    return r, None
                return r, {"attach": (st[-1] - r.t0) / 1e6, "after": (r.t1 - st[-1]) / 1e6}
            return self.sample("startup", c, fn, lambda r, v: (r.t0, r.t1))

        for rnd in self.rounds(self.s.startup_rounds, "startup"):
            tasks = [(c, k) for c in conds for k in ("true", "stamp")]
            random.shuffle(tasks)
            for c, k in tasks:
                got = one(c, k)
                if got is None:
                    continue
                v, clean = got
                if not clean:
                    continue
                for key, val in v.items():
                    res[c][key].append(val)
                if "wall" in v:
                    res[c]["wall_round"].append((rnd, v["wall"]))
        self.data["startup"] = res

    # ---------------------------------------------------------- attach kinds

    def bench_attach(self):
        obj, lba = self.path("attach.bpf.o"), self.path("libbpf-attach")
        if not (os.access(lba, os.X_OK) and os.path.exists(obj)):
            self.notes.append("libbpf-attach or attach.bpf.o was not built: no attach-kinds figures.")
            return
        snap = self.path("snap", "attach.bpf.o")
        shutil.copy2(obj, snap)
        conds = {"no tool (the command alone)": [self.stamp],
                 "mini-trace": [self.mt, "run", snap, "--", self.stamp],
                 "libbpf-attach (dynamic)": [lba, snap, "--", self.stamp]}
        res = {c: {"attach": [], "wall": []} for c in conds}

        def one(c):
            def fn():
                r = run(conds[c], self.out_file(), None, timeout=60)
                if c == "mini-trace":
                    self.background_detach(self.mt, r.t1)
                if not r.ok():
                    self.fail("attach", c, r)
                    return r, None
                st = [int(x) for x in r.out().split() if x.isdigit() and len(x) > 6]
                if not st:
                    self.fail("attach", c, r, "no stamp in the output")
                    return r, None
                return r, {"attach": (st[-1] - r.t0) / 1e6, "wall": (r.t1 - r.t0) / 1e6}
            return self.sample("attach", c, fn, lambda r, v: (r.t0, r.t1))

        for _ in self.rounds(self.s.startup_rounds, "attach"):
            order = list(conds)
            random.shuffle(order)
            for c in order:
                got = one(c)
                if got is None:
                    continue
                v, clean = got
                if clean:
                    for k, val in v.items():
                        res[c][k].append(val)
        self.data["attach"] = res

    # ------------------------------------------------------------------- CO-RE

    def bench_core(self):
        """Issue 13's numbers.  core.bpf.o (BPF_CORE_READ through task_struct:
        mini-trace reads /sys/kernel/btf/vmlinux to resolve it) beside
        core-plain.bpf.o (the same source at compile-time offsets) and
        libbpf-attach on core.bpf.o, alternated.  Two runs of each per round:
        `-- stamp` for the time until attached, and `-- sh -c 'grep VmHWM
        /proc/$PPID/status'`, whose parent is the tool once attached: its
        peak RSS up to then, the kernel BTF parsed (not wait4's ru_maxrss,
        which carries our own size through posix_spawn).  Then the exit demo
        with /sys/kernel/btf hidden (unshare -m, a tmpfs over it)."""
        core, plain, lba = self.path("core.bpf.o"), self.path("core-plain.bpf.o"), self.path("libbpf-attach")
        if not (os.access(lba, os.X_OK) and os.path.exists(core) and os.path.exists(plain)):
            self.notes.append("libbpf-attach or core*.bpf.o was not built: no CO-RE figures.")
            return
        snap = {k: self.path("snap", os.path.basename(v)) for k, v in (("core", core), ("plain", plain))}
        for k in snap:
            shutil.copy2(core if k == "core" else plain, snap[k])
        hwm = ["/bin/sh", "-c", "grep VmHWM /proc/$PPID/status"]
        conds = {"mini-trace, CO-RE object": [self.mt, "run", snap["core"], "--"],
                 "mini-trace, plain object": [self.mt, "run", snap["plain"], "--"],
                 "libbpf-attach, CO-RE object": [lba, snap["core"], "--"]}
        res = {c: {"attach": [], "rss": []} for c in conds}

        def one(c, kind):
            def fn():
                r = run(conds[c] + ([self.stamp] if kind == "attach" else hwm), self.out_file(), None,
                        timeout=60)
                if c.startswith("mini-trace"):
                    self.background_detach(self.mt, r.t1)
                if not r.ok():
                    self.fail("core", c, r)
                    return r, None
                if kind == "rss":
                    m = re.search(r"VmHWM:\s*(\d+)", r.out())
                    if not m:
                        self.fail("core", c, r, "no VmHWM in the output")
                        return r, None
                    return r, int(m.group(1))
                st = [int(x) for x in r.out().split() if x.isdigit() and len(x) > 6]
                if not st:
                    self.fail("core", c, r, "no stamp in the output")
                    return r, None
                return r, (st[-1] - r.t0) / 1e6
            return self.sample("core", c, fn, lambda r, v: (r.t0, r.t1))

        for _ in self.rounds(self.s.startup_rounds, "core"):
            tasks = [(c, k) for c in conds for k in ("attach", "rss")]
            random.shuffle(tasks)
            for c, k in tasks:
                got = one(c, k)
                if got is not None and got[1]:
                    res[c][k].append(got[0])
        # No kernel BTF: the exit demo in a mount namespace where
        # /sys/kernel/btf is an empty tmpfs, as on a kernel built without
        # CONFIG_DEBUG_INFO_BTF.  Its peak RSS until attached, as above.
        nobtf = {"rss": [], "error": None}
        hide = ["unshare", "-m", "sh", "-c",
                'mount -t tmpfs none /sys/kernel/btf && test ! -e /sys/kernel/btf/vmlinux && exec "$@"',
                "sh", self.mt, "exit", "--"] + hwm
        for _ in range(max(3, self.s.memory_reps)):
            r = run(hide, self.out_file(), None, timeout=60)
            self.background_detach(self.mt, r.t1)
            m = re.search(r"VmHWM:\s*(\d+)", r.out()) if r.ok() else None
            if not m:
                self.fail("core", "exit demo, no kernel BTF", r, None if not r.ok() else "no VmHWM")
                nobtf["error"] = tail(r.err)
                continue
            nobtf["rss"].append(int(m.group(1)))
        res["nobtf"] = nobtf
        self.data["core"] = res

    # --------------------------------------------------------------- overhead

    def bench_overhead(self):
        obj = self.mt_objs["password"]
        w = [self.reads, str(self.s.reads), "/dev/zero"]
        conds = {"untraced": (w, None),
                 "empty floor, classic tracepoints": ([self.empty, "--like", obj, "--"] + w, None),
                 "empty floor, raw tracepoints": ([self.empty, "--raw-tp", "--like", obj, "--"] + w, None),
                 PER_SYSCALL_FLOOR: ([self.empty] + per_syscall_tps() + ["--"] + w, None)}
        for t in ("mini-trace", "libbpf-trace (dynamic)", "libbpf-trace (static)", "bpftrace"):
            if t in self.tools:
                conds[t] = self.argv(t, "password", cmd=w, target=self.target)
        # mini-trace skips its lookups while no process has the target open.
        # Here one does: the shell opens it, forks a sleep that inherits it
        # (the fork copies the mark), closes its own copy, then runs the
        # workload as another child, with no fd table of its own.
        held = ['exec 3<"$0"; sleep 300 & exec 3<&-; "$@"; st=$?; kill $!; exit $st']
        conds[HELD] = self.argv("mini-trace", "password", cmd=["sh", "-c"] + held + [self.target] + w,
                                target=self.target)
        if BASELINE in self.tools:
            conds[BASELINE] = self.argv(BASELINE, "password", cmd=w, target=self.target)
            conds[BASELINE_HELD] = self.argv(BASELINE, "password", cmd=["sh", "-c"] + held + [self.target] + w,
                                             target=self.target)
        res = {c: {"cpu": {}, "wall": {}, "attach": [], "after": []} for c in conds}

        for rnd in self.rounds(self.s.overhead_rounds, "overhead"):
            order = list(conds)
            random.shuffle(order)
            for c in order:
                argv, env = conds[c]

                def fn():
                    r = run(argv, self.out_file(), env, timeout=180)
                    wl = workload_line(r.out()) if r.rc is not None else None
                    if not r.ok() or not wl:
                        self.fail("overhead", c, r, None if not r.ok() else "no workload line")
                        return r, None
                    return r, {"wl": wl, "t0": r.t0, "t1": r.t1}
                got = self.sample("overhead", c, fn,
                                  lambda r, v: (int(v["wl"]["mono_start_ns"]), int(v["wl"]["mono_end_ns"])))
                if got is None or not got[1]:
                    continue
                v = got[0]
                res[c]["cpu"][rnd] = v["wl"]["cpu_ns_per_read"]
                res[c]["wall"][rnd] = v["wl"]["ns_per_read"]
                if c != "untraced":
                    res[c]["attach"].append((v["wl"]["mono_start_ns"] - v["t0"]) / 1e6)
                    res[c]["after"].append((v["t1"] - v["wl"]["mono_end_ns"]) / 1e6)
        self.data["overhead"] = res

    # ------------------------------------------------------------------ grade

    def bench_grade(self):
        """Issue 16's number: `mini-trace grade intro-maps-and-programs
        SOLUTION` from start to its verdict, beside the scenario alone (the
        same binary in the role grade starts it in, MINI_TRACE_ROLE, with an
        answer of its own), in a shuffled order each round."""
        sol = os.path.join(self.build, "exercises", "intro-maps-and-programs", "solution.bpf.o")
        if not os.path.exists(sol):
            self.notes.append(f"{sol} was not built: no grade figures.")
            return
        res = {"scenario alone": [], "mini-trace grade": []}
        for rnd in self.rounds(self.s.grade_rounds, "grade"):
            order = list(res)
            random.shuffle(order)
            for c in order:
                if c == "mini-trace grade":
                    argv, env = [self.mt, "grade", "intro-maps-and-programs", sol], None
                else:
                    env = dict(os.environ, MINI_TRACE_ROLE="scenario:intro-maps-and-programs",
                               MINI_TRACE_ANSWER=str(40 + rnd))
                    argv = [self.mt]

                def fn():
                    r = run(argv, self.out_file(), env, timeout=60)
                    if c == "mini-trace grade":
                        self.background_detach(self.mt, r.t1)
                    if not r.ok() or (c == "mini-trace grade" and ": correct" not in r.out()):
                        self.fail("grade", c, r, "no \"correct\" verdict" if r.ok() else None)
                        return r, None
                    return r, (r.t1 - r.t0) / 1e6
                got = self.sample("grade", c, fn, lambda r, v: (r.t0, r.t1))
                if got is not None and got[1]:
                    res[c].append(got[0])
        self.data["grade"] = res

    # ------------------------------------------------------- password startup

    def bench_pw_startup(self):
        """`TOOL password -- /bin/true`: CPU (wait4's rusage: the verifier's
        work is charged to the process that loads), wall time until it
        returns, and until the kernel holds nothing of the run: for
        mini-trace, until the child it leaves to detach has exited; the
        libbpf twin detaches before it exits."""
        true = ["/bin/true"]
        conds = {}
        for t in ("mini-trace", "libbpf-trace (dynamic)", "libbpf-trace (static)"):
            if t in self.tools:
                conds[t] = self.argv(t, "password", cmd=true, target=self.target)
        conds["empty floor, classic tracepoints"] = (
            [self.empty, "--like", self.mt_objs["password"], "--"] + true, None)
        conds[PER_SYSCALL_FLOOR] = ([self.empty] + per_syscall_tps() + ["--"] + true, None)
        res = {c: {"cpu": [], "wall": [], "gone": []} for c in conds}
        for _ in self.rounds(self.s.pw_startup_rounds, "pw_startup"):
            order = list(conds)
            random.shuffle(order)
            for c in order:
                argv, env = conds[c]

                def fn():
                    r = run(argv, self.out_file(), env, timeout=60)
                    det = self.background_detach(self.mt, r.t1) if c == "mini-trace" else None
                    if not r.ok():
                        self.fail("pw_startup", c, r)
                        return r, None
                    wall = (r.t1 - r.t0) / 1e6
                    return r, {"cpu": (r.ru.ru_utime + r.ru.ru_stime) * 1e3, "wall": wall,
                               "gone": (wall + det) if det else wall}
                got = self.sample("pw_startup", c, fn, lambda r, v: (r.t0, r.t1))
                if got is None or not got[1]:
                    continue
                for k, x in got[0].items():
                    res[c][k].append(x)
        self.data["pw_startup"] = res

    # -------------------------------------------------------------- unrelated

    def bench_unrelated(self):
        """The reads workload making getppid(2)s, which no password tool
        follows: each tool's cost to the rest of the machine's syscalls."""
        obj = self.mt_objs["password"]
        w = [self.reads, str(self.s.reads), "getppid"]
        conds = {"untraced": (w, None),
                 "empty floor, classic tracepoints": ([self.empty, "--like", obj, "--"] + w, None),
                 PER_SYSCALL_FLOOR: ([self.empty] + per_syscall_tps() + ["--"] + w, None)}
        for t in ("mini-trace", "libbpf-trace (dynamic)"):
            if t in self.tools:
                conds[t] = self.argv(t, "password", cmd=w, target=self.target)
        res = {c: {"cpu": {}, "wall": {}} for c in conds}
        for rnd in self.rounds(self.s.unrelated_rounds, "unrelated"):
            order = list(conds)
            random.shuffle(order)
            for c in order:
                argv, env = conds[c]

                def fn():
                    r = run(argv, self.out_file(), env, timeout=180)
                    wl = workload_line(r.out()) if r.rc is not None else None
                    if not r.ok() or not wl:
                        self.fail("unrelated", c, r, None if not r.ok() else "no workload line")
                        return r, None
                    return r, {"wl": wl}
                got = self.sample("unrelated", c, fn,
                                  lambda r, v: (int(v["wl"]["mono_start_ns"]), int(v["wl"]["mono_end_ns"])))
                if got is None or not got[1]:
                    continue
                res[c]["cpu"][rnd] = got[0]["wl"]["cpu_ns_per_read"]
                res[c]["wall"][rnd] = got[0]["wl"]["ns_per_read"]
        self.data["unrelated"] = res

    # --------------------------------------------------------------- delivery

    def count_events(self, text, pid=None):
        n = 0
        nbytes = 0
        pre = f"pid={pid} " if pid else "pid="
        for line in text.splitlines():
            if line.startswith(pre):
                n += 1
                m = re.search(r" len=(\d+)", line)
                if m:
                    nbytes += int(m.group(1))
        return n, nbytes

    def bench_delivery(self):
        w = [self.storm, str(self.s.storm), self.target]
        names = ["untraced", "mini-trace", "mini-trace, batched wakeups", "libbpf-trace (dynamic)",
                 "libbpf-trace (static)", "bpftrace"]
        if self.s.quick:
            names = names[:4]
        conds = {}
        for c in names:
            if c == "untraced":
                conds[c] = (w, None)
            elif c in self.tools:
                conds[c] = self.argv(c, "password", cmd=w, target=self.target)
        res = {c: {"cpu": {}, "wall": {}, "delivered": [], "lost": [], "reported": [], "bytes_ok": []}
               for c in conds}
        for rnd in self.rounds(self.s.delivery_rounds, "delivery"):
            order = list(conds)
            random.shuffle(order)
            for c in order:
                argv, env = conds[c]

                def fn():
                    r = run(argv, self.out_file(), env, timeout=300)
                    text = r.out() if r.rc is not None else ""
                    wl = workload_line(text)
                    if not r.ok() or not wl:
                        self.fail("delivery", c, r, None if not r.ok() else "no workload line")
                        return r, None
                    n, nbytes = self.count_events(text)
                    return r, {"wl": wl, "n": n, "bytes": nbytes, "rep": lost_reported(r.err, text)}
                got = self.sample("delivery", c, fn,
                                  lambda r, v: (int(v["wl"]["mono_start_ns"]), int(v["wl"]["mono_end_ns"])))
                if got is None:
                    continue
                v, clean = got
                reads = int(v["wl"]["reads"])
                if c != "untraced":
                    # Loss does not depend on who else is attached: every run counts.
                    res[c]["delivered"].append(v["n"])
                    res[c]["lost"].append(reads - v["n"])
                    res[c]["reported"].append(v["rep"])
                    res[c]["bytes_ok"].append(v["bytes"] == int(v["wl"]["bytes"]))
                if clean:
                    res[c]["cpu"][rnd] = v["wl"]["cpu_ns_per_read"]
                    res[c]["wall"][rnd] = v["wl"]["ns_per_read"]
        self.data["delivery"] = res
        self.bench_loss()

    def wait_attached(self, p, prog, probe_comm="true", timeout=60):
        """Probe until the tool reports an event of ours: it is attached."""
        me = os.getpid()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if prog == "password":
                with open(self.target, "rb") as f:
                    f.read()
            else:
                run(["/bin/true"], os.devnull, timeout=10)
            time.sleep(0.1)
            text = open(p.r.out_path, "rb").read().decode(errors="replace")
            if (prog == "password" and f"pid={me} " in text) or \
               (prog == "exit" and (f"comm={probe_comm} " in text or
                                    f'comm="{probe_comm}" ' in text)):
                return True
            if os.waitpid(p.r.pid, os.WNOHANG)[0]:
                p.done = True
                return False
        return False

    def settle(self, p, pid, idle=0.5, limit=10):
        """Until the tool has printed nothing new for idle seconds."""
        last, t_last = -1, time.monotonic()
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            n = os.path.getsize(p.r.out_path)
            if n != last:
                last, t_last = n, time.monotonic()
            elif time.monotonic() - t_last > idle:
                return
            time.sleep(0.05)

    def bench_loss(self):
        """Loss accounting with a one-page ring: exact or not."""
        tools = ["mini-trace"] if self.s.quick else ["mini-trace", "libbpf-trace (dynamic)"]
        if "bpftrace" in self.tools:
            tools.append("bpftrace")
        res = {"storm": {}, "end": {}}
        n = self.s.storm
        for rep in range(self.s.loss_reps):
            for t in tools:
                # (a) a storm through a one-page ring, the tool running it.
                argv, env = self.argv(t, "password", cmd=[self.storm, str(n), self.target],
                                      target=self.target, pages=1)
                r = run(argv, self.out_file(), env, timeout=300)
                text = r.out()
                wl = workload_line(text)
                if not r.ok() or not wl:
                    self.fail("loss", f"{t}, one-page ring", r)
                else:
                    d, _ = self.count_events(text)
                    res["storm"].setdefault(t, []).append(
                        {"reads": n, "delivered": d, "truth": n - d, "reported": lost_reported(r.err, text)})
                if t == "bpftrace":
                    continue
                # (b) the overflow at the very end: nothing comes after it.
                argv, env = self.argv(t, "password", target=self.target, pages=1)
                p = Proc(argv, self.out_file(), env)
                try:
                    if not self.wait_attached(p, "password"):
                        r = p.wait(10) if not p.done else p.r
                        self.fail("loss", f"{t}, end overflow", r, "never attached")
                        continue
                    p.signal(signal.SIGSTOP)
                    s = run([self.storm, str(self.s.end_storm), self.target], self.out_file(), timeout=60)
                    p.signal(signal.SIGCONT)
                    self.settle(p, s.pid)
                    p.signal(signal.SIGINT)
                    r = p.wait(120)
                finally:
                    if not p.done:
                        p.signal(signal.SIGCONT)
                        p.signal(signal.SIGKILL)
                        p.wait(10)
                text = r.out()
                d, _ = self.count_events(text, pid=s.pid)
                if r.rc not in (0, -signal.SIGINT, 130):
                    self.fail("loss", f"{t}, end overflow", r)
                res["end"].setdefault(t, []).append(
                    {"reads": self.s.end_storm, "delivered": d, "truth": self.s.end_storm - d,
                     "reported": lost_reported(r.err, text), "rc": r.rc})
        self.data["loss"] = res

    # ----------------------------------------------------------------- memory

    def bench_memory(self):
        tools = [t for t in ("mini-trace", "libbpf-trace (dynamic)", "libbpf-trace (static)", "bpftrace")
                 if t in self.tools]
        cases = [(t, prog) for t in tools for prog in ("exit", "password")]
        if self.s.quick:
            cases = [("mini-trace", "exit"), ("mini-trace", "password")]
        res = {}
        for rep in range(self.s.memory_reps):
            log(f"memory: round {rep + 1}")
            random.shuffle(cases)
            for t, prog in cases:
                argv, env = self.argv(t, prog, target=self.target, comm="true")
                p = Proc(argv, self.out_file(), env)
                try:
                    if not self.wait_attached(p, prog):
                        r = p.wait(10) if not p.done else p.r
                        self.fail("memory", f"{t} {prog}", r, "never attached")
                        continue
                    if prog == "password":
                        run([self.storm, "20000", self.target], self.out_file(), timeout=60)
                    self.settle(p, None)
                    hwm = vm_hwm(p.r.pid)
                    p.signal(signal.SIGINT)
                    r = p.wait(120)
                finally:
                    if not p.done:
                        p.signal(signal.SIGKILL)
                        p.wait(10)
                if hwm is None:
                    self.fail("memory", f"{t} {prog}", r, "no VmHWM")
                    continue
                res.setdefault(f"{t}|{prog}", []).append(hwm)
        self.data["memory"] = res

    # ------------------------------------------------------------------- size

    def bench_size(self):
        rows = []
        strip = shutil.which("strip")
        bins = [("mini-trace", self.mt), ("libbpf-trace (static)", self.path("libbpf-trace-static")),
                ("libbpf-trace (dynamic)", self.path("libbpf-trace"))]
        if self.bpftrace:
            bins.append(("bpftrace", os.path.realpath(self.bpftrace)))
        for name, path in bins:
            tmp = os.path.join(self.tmp, "stripped")
            shutil.copy2(path, tmp)
            if strip:
                subprocess.run([strip, tmp], stderr=subprocess.DEVNULL)
            size = os.path.getsize(tmp)
            os.unlink(tmp)
            dynamic = "NEEDED" in sh(["readelf", "-d", path])
            libs = []
            if dynamic:
                for line in sh(["ldd", path]).splitlines():
                    m = re.search(r"=>\s*(/\S+)", line) or re.match(r"\s*(/\S+)", line)
                    if m and os.path.exists(m.group(1)):
                        real = os.path.realpath(m.group(1))
                        libs.append((os.path.basename(m.group(1)), os.path.getsize(real)))
            rows.append({"name": name, "path": os.path.relpath(path, ROOT) if path.startswith(ROOT) else path,
                         "stripped": size, "on_disk": os.path.getsize(path), "dynamic": dynamic,
                         "libs": libs})
        self.data["size"] = rows

    # ---------------------------------------------------------------- machine

    def machine(self):
        model = ""
        try:
            for line in open("/proc/cpuinfo"):
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        mem = ""
        try:
            for line in open("/proc/meminfo"):
                if line.startswith("MemTotal"):
                    mem = f"{int(line.split()[1]) // 1024} MiB"
        except OSError:
            pass
        top = sh(["ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"]).splitlines()[:4]
        dirty = sh(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"]).splitlines()
        return {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "nproc": os.cpu_count(),
            "model": model,
            "mem": mem,
            "kernel": platform.release(),
            "kernel_version": platform.version(),
            "load": open("/proc/loadavg").read().split()[:3],
            "top": [" ".join(l.split()) for l in top],
            "commit": sh(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]),
            "dirty": [l.strip() for l in dirty],
            "mt_version": sh([self.mt, "--version"]),
            "bpftrace": sh([self.bpftrace, "--version"]) if self.bpftrace else "",
            "libbpf": sh(["dpkg-query", "-W", "-f", "${Version}", "libbpf-dev"]),
            "python": platform.python_version(),
        }

    # -------------------------------------------------------------------- run

    def main(self):
        self.setup()
        self.guard.start()
        self.data["machine"] = self.machine()
        log(f"bench: {'quick' if self.s.quick else 'full'} run; private target {self.target}")
        # BENCH_ONLY=core,attach: only these sections (the others render as
        # not measured); for working on one section, not for RESULTS.md.
        only = {x for x in os.environ.get("BENCH_ONLY", "").replace(",", " ").split()}
        for name, fn in (("size", self.bench_size), ("startup", self.bench_startup),
                         ("attach", self.bench_attach), ("core", self.bench_core),
                         ("pw_startup", self.bench_pw_startup), ("grade", self.bench_grade),
                         ("overhead", self.bench_overhead), ("unrelated", self.bench_unrelated),
                         ("delivery", self.bench_delivery),
                         ("memory", self.bench_memory)):
            if only and name not in only:
                continue
            t0 = time.monotonic()
            try:
                fn()
            except Exception as e:      # a broken section must not lose the others
                import traceback
                traceback.print_exc()
                self.failures.append({"section": name, "condition": "(harness)",
                                      "why": f"{type(e).__name__}: {e}", "stderr": ""})
            self.data.setdefault("section_s", {})[name] = time.monotonic() - t0
        self.guard.stop.set()
        self.notes += self.guard.notes
        self.data["notes"] = self.notes
        self.data["machine"]["load_end"] = open("/proc/loadavg").read().split()[:3]
        self.data["guard"] = {"method": self.guard.method, "waited_s": self.guard.waited}
        self.data["elapsed_s"] = time.monotonic() - T_START
        with open(self.path("results-quick.json" if self.s.quick else "results.json"), "w") as f:
            json.dump(self.data, f, indent=1, default=str)
        text = Report(self).render()
        with open(self.out, "w") as f:
            f.write(text)
        shutil.rmtree(self.tmp, ignore_errors=True)
        log(f"wrote {os.path.relpath(self.out, ROOT)} ({self.data['elapsed_s']:.0f} s)")


# ------------------------------------------------------------------- report


def fms(x):
    if x is None:
        return "n/a"
    return f"{x:.2f}" if abs(x) < 10 else f"{x:.1f}" if abs(x) < 1000 else f"{x:,.0f}"


def fratio(x):
    return "n/a" if x is None else f"{x:.2f}"


def fspread(v):
    """median [first quartile .. third quartile] of a list of ratios."""
    if not v:
        return "n/a"
    if len(v) < 4:
        return f"{median(v):.2f}"
    q = statistics.quantiles(v, n=4)
    return f"{median(v):.2f} [{q[0]:.2f} .. {q[2]:.2f}]"


def fsize(n):
    return f"{n / 1024:,.0f} KiB" if n < 10 * 1024 * 1024 else f"{n / 1048576:,.1f} MiB"


def met(ok):
    return "n/a" if ok is None else ("**yes**" if ok else "**no**")


class Report:
    def __init__(self, b):
        self.b = b
        self.d = b.data
        self.s = b.s
        self.summary = []       # (figure, goal, result, met)

    def render(self):
        body = []
        for fn in (self.startup, self.attach_kinds, self.vm_attach, self.core, self.pw_startup, self.grade,
                   self.overhead, self.unrelated,
                   self.delivery,
                   self.memory, self.size):
            try:
                body += fn()
            except Exception as e:
                body += [f"(section not rendered: {type(e).__name__}: {e})", ""]
        head = self.header()
        return "\n".join(head + self.summary_table() + self.machine() + body + self.caveats()) + "\n"

    def header(self):
        m = self.d["machine"]
        q = " (BENCH_QUICK=1: a smoke run, small and few samples; not results)" if self.s.quick else ""
        return ["# mini-trace benchmark results" + q, "",
                f"Written by `make bench` (`bench/run.py`) on {m['date']}, in one run of "
                f"{self.d['elapsed_s'] / 60:.1f} minutes, on a {m['nproc']}-CPU {m['model']}, "
                f"Linux {m['kernel']}.  `make bench` regenerates the whole file; raw samples are "
                f"in `build/bench/results{'-quick' if self.s.quick else ''}.json`.  Every figure is a median over rounds that run "
                f"the tools in a shuffled order; every ratio is of medians from this one run "
                f"(the machine is shared and noisy: figures from different runs are not "
                f"compared).", ""]

    def summary_table(self):
        out = ["## Summary", "", "| figure | goal | this run | met |", "|---|---|---|---|"]
        for fig, goal, result, ok in self.summary:
            out.append(f"| {fig} | {goal} | {result} | {met(ok)} |")
        return out + [""]

    def machine(self):
        m = self.d["machine"]
        g = self.d.get("guard", {})
        dirty = ", ".join(m["dirty"][:12]) or "none"
        out = ["## Machine", "",
               f"- {m['nproc']} CPUs, {m['model']}, {m['mem']} of memory",
               f"- kernel {m['kernel']} ({m['kernel_version']})",
               f"- date {m['date']}; load average {' '.join(m['load'])} at the start, "
               f"{' '.join(m.get('load_end', []))} at the end",
               f"- busiest processes at the start (%CPU, name): {'; '.join(m['top'])}",
               f"- mini-trace: `{m['mt_version']}`, commit {m['commit']}, tracked files modified in the "
               f"work tree: {dirty}",
               f"- peers: libbpf-dev {m['libbpf'] or '?'}, {m['bpftrace'] or 'no bpftrace'}; "
               f"Python {m['python']}",
               f"- foreign-program guard: {g.get('method')}, polled every {Guard.INTERVAL} s; "
               f"{g.get('waited_s', 0):.0f} s spent waiting for quiet"]
        disc = {k: v for k, v in self.d.get("discarded", {}).items() if v}
        kept = {k: v for k, v in self.d.get("tainted_kept", {}).items() if v}
        if disc or kept:
            out.append("- samples discarded because another process had BPF tracing programs loaded "
                       "during them: " + ", ".join(f"{k} {v}" for k, v in sorted(disc.items()))
                       + ((f"; kept though tainted after retries ({'used anyway in this smoke run' if self.s.quick else 'left out of the medians'}): "
                           + ", ".join(f"{k} {v}" for k, v in sorted(kept.items()))) if kept else ""))
        else:
            out.append("- no sample was taken while another process had BPF tracing programs loaded")
        for n in self.d.get("notes", self.b.notes):
            out.append(f"- {n}")
        return out + [""]

    # ---- startup

    def startup(self):
        res = self.d.get("startup")
        if not res:
            return ["## Startup", "", "(not measured: see failures)", ""]
        med = {c: {k: median(v[k]) for k in ("wall", "attach", "after")} for c, v in res.items()}
        out = ["## Startup", "",
               "Method: `TOOL exit -- /bin/true` (bpftrace: `bpftrace -c /bin/true exit.bt`), wall time "
               "from just before `posix_spawn` of the tool to its reaping by `wait4`, in ms.  Time until "
               "attached: `TOOL exit -- build/bench/stamp`, where the static `stamp` prints "
               "CLOCK_MONOTONIC; the tools start their command only once attached, so stamp minus the "
               "clock before the spawn bounds it from above (it includes spawning the tool and "
               "stamp: the first row shows that floor).  \"After\" is from stamp's clock to the tool's "
               "reaping: the command's exit, the tool noticing it, draining, detaching (mini-trace hands "
               "that to a child and does not wait) and exiting.  "
               f"The empty floors attach do-nothing programs to the tracepoints of "
               f"`build/exit.bpf.o`.  Samples taken while another process had BPF tracing programs loaded "
               f"are discarded.", "",
               "| tool | `exit -- /bin/true` wall (ms) | min .. max | until attached (ms) | min .. max | after (ms) | n |",
               "|---|---|---|---|---|---|---|"]
        for c, v in res.items():
            if not v["wall"] and not v["attach"]:
                out.append(f"| {c} | failed | | | | | 0 |")
                continue
            out.append(f"| {c} | {fms(med[c]['wall'])} | {fms(min(v['wall'], default=None))} .. "
                       f"{fms(max(v['wall'], default=None))} | {fms(med[c]['attach'])} | "
                       f"{fms(min(v['attach'], default=None))} .. {fms(max(v['attach'], default=None))} | "
                       f"{fms(med[c]['after'])} | {len(v['wall'])}/{len(v['attach'])} |")
        out.append("")
        mt = med.get("mini-trace", {})
        lb = med.get("libbpf-trace (dynamic)", {})
        lbs = med.get("libbpf-trace (static)", {})
        base = med.get("no tool (the command alone)", {})
        r_dyn = mt.get("wall") / lb["wall"] if mt.get("wall") and lb.get("wall") else None
        r_st = mt.get("wall") / lbs["wall"] if mt.get("wall") and lbs.get("wall") else None
        out.append(f"Ratio of medians, mini-trace ÷ libbpf-trace, `exit -- /bin/true` wall: "
                   f"{fratio(r_dyn)} (dynamic), {fratio(r_st)} (static); goal ≤ 0.50.")
        att = mt.get("attach")
        out.append(f"mini-trace's time until attached: {fms(att)} ms median, of which spawning the tool "
                   f"and stamp alone take {fms(base.get('attach'))} ms; goal < 5 ms.")
        if mt.get("after"):
            out.append(f"Once its command has run, mini-trace takes {fms(mt['after'])} ms (median) to "
                       f"exit, libbpf-trace {fms(lb.get('after'))} ms; the empty floor "
                       f"{fms(med.get('empty floor, classic tracepoints', {}).get('after'))} ms with classic "
                       f"tracepoints and {fms(med.get('empty floor, raw tracepoints', {}).get('after'))} ms "
                       f"with raw ones: closing a classic tracepoint's perf event waits for RCU grace "
                       f"periods in the kernel, a raw tracepoint's link does not.")
        det = median(res.get("mini-trace", {}).get("detached", []))
        if det:
            out.append(f"mini-trace exits before its tracepoints are detached: a child it leaves closes "
                       f"them, done {fms(det)} ms (median) after mini-trace was reaped in "
                       f"`exit -- /bin/true`; each next sample waits for it.")
        out.append("")
        self.summary.append(("startup: `exit -- /bin/true` wall, mini-trace ÷ libbpf-trace (dynamic)",
                             "≤ 0.50", f"{fratio(r_dyn)} ({fms(mt.get('wall'))} ms vs {fms(lb.get('wall'))} ms)",
                             None if r_dyn is None else r_dyn <= 0.5))
        self.summary.append(("startup: mini-trace time until attached (`exit`)", "< 5 ms",
                             f"{fms(att)} ms", None if att is None else att < 5))
        # The password tools, from the overhead runs.
        ov = self.d.get("overhead", {})
        rows = [(c, median(v["attach"]), median(v["after"]), len(v["attach"])) for c, v in ov.items()
                if c != "untraced" and v["attach"]]
        pw = {c: (a, f) for c, a, f, n in rows}
        if "mini-trace" in pw and "libbpf-trace (dynamic)" in pw:
            self.summary.append(("startup, `password` (no goal), mini-trace vs libbpf-trace (dynamic)",
                                 "—", f"spawn → workload running: {fms(pw['mini-trace'][0])} ms vs "
                                 f"{fms(pw['libbpf-trace (dynamic)'][0])} ms; workload done → exited: "
                                 f"{fms(pw['mini-trace'][1])} ms vs {fms(pw['libbpf-trace (dynamic)'][1])} ms",
                                 None))
        if rows:
            out += ["The password tools (many more tracepoints), from the overhead runs below: time from "
                    "spawning the tool to the start of the workload's loop (attach, plus starting the "
                    "workload), and from the end of the loop to the tool's reaping (its exit, "
                    "draining, detaching).", "",
                    "| password tool | spawn → workload loop (ms) | loop end → reaped (ms) | n |",
                    "|---|---|---|---|"]
            for c, a, f, n in rows:
                out.append(f"| {c} | {fms(a)} | {fms(f)} | {n} |")
            out.append("")
        return out

    # ---- attach kinds

    def attach_kinds(self):
        res = self.d.get("attach")
        if not res:
            return ["## Attach kinds", "", "(not measured: see failures and notes)", ""]
        out = ["## Attach kinds", "",
               "Method: one object, `build/bench/attach.bpf.o` (a uprobe on libc's `getppid`, whose "
               "file offset each tool reads from libc's ELF, and a `raw_tp/sys_enter`), built with "
               "mini-trace's headers: `mini-trace run OBJ -- stamp` beside `libbpf-attach OBJ -- stamp` "
               "(bench/libbpf/attach.c: `bpf_object__open_file`, `bpf_object__load`, "
               "`bpf_program__attach` for each program, then the command).  Time until attached as in "
               "Startup: stamp's clock minus the clock before the tool's spawn.  This kernel has no "
               "kprobes and refuses fentry, so neither is in the object (the next section times both in a qemu guest).", "",
               "| tool | until attached (ms) | min .. max | wall (ms) | n |", "|---|---|---|---|---|"]
        med = {c: median(v["attach"]) for c, v in res.items()}
        for c, v in res.items():
            if not v["attach"]:
                out.append(f"| {c} | failed | | | 0 |")
                continue
            out.append(f"| {c} | {fms(med[c])} | {fms(min(v['attach']))} .. {fms(max(v['attach']))} | "
                       f"{fms(median(v['wall']))} | {len(v['attach'])} |")
        mt, lb = med.get("mini-trace"), med.get("libbpf-attach (dynamic)")
        r = mt / lb if mt and lb else None
        out += ["", f"Ratio of medians, mini-trace ÷ libbpf-attach, time until attached: {fratio(r)}.", ""]
        self.summary.append(("attach kinds (uprobe + raw_tp): time until attached, mini-trace ÷ "
                             "libbpf-attach", "(no goal)", fratio(r), None))
        return out

    # ---- attach kinds in a guest

    def vm_attach(self):
        """bench/vm/run.sh's VMBENCH lines (make vmbench, run by make bench
        before this script): one file per guest kernel, BUILD/bench/vm/*.txt."""
        title = "## Attach kinds in a guest (kprobe, uprobe, fentry)"
        vm = os.path.join(getattr(self.b, "benchdir", os.path.join(ROOT, "build", "bench")), "vm")
        # In the order the guests ran (bench/vm/run.sh: the newest kernel first).
        files = sorted((f for f in (os.listdir(vm) if os.path.isdir(vm) else []) if f.endswith(".txt")),
                       key=lambda f: os.path.getmtime(os.path.join(vm, f)))
        if not files:
            return [title, "", "(not measured: `make vmbench` left no results in build/bench/vm/)", ""]
        names = {"stamp-alone": "no tool (stamp alone)", "mini-trace": "mini-trace",
                 "libbpf-attach": "libbpf-attach (static)"}
        out = [title, "",
               "Method: `make vmbench` (bench/vm/), run by `make bench` before the host's sections.  One "
               "object, `build/bench/attach3.bpf.o` (bench/libbpf/attach3.bpf.c: `kprobe/do_group_exit`, "
               "`uprobe//bench/stamp:main`, `fentry/vfs_write`, libbpf's section names, built with "
               "mini-trace's headers), in a Debian kernel booted by qemu, where the guest's /init "
               "(bench/vm/init.c) runs `mini-trace run OBJ -- /bench/stamp` beside `libbpf-attach OBJ "
               "-- /bench/stamp` (attach.c linked statically) and stamp alone, in a shuffled order each "
               "round, after one warm-up run of each.  Time until attached as in Attach kinds: stamp's "
               "clock minus the clock before the tool's fork; every child (mini-trace's background "
               "detacher too) is reaped before the next sample.  qemu emulates the guest (TCG: KVM does "
               "not work on this machine), so the milliseconds are the emulator's; the figure is the "
               "ratio of the two tools' medians in one guest run.", "",
               "| guest kernel | tool | until attached (ms) | min .. max | wall (ms) | n |",
               "|---|---|---|---|---|---|"]
        ratios, notes = [], []
        for f in files:
            path = os.path.join(vm, f)
            boot, res, fails = None, {}, []
            for line in open(path, errors="replace"):
                w = line.split()
                if w[1:2] == ["BOOT"]:
                    boot = w[2:]
                elif w[1:2] == ["SAMPLE"] and len(w) >= 6:
                    res.setdefault(w[2], ([], []))
                    res[w[2]][0].append(float(w[4]))
                    res[w[2]][1].append(float(w[5]))
                elif w[1:2] == ["FAIL"]:
                    fails.append(" ".join(w[2:]))
            kernel = f"{boot[0]} {boot[1]}, {boot[2].replace('accel=', '')}" if boot and len(boot) > 2 \
                else f[:-4]
            when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(os.path.getmtime(path)))
            med = {}
            for c in names:
                a, wall = res.get(c, ([], []))
                if not a:
                    out.append(f"| {kernel} | {names[c]} | failed | | | 0 |")
                    continue
                med[c] = median(a)
                out.append(f"| {kernel} | {names[c]} | {fms(med[c])} | {fms(min(a))} .. {fms(max(a))} | "
                           f"{fms(median(wall))} | {len(a)} |")
            mt, lb, fl = med.get("mini-trace"), med.get("libbpf-attach"), med.get("stamp-alone")
            r = mt / lb if mt and lb else None
            rf = (mt - fl) / (lb - fl) if mt and lb and fl is not None and lb > fl else None
            ratios.append(f"{fratio(r)} on {boot[0] if boot else f[:-4]}")
            notes.append(f"- {kernel} (run {when}): mini-trace ÷ libbpf-attach, time until attached: "
                         f"**{fratio(r)}** ({fratio(rf)} with stamp alone taken off both)"
                         + (f"; failures: {'; '.join(fails[:3])}" if fails else ""))
        out += [""] + notes + [""]
        self.summary.append(("attach kinds in a qemu guest (kprobe + uprobe + fentry): time until attached, "
                             "mini-trace ÷ libbpf-attach", "(no goal)", ", ".join(ratios), None))
        return out

    # ---- CO-RE

    def core(self):
        res = self.d.get("core")
        if not res:
            return ["## CO-RE", "", "(not measured: see failures and notes)", ""]
        out = ["## CO-RE", "",
               "Method: `build/bench/core.bpf.o` (bench/libbpf/core.bpf.c: a tracepoint reading "
               "`BPF_CORE_READ(task, real_parent, tgid)`, built from bpftool's vmlinux.h and "
               "libbpf-dev's headers: three CO-RE relocations, resolved against "
               "/sys/kernel/btf/vmlinux) beside `core-plain.bpf.o` (the same source at vmlinux.h's "
               "offsets: no relocations, no kernel BTF read) under `mini-trace run`, and "
               "`libbpf-attach` (bench/libbpf/attach.c) on core.bpf.o, alternated in shuffled "
               "rounds.  Time until attached as in Startup (`-- stamp`).  Peak RSS: a second run of "
               "each with `-- sh -c 'grep VmHWM /proc/$PPID/status'`, whose parent is the tool once "
               "attached: its high-water mark up to then, kernel BTF parsed.  Last, the exit demo the "
               "same way in a mount namespace with a tmpfs over /sys/kernel/btf (no kernel BTF).", "",
               "| run | until attached (ms) | min .. max | peak RSS, max of runs (KiB) | n |",
               "|---|---|---|---|---|"]
        med = {}
        for c, v in res.items():
            if c == "nobtf":
                continue
            med[c] = (median(v["attach"]), max(v["rss"]) if v["rss"] else None)
            if not v["attach"]:
                out.append(f"| {c} | failed | | {med[c][1] or 'n/a'} | 0 |")
                continue
            out.append(f"| {c} | {fms(med[c][0])} | {fms(min(v['attach']))} .. {fms(max(v['attach']))} | "
                       f"{med[c][1] if med[c][1] is not None else 'n/a'} | {len(v['attach'])} |")
        nb = res.get("nobtf", {})
        nb_rss = max(nb["rss"]) if nb.get("rss") else None
        out.append(f"| mini-trace exit demo, /sys/kernel/btf hidden | | | "
                   f"{nb_rss if nb_rss is not None else 'failed: ' + (nb.get('error') or '')} | "
                   f"{len(nb.get('rss', []))} |")
        co = med.get("mini-trace, CO-RE object", (None, None))
        pl = med.get("mini-trace, plain object", (None, None))
        lb = med.get("libbpf-attach, CO-RE object", (None, None))
        d = co[0] - pl[0] if co[0] is not None and pl[0] is not None else None
        r_pl = co[0] / pl[0] if d is not None and pl[0] else None
        r_lb = co[0] / lb[0] if co[0] is not None and lb[0] else None
        out += ["", f"Medians: CO-RE − plain {fms(d)} ms (ratio {fratio(r_pl)}); "
                f"CO-RE ÷ libbpf-attach {fratio(r_lb)}; libbpf-attach's peak RSS "
                f"{lb[1] if lb[1] is not None else 'n/a'} KiB.", ""]
        self.summary += [
            ("CO-RE object: time until attached, minus the plain object's (ms)", "≤ 10",
             fms(d), None if d is None else d <= 10),
            ("CO-RE object: time until attached, mini-trace ÷ libbpf-attach", "≤ 1",
             fratio(r_lb), None if r_lb is None else r_lb <= 1),
            ("CO-RE object: mini-trace's peak RSS until attached (KiB)", "≤ 8192",
             str(co[1]) if co[1] is not None else "n/a", None if co[1] is None else co[1] <= 8192),
            ("exit demo without kernel BTF: peak RSS until attached (KiB)", "≤ 1024",
             str(nb_rss) if nb_rss is not None else "n/a", None if nb_rss is None else nb_rss <= 1024)]
        return out

    # ---- password startup

    def pw_startup(self):
        res = self.d.get("pw_startup")
        if not res:
            return ["## Password startup", "", "(not measured: see failures)", ""]
        lb = "libbpf-trace (dynamic)"
        med = {c: {k: median(v[k]) for k in ("cpu", "wall", "gone")} for c, v in res.items()}
        out = ["## Password startup", "",
               "Method: `TOOL password --file FILE -- /bin/true`, the tools in a shuffled order each "
               "round.  CPU: the tool's user + system time (wait4), nearly all of it the verifier's "
               "work on the programs it loads.  Returns: spawn to reaping.  Gone: spawn until the "
               "kernel holds no program or map of the run; mini-trace returns first and leaves a "
               "child that detaches its tracepoints (each close waits out RCU grace periods under "
               "the kernel's event_mutex), so for it that is until the child has exited; the libbpf "
               "twin detaches before it exits.  The empty floors attach do-nothing programs with "
               "libbpf: to mini-trace's password tracepoints (raw_syscalls/sys_enter and sys_exit, "
               "fork, exec, exit), and to the per-syscall set it used before issue 14.  Ratios are "
               f"to {lb}'s medians.", "",
               "| condition | CPU (ms) | ratio | returns (ms) | ratio | gone (ms) | ratio | n |",
               "|---|---|---|---|---|---|---|---|"]
        base = med.get(lb)

        def ratio(c, k):
            return med[c][k] / base[k] if base and base[k] and med[c][k] is not None else None
        for c in res:
            if med[c]["cpu"] is None:
                out.append(f"| {c} | failed | | | | | | 0 |")
                continue
            out.append(f"| {c} | {fms(med[c]['cpu'])} | {fratio(ratio(c, 'cpu'))} | "
                       f"{fms(med[c]['wall'])} | {fratio(ratio(c, 'wall'))} | {fms(med[c]['gone'])} | "
                       f"{fratio(ratio(c, 'gone'))} | {len(res[c]['cpu'])} |")
        out.append("")
        if "mini-trace" in med and base:
            for k, label, goal in (("cpu", "CPU to start", 2.0), ("wall", "`password -- CMD` returns", 0.25),
                                   ("gone", "every program and map gone", 1.0)):
                r = ratio("mini-trace", k)
                self.summary.append((f"password startup: {label}, mini-trace ÷ {lb}", f"≤ {goal:.2f}",
                                     f"{fratio(r)} ({fms(med['mini-trace'][k])} ms vs {fms(base[k])} ms)",
                                     None if r is None else r <= goal))
        return out

    # ---- grade

    def grade(self):
        res = self.d.get("grade")
        title = "## Grading an exercise"
        if not res or not all(res.values()):
            return [title, "", "(not measured: see failures)", ""]
        med = {c: median(v) for c, v in res.items()}
        out = [title, "",
               "Method: `mini-trace grade intro-maps-and-programs SOLUTION` (our solution, "
               "build/exercises/), from spawn to its reaping, after it has printed its verdict "
               "(\"correct\", checked every run), beside the scenario alone: the same binary started "
               "in the role grade gives the scenario (MINI_TRACE_ROLE=scenario:..., an answer of its "
               "own), which makes its programs, runs them and cleans up.  A shuffled order each round.",
               "",
               "| run | wall (ms) | min .. max | n |", "|---|---|---|---|"]
        for c, v in res.items():
            out.append(f"| {c} | {fms(med[c])} | {fms(min(v))} .. {fms(max(v))} | {len(v)} |")
        r = med["mini-trace grade"] / med["scenario alone"] if med["scenario alone"] else None
        out += ["", f"Grade ÷ scenario alone: **{fratio(r)}** (goal ≤ 2).", ""]
        self.summary.append(("intro-maps-and-programs: start to \"correct\" ÷ the scenario alone", "≤ 2",
                             f"{fratio(r)} ({fms(med['mini-trace grade'])} ms vs "
                             f"{fms(med['scenario alone'])} ms)", None if r is None else r <= 2))
        return out

    # ---- unrelated syscalls

    def unrelated(self):
        res = self.d.get("unrelated")
        if not res:
            return ["## Unrelated syscalls", "", "(not measured: see failures)", ""]
        u = "untraced"
        med = {c: median(list(v["cpu"].values())) for c, v in res.items()}
        out = ["## Unrelated syscalls", "",
               f"Method: `build/bench/reads {self.s.reads} getppid`: getppid(2) in a loop, a syscall no "
               "password tool follows, untraced and under each condition; CPU ns per call, and what "
               "the condition adds to the untraced median.  mini-trace's programs on "
               "raw_syscalls/sys_enter and sys_exit run on every syscall and return after one "
               "table lookup; per-syscall tracepoints run nothing for a syscall nobody traces, "
               "though the kernel still takes its slow syscall path for every task.", "",
               "| condition | CPU ns per call | added | n |", "|---|---|---|---|"]
        for c in res:
            if med[c] is None:
                out.append(f"| {c} | failed | | 0 |")
                continue
            add = med[c] - med[u] if med.get(u) is not None else None
            out.append(f"| {c} | {med[c]:.1f} | {'n/a' if add is None else f'{add:+.1f}'} | "
                       f"{len(res[c]['cpu'])} |")
        out.append("")
        if med.get("mini-trace") is not None and med.get(u) is not None:
            fl = med.get("empty floor, classic tracepoints")
            self.summary.append(("unrelated syscalls (getppid): CPU ns added, mini-trace (floor)", "—",
                                 f"{med['mini-trace'] - med[u]:+.1f} ({'n/a' if fl is None else f'{fl - med[u]:+.1f}'})",
                                 None))
        return out

    # ---- overhead

    def ratio_table(self, res, metric, u, f):
        med = {c: median(list(v[metric].values())) for c, v in res.items()}
        rows = []
        for c, v in res.items():
            vals = list(v[metric].values())
            if not vals:
                rows.append((c, None, None, None, None, 0))
                continue
            r = (med[c] - med[u]) / (med[f] - med[u]) if med.get(u) and med.get(f) and med[f] != med[u] else None
            per = []
            for rnd, x in v[metric].items():
                if rnd in res[u][metric] and rnd in res[f][metric]:
                    den = res[f][metric][rnd] - res[u][metric][rnd]
                    if den > 0:
                        per.append((x - res[u][metric][rnd]) / den)
            rows.append((c, med[c], (min(vals), max(vals)), r, per, len(vals)))
        return med, rows

    def overhead(self):
        res = self.d.get("overhead")
        if not res:
            return ["## Overhead", "", "(not measured: see failures)", ""]
        u, f, raw = "untraced", "empty floor, classic tracepoints", "empty floor, raw tracepoints"
        out = ["## Overhead", "",
               f"Method: `build/bench/reads {self.s.reads} /dev/zero` ({self.s.reads:,} one-byte reads of "
               f"/dev/zero) untraced, under `empty --like build/password.bpf.o` (do-nothing programs on "
               f"mini-trace's password tracepoints: the floor of the attach mechanism), under its "
               f"`--raw-tp` variant (the same set as raw tracepoints: the syscall ones collapse into "
               f"sys_enter and sys_exit), and under each password tool watching a private file that the "
               f"workload never opens.  The workload times its loop only: the reader's CPU time "
               f"(CLOCK_PROCESS_CPUTIME_ID; the programs on the read tracepoints run in the reader and "
               f"are charged to it) is the main figure, wall time the second.  Ratio = (traced − "
               f"untraced) ÷ (classic floor − untraced), of medians; \"per round\" is the same ratio "
               f"computed within each round, its median and quartiles showing the spread.  A sample is discarded when another "
               f"process had BPF tracing programs loaded during the loop.  mini-trace's read programs "
               f"return before any map lookup while no process has the target open (counts of its map "
               f"entries say so); \"{HELD}\" measures it when one does: the workload runs from a shell "
               f"that opened the target, forked a `sleep` that inherits it, and closed its own copy, so "
               f"every read entry looks for the reader's fd table (since issue 17: reads the count of "
               f"fd tables kept for the reader's pid, and finds it 0).", ""]
        for metric, label in (("cpu", "CPU ns per read"), ("wall", "wall ns per read")):
            med, rows = self.ratio_table(res, metric, u, f)
            out += [f"**{label}**", "",
                    f"| condition | median | min .. max | ratio | per round: median [quartiles] | n |",
                    "|---|---|---|---|---|---|"]
            for c, m, mm, r, per, n in rows:
                if m is None:
                    out.append(f"| {c} | failed | | | | 0 |")
                else:
                    out.append(f"| {c} | {m:.1f} | {mm[0]:.1f} .. {mm[1]:.1f} | {fratio(r)} | {fspread(per)} | {n} |")
            out.append("")
            if metric == "cpu":
                rr = {c: r for c, m, mm, r, per, n in rows}
                pr = {c: per for c, m, mm, r, per, n in rows}
                self.ov_cpu = (med, rr, pr)
        med, rr, pr = self.ov_cpu
        mt = rr.get("mini-trace")
        self.summary.append(("overhead: (mini-trace − untraced) ÷ (floor − untraced), CPU per read",
                             "≤ 1.10", f"{fratio(mt)} (per round {fspread(pr.get('mini-trace'))}; "
                             f"libbpf-trace {fratio(rr.get('libbpf-trace (dynamic)'))})",
                             None if mt is None else mt <= 1.10))
        if HELD in rr:
            held = rr[HELD]
            self.summary.append(("overhead: the same, while another process holds the target open", "≤ 1.10",
                                 f"{fratio(held)} (per round {fspread(pr.get(HELD))})",
                                 None if held is None else held <= 1.10))
        if BASELINE_HELD in rr:
            self.summary.append(("overhead: the same for BENCH_BASELINE, not open / held open", "—",
                                 f"{fratio(rr.get(BASELINE))} / {fratio(rr[BASELINE_HELD])}", None))
        rw = rr.get(raw)
        self.summary.append(("overhead: raw-tracepoint floor on the same ratio", "below 1.00 = cheaper than classic",
                             fratio(rw), None))
        lb = rr.get("libbpf-trace (dynamic)")
        out.append(f"mini-trace's ratio is {fratio(mt)} (goal ≤ 1.10), {fratio(rr.get(HELD))} while another "
                   f"process holds the target open; libbpf-trace's {fratio(lb)}, "
                   f"bpftrace's {fratio(rr.get('bpftrace'))}.  Where the quartiles of two tools overlap, "
                   f"this run does not tell them apart.  The raw-tracepoint floor is at "
                   f"{fratio(rw)} of the classic one's cost over untraced.")
        out += ["", "**Another attach point.**  Raw tracepoints (`BPF_RAW_TRACEPOINT_OPEN`) skip the perf "
                "event and the trace-event record that a classic tracepoint builds before its program "
                "runs; the measured floor above says what that saves on this kernel.  What it would "
                "cost in portability, for mini-trace:",
                "",
                "- Kernel: raw tracepoints need Linux 4.17 (classic tracepoint programs: 4.7); "
                "BTF-typed ones (`tp_btf`) and fentry need 5.5 and a kernel built with BTF.",
                "- Syscalls: there is no raw `sys_enter_read`, only `sys_enter`/`sys_exit` for every "
                "syscall.  The program runs on every syscall of every process and filters by syscall "
                "number, which is per architecture (x86-64 read is 0, arm64 63, and compat 32-bit "
                "tasks have their own table); the arguments come from `struct pt_regs`, whose layout is "
                "per architecture, read with `bpf_probe_read_kernel`.  mini-trace's password already "
                "runs on every syscall (the classic raw_syscalls/sys_enter and sys_exit, whose "
                "record holds the number and the arguments: see Unrelated syscalls for that cost); "
                "a raw tracepoint would skip building that record.",
                "- Other tracepoints (`sched_process_exec`, `sched_process_exit`): the raw arguments "
                "are kernel pointers (`struct task_struct *`, `struct linux_binprm *`); reading "
                "their fields portably needs CO-RE relocations against the kernel's BTF, which "
                "mini-trace's loader does not do today (it reads the stable, tracefs-described "
                "record of classic tracepoints).",
                "- Detaching: a raw tracepoint's link is released without the RCU grace periods "
                "that closing a classic tracepoint's perf event waits for (see Startup: compare the "
                "two empty floors' \"after\" column).", ""]
        return out

    # ---- delivery

    def delivery(self):
        res = self.d.get("delivery")
        if not res:
            return ["## Delivery", "", "(not measured: see failures)", ""]
        out = ["## Delivery", "",
               f"Method: `build/bench/storm {self.s.storm} FILE` ({self.s.storm:,} reads of 1 to 8 "
               f"bytes of a private 8-byte file, each after an lseek) run by each password tool "
               f"watching FILE, at the tools' default settings (mini-trace: 256 pages per CPU, the reader "
               f"woken each time a 32nd of a ring has filled; libbpf-trace: 64 pages per CPU; bpftrace: "
               f"its own defaults).  Delivered = event lines on stdout; lost = "
               f"reads − delivered (the ground truth), next to what the tool itself reported on "
               f"stderr (`warning: N events were lost in all`; bpftrace: `Lost N events`).  The "
               f"workload's time per read counts its lseek too, traced or not.  \"mini-trace, batched "
               f"wakeups\" is mini-trace built from the same sources with its perf rings waking the "
               f"reader every {os.environ.get('BENCH_WAKEUP', '64')} records instead of by that "
               f"watermark (`build/bench/mini-trace-batched`, see bench.mk): the reference for the cost "
               f"of wakeups.  Loss counts keep every run; times leave out samples taken while another "
               f"process had BPF tracing programs loaded.", "",
               "| condition | CPU ns/read | wall ns/read | delivered (median) | lost: truth (median, max) | "
               "lost: reported (median, max) | runs with no loss | reported = truth | bytes match |",
               "|---|---|---|---|---|---|---|---|---|"]
        med = {}
        for c, v in res.items():
            cpu = median(list(v["cpu"].values()))
            wall = median(list(v["wall"].values()))
            med[c] = cpu
            if c == "untraced":
                out.append(f"| {c} | {fms(cpu)} | {fms(wall)} | | | | | | |")
                continue
            if not v["delivered"]:
                out.append(f"| {c} | failed | | | | | | | |")
                continue
            runs = len(v["lost"])
            out.append(f"| {c} | {fms(cpu)} | {fms(wall)} | {median(v['delivered']):,.0f} | "
                       f"{median(v['lost']):,.0f}, {max(v['lost']):,} | "
                       f"{median(v['reported']):,.0f}, {max(v['reported']):,} | "
                       f"{sum(1 for x in v['lost'] if x == 0)}/{runs} | "
                       f"{sum(1 for a, b in zip(v['lost'], v['reported']) if a == b)}/{runs} | "
                       f"{sum(v['bytes_ok'])}/{runs} |")
        out.append("")
        mt = res.get("mini-trace", {})
        bt = "mini-trace, batched wakeups"
        r = med["mini-trace"] / med[bt] if med.get("mini-trace") and med.get(bt) else None
        per = []
        if bt in res:
            for rnd, x in mt.get("cpu", {}).items():
                if rnd in res[bt]["cpu"]:
                    per.append(x / res[bt]["cpu"][rnd])
        lost0 = mt.get("lost") and all(x == 0 for x in mt["lost"])
        out.append(f"mini-trace lost {', '.join(f'{x:,}' for x in mt.get('lost', [])) or 'n/a'} events "
                   f"in its runs (of {self.s.storm:,} each); the traced program's CPU time per read under "
                   f"it is {fratio(r)} × that under the batched-wakeup variant (per round: "
                   f"{fspread(per)}).  \"bytes match\": the len= fields of the delivered lines "
                   f"add up to the bytes the storm read.")
        out.append("")
        self.summary.append(("delivery: events lost by mini-trace at default settings (storm)", "0 in every run",
                             ", ".join(f"{x:,}" for x in mt.get("lost", [])) or "n/a",
                             None if not mt.get("lost") else bool(lost0)))
        self.summary.append(("delivery: storm CPU per read, mini-trace ÷ batched wakeups", "≤ 1.00",
                             f"{fratio(r)}", None if r is None else r <= 1.0))
        out += self.loss()
        return out

    def loss(self):
        res = self.d.get("loss")
        if not res:
            return []
        out = ["### Loss accounting with a one-page ring", "",
               f"Method: (a) the storm of {self.s.storm:,} reads run by the tool with `--buffer-pages 1` "
               f"(bpftrace: `BPFTRACE_PERF_RB_PAGES=1`); (b) an overflow at the very end of a run: the "
               f"tool runs without a command and with one page, is seen to be attached (a probe read is "
               f"reported), is stopped with SIGSTOP, a storm of {self.s.end_storm:,} reads runs, the tool "
               f"is continued, given time to drain, and stopped with SIGINT.  Nothing is written to the "
               f"ring after the overflow, so the kernel never writes the PERF_RECORD_LOST record for "
               f"it: only a count kept by the BPF program can report it.  Truth = reads − the lines "
               f"of the storm's pid.  Exact = reported equals truth.", "",
               "| tool | case | reads | delivered | lost: truth | lost: reported | exact |", "|---|---|---|---|---|---|---|"]
        exact = {}
        for case, label in (("storm", "(a) storm, one page"), ("end", "(b) overflow at the very end")):
            for t, runs in res.get(case, {}).items():
                for x in runs:
                    ok = x["truth"] == x["reported"]
                    exact.setdefault(t, []).append(ok)
                    out.append(f"| {t} | {label} | {x['reads']:,} | {x['delivered']:,} | {x['truth']:,} | "
                               f"{x['reported']:,} | {'yes' if ok else '**no**'} |")
        out.append("")
        mt = exact.get("mini-trace")
        self.summary.append(("delivery: losses counted exactly by mini-trace (one-page ring; overflow at the end)",
                             "exact in every case", f"{sum(mt)}/{len(mt)} exact" if mt else "n/a",
                             None if not mt else all(mt)))
        return out

    # ---- memory

    def memory(self):
        res = self.d.get("memory")
        if not res:
            return ["## Memory", "", "(not measured: see failures)", ""]
        out = ["## Memory", "",
               "Method: each tool run without a command (mini-trace and libbpf-trace: `TOOL exit --comm "
               "true`, `TOOL password --file FILE`; bpftrace: the scripts with the same argument), "
               "probed until it reports an event (so it is attached), given a storm of 20,000 reads of "
               "FILE (password) and time to print it all; peak RSS is the tool's `VmHWM` from "
               "/proc/PID/status (KiB), read just before it is stopped with SIGINT: the high-water "
               "mark of its whole life up to then, its rings and maps included as far as touched "
               "(`wait4`'s `ru_maxrss` is not used: a child spawned with posix_spawn/vfork inherits "
               "the spawner's maxrss at exec).  Median and max over "
               f"{self.s.memory_reps} run(s).", "",
               "| tool | command | peak RSS median (KiB) | max (KiB) | n |", "|---|---|---|---|---|"]
        worst = None
        for key in sorted(res):
            t, prog = key.split("|")
            v = res[key]
            out.append(f"| {t} | {prog} | {median(v):,.0f} | {max(v):,} | {len(v)} |")
            if t == "mini-trace":
                worst = max(worst or 0, max(v))
        out.append("")
        self.summary.append(("memory: mini-trace peak RSS (max over runs and commands)", "≤ 1,024 KiB",
                             f"{worst:,} KiB" if worst else "n/a", None if worst is None else worst <= 1024))
        return out

    # ---- size

    def size(self):
        rows = self.d.get("size")
        if not rows:
            return []
        out = ["## Size", "",
               "Method: each binary copied and run through `strip`; for dynamically linked ones, the "
               "shared libraries `ldd` lists are added (their files as installed).", "",
               "| binary | linked | stripped | with its shared libraries |", "|---|---|---|---|"]
        sizes = {}
        for r in rows:
            total = r["stripped"] + sum(s for _, s in r["libs"])
            libs = f"{fsize(total)} ({len(r['libs'])} libraries)" if r["dynamic"] else "—"
            out.append(f"| {r['name']} (`{r['path']}`) | {'dynamic' if r['dynamic'] else 'static'} | "
                       f"{fsize(r['stripped'])} | {libs} |")
            sizes[r["name"]] = r["stripped"]
        out.append("")
        if "mini-trace" in sizes and "libbpf-trace (static)" in sizes:
            self.summary.append(("size: stripped static binary, mini-trace vs libbpf-trace (static)", "—",
                                 f"{fsize(sizes['mini-trace'])} vs {fsize(sizes['libbpf-trace (static)'])}",
                                 None))
        return out

    def caveats(self):
        d = self.d
        out = ["## Noise, failures and caveats", "",
               f"- This machine is shared: other sessions build, fuzz and run mini-trace's own tests on "
               f"it during the run (see the busiest processes and the discarded samples above).  CPU time "
               f"per read leaves out the time the reader waited for a CPU, but not cache and memory "
               f"contention; wall times and the startup figures include all of it.  min .. max columns "
               f"show the spread.",
               "- The guard sees every loaded BPF program of a tracing type (tracepoint, raw "
               "tracepoint, kprobe, perf event, fentry/fexit), including those of a process that is "
               "exiting and still detaching; it misses a program loaded and freed between two of its "
               "polls, and ignores other types (networking, cgroup).  Loss figures keep every run: "
               "who else is attached does not change what a tool delivers.",
               f"- Section times (s): " + ", ".join(f"{k} {v:.0f}" for k, v in d.get("section_s", {}).items())]
        if d["failures"]:
            out += ["", "Failures (a failed run is left out of the figures):", ""]
            seen = {}
            for f in d["failures"]:
                k = (f["section"], f["condition"], f["why"], f["stderr"])
                seen[k] = seen.get(k, 0) + 1
            for (sec, cond, why, err), n in seen.items():
                out.append(f"- {sec} / {cond}: {why}{f' ({n} times)' if n > 1 else ''}"
                           + (f": `{err}`" if err else ""))
        else:
            out.append("- No run failed.")
        return out + [""]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--out")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--report-only", metavar="JSON",
                    help="render the report again from a results.json, measuring nothing")
    a = ap.parse_args()
    if a.report_only:
        data = json.load(open(a.report_only))
        b = Bench.__new__(Bench)
        b.data, b.s, b.notes = data, Settings(data["settings"]["quick"]), data.get("notes", [])
        text = Report(b).render()
        if a.out:
            open(a.out, "w").write(text)
        else:
            sys.stdout.write(text)
        return
    quick = a.quick or os.environ.get("BENCH_QUICK", "") not in ("", "0")
    if os.geteuid() != 0:
        sys.exit("bench: loading BPF programs needs root")
    # A run of some sections only never replaces bench/RESULTS.md either.
    only = os.environ.get("BENCH_ONLY", "").strip()
    out = a.out or (os.path.join(ROOT, a.build, "bench", "RESULTS-quick.md") if quick
                    else os.path.join(ROOT, a.build, "bench", "RESULTS-only.md") if only
                    else os.path.join(ROOT, "bench", "RESULTS.md"))
    os.chdir(ROOT)
    Bench(a.build, os.path.abspath(out), quick).main()


if __name__ == "__main__":
    main()
