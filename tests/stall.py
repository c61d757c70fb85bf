#!/usr/bin/env python3
# A reader that never reads (a one-page pipe nobody drains), or one that goes
# away, under mini-trace exit.  Prints PASS/FAIL lines as tests/lib.sh does.
#
#   stall.py MT BUILD timeout|INT|TERM|HUP|gone
#
# timeout: --timeout 1 must end the run within 2.5 s of the attach; a
# signal, sent once the pipe is full, within 1.5 s.  Either way the lines
# that could not be written are counted on stderr, and the pipe holds whole
# lines only.  gone: with nothing to print, a reader that closes its end
# ends the run within a second, quietly.
import fcntl
import os
import re
import select
import signal
import subprocess
import sys
import termios
import time

mt, build, mode = sys.argv[1:4]
name = f"honest: stalled reader, {mode}" if mode != "gone" else "honest: a reader that goes away"
F_SETPIPE_SZ = 1031


def check(what, ok, why=""):
    print(f"PASS {name}: {what}" if ok else f"FAIL {name}: {what}: {why}", flush=True)


def read_until(stream, pattern, seconds):
    """stderr lines up to the first matching pattern, or None after seconds."""
    text, end = b"", time.monotonic() + seconds
    while time.monotonic() < end:
        if not select.select([stream], [], [], 0.1)[0]:
            continue
        chunk = os.read(stream.fileno(), 4096)
        if not chunk:
            break
        text += chunk
        m = re.search(pattern, text)
        if m:
            return text, m
    return text, None


r, w = os.pipe()
fcntl.fcntl(w, F_SETPIPE_SZ, 4096)
# The command outlives the loop (sleep), so that it is still running when
# mini-trace is signalled, however fast the loop went: its status is then
# the SIGTERM mini-trace sends it.
loop = f"i=0; while [ $i -lt 3000 ]; do {build}/exit_with_code 1; i=$((i + 1)); done; exec sleep 60"
if mode == "gone":
    args = [mt, "exit", "-v", "--comm", "no_such_comm"]
else:
    args = [mt, "exit", "-v"] + (["--timeout", "1"] if mode == "timeout" else []) + \
        ["--", "sh", "-c", loop]
p = subprocess.Popen(args, stdout=w, stderr=subprocess.PIPE)
os.close(w)
err, m = read_until(p.stderr, rb"tracing: \d+ programs attached", 20)
child = None
try:
    if not m:
        check("attaches", False, err.decode(errors="replace"))
        sys.exit(0)
    t0 = time.monotonic()
    if mode == "gone":
        os.close(r)
        r = None
    elif mode != "timeout":
        # Wait for the pipe to fill, then a little more: mini-trace is stuck.
        end = time.monotonic() + 20
        while time.monotonic() < end:
            buf = bytearray(4)
            fcntl.ioctl(r, termios.FIONREAD, buf)
            if int.from_bytes(buf, sys.byteorder) >= 4096 - 64:
                break
            time.sleep(0.05)
        time.sleep(0.5)
        t0 = time.monotonic()
        p.send_signal(getattr(signal, "SIG" + mode))
    # After SIGINT the command has a second to end by itself (lib/child.h).
    limit = {"timeout": 2.5, "gone": 1.0, "INT": 2.0}.get(mode, 1.5)
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        check(f"ends within {limit} s", False, "still running after 10 s")
        p.kill()
        p.wait()
        sys.exit(0)
    elapsed = time.monotonic() - t0
    rest = p.stderr.read()
    err += rest
    m = re.search(rb"started 'sh': pid (\d+)", err)
    child = int(m.group(1)) if m else None
    check(f"ends within {limit} s ({elapsed:.2f} s)", elapsed <= limit)
    # The command's status: mini-trace ended it with SIGTERM.
    want = 0 if mode == "gone" else 128 + signal.SIGTERM
    check(f"status {want}", rc == want, f"status {rc}: {err[-300:]!r}")
    if mode == "gone":
        check("nothing to say", not re.search(rb"warning|error|stdout", err), repr(err[-300:]))
        sys.exit(0)
    m = re.search(rb"mini-trace: warning: (\d+) lines? not written: stdout blocked\n", err)
    check("counts the lines not written", m and int(m.group(1)) > 0, repr(err[-300:]))
    os.set_blocking(r, False)
    out = b""
    try:
        while True:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            out += chunk
    except BlockingIOError:
        pass
    lines = out.split(b"\n")
    bad = [l for l in lines[:-1] if not re.fullmatch(rb'comm="exit_with_code" pid=\d+ code=1', l)]
    check("the pipe holds whole lines", len(lines) > 1 and lines[-1] == b"" and not bad,
          f"{len(lines)} lines, last {lines[-1][:60]!r}, bad {bad[:2]!r}")
finally:
    if child:
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if p.poll() is None:
        p.kill()
        p.wait()
