#!/bin/sh
# -vv: every bpf(2), perf_event_open(2), perf ioctl and ring mmap mini-trace
# makes, shown as it happens: the same calls, in the same order, with the
# same results as strace records for the same run; nothing an object chose
# shown raw; with --json, one JSON object per call.
. tests/lib.sh
EX=$BUILD/examples
FX=$BUILD/fixtures
ESC=$(printf '\033')
BEL=$(printf '\007')

# strace_vv NAME ARGS...: runs "mini-trace ARGS" under strace -f, then
# compares the calls its -vv lines show with the ones strace saw it make
# (the process that made bpf calls: not CMD, nor the detaching child).
strace_vv() {
	name=$1; shift
	rm -f "$TMP"/st.*
	# LeakSanitizer cannot work under ptrace: the ASan build's leaks are
	# checked by the runs below, without strace.
	ASAN_OPTIONS=detect_leaks=0 timeout -s KILL 60 strace -f -ff -o "$TMP/st" -e trace=bpf,perf_event_open,ioctl,mmap \
		"$MT" "$@" >"$TMP/out" 2>"$TMP/out.err"
	rc=$?
	st=$(grep -l '^bpf(' "$TMP"/st.* | head -1)
	python3 tests/vv_calls.py vv "$TMP/out.err" >"$TMP/vv.calls"
	python3 tests/vv_calls.py strace "$st" >"$TMP/st.calls"
	n=$(wc -l <"$TMP/st.calls")
	if [ "$n" -gt 10 ] && cmp -s "$TMP/vv.calls" "$TMP/st.calls"; then
		pass "$name: $n calls, as strace saw them"
	else
		fail "$name" "-vv and strace differ: $(diff "$TMP/vv.calls" "$TMP/st.calls" | head -5 | tr '\n' '|')"
	fi
}

if ! command -v strace >/dev/null; then
	fail "vv: strace" "not installed (apt-get install strace)"
else
	strace_vv "vv: exit" exit -vv -- "$BUILD/exit_with_code" 42
	check "vv: exit: CMD's status" test "$rc" = 42
	check "vv: exit: the event still printed" grep -q '^comm="exit_with_code" pid=[0-9]* code=42$' "$TMP/out"
	check "vv: exit: a tracepoint event, its program set, then enabled" python3 -c '
import sys
calls = open(sys.argv[1]).read().splitlines()
i = next(i for i, c in enumerate(calls) if c.startswith("perf_event_open PERF_TYPE_TRACEPOINT"))
fd = calls[i].split(" = ")[1]
assert calls[i + 1].startswith("ioctl %s PERF_EVENT_IOC_SET_BPF " % fd), calls[i + 1]
assert calls[i + 2].startswith("ioctl %s PERF_EVENT_IOC_ENABLE " % fd), calls[i + 2]
' "$TMP/vv.calls"
	check "vv: exit: a perf ring mmapped per CPU" grep -q '^mmap [0-9]* MAP_SHARED [0-9]* 0 = 0x' "$TMP/vv.calls"

	strace_vv "vv: run with a ring buffer" run "$EX/exit_code.bpf.o" -vv --expect 42 -- "$EX/exit_with_code" 42
	check "vv: run: the verdict" test "$rc" = 0
	check "vv: run: the ring buffer's two mappings" \
		test "$(grep -c '^mmap [0-9]* MAP_SHARED [0-9]* [0-9]* = 0x' "$TMP/vv.calls")" = 2
fi

# What each line says, decoded: a map's attr, a program's, a rewrite, a
# tracefs id, the time it took and why.
mt "$TMP/out" exit -vv -- "$BUILD/exit_with_code" 3
check "vv: a map created, its attr by name" grep -qE \
	"^mini-trace: bpf\(BPF_MAP_CREATE, \{map_type=BPF_MAP_TYPE_HASH, key_size=4, value_size=[0-9]+, max_entries=[0-9]+, map_flags=0, map_name=\"process_names\"(, btf_fd=[0-9]+, btf_key_type_id=[0-9]+, btf_value_type_id=[0-9]+)?\}, [0-9]+\) = [0-9]+ \([0-9]+\.[0-9]{3} ms\)  # load: " \
	"$TMP/out.err"
check "vv: a program loaded: type, insns, license, log level" grep -qE \
	"^mini-trace: bpf\(BPF_PROG_LOAD, \{prog_type=BPF_PROG_TYPE_TRACEPOINT, insn_cnt=[0-9]+, license=\"GPL\", log_level=0, prog_name=\"on_process_exit\"" \
	"$TMP/out.err"
check "vv: an instruction rewritten, before and after" grep -qE \
	"^mini-trace: prog 'on_process_start': insn [0-9]+: ld_imm64 r[0-9], [0-9]+ -> r[0-9] = map_value\(fd [0-9]+\) \+ [0-9]+  # " \
	"$TMP/out.err"
check "vv: a tracepoint's id read from tracefs" grep -qE \
	'^mini-trace: read\(".*/events/syscalls/sys_enter_exit/id"\) = [0-9]+ ' "$TMP/out.err"
check "vv: the tracepoint named at perf_event_open" grep -qE \
	'^mini-trace: perf_event_open\(\{type=PERF_TYPE_TRACEPOINT, size=[0-9]+, config=[0-9]+, .*# attach: an event on tracepoint syscalls/sys_enter_exit \(id [0-9]+\)' \
	"$TMP/out.err"
check "vv: an errno by name" grep -qE '^mini-trace: bpf\(BPF_PROG_LOAD, .*prog_name="probe"\}, [0-9]+\) = (-1 E[A-Z]+|[0-9]+) ' "$TMP/out.err"
check "vv: -v's narration kept" grep -q "^mini-trace: map 'process_names' created: fd [0-9]*\(, BTF key type [0-9]*, value type [0-9]*\)\{0,1\}$" "$TMP/out.err"
# The README's excerpt is what -vv prints today, numbers aside.
check "vv: the README's excerpt, line for line" python3 -c '
import re, sys
readme = open("README.md").read()
block = readme.split("./mini-trace exit -vv -- ./build/exit_with_code 42\n```\n```text\n", 1)[1]
excerpt = block.split("\n```", 1)[0].splitlines()
got = open(sys.argv[1]).read().splitlines()
assert len(excerpt) >= 3, excerpt
for line in excerpt:
    pat = re.sub(r"(0x[0-9a-f]+|[0-9]+)", lambda m: "0x[0-9a-f]+" if m.group(1).startswith("0x") else "[0-9]+", re.escape(line))
    assert any(re.fullmatch(pat, g) for g in got), line
' "$TMP/out.err"
mt "$TMP/out" exit -v -- "$BUILD/exit_with_code" 3
check "vv: -v alone shows no calls" test "$(grep -c '^mini-trace: \(bpf\|perf_event_open\|ioctl\|mmap\|read\)(' "$TMP/out.err")" = 0

# --json -vv: the same calls as JSON objects on stderr, every one parsing.
mt "$TMP/out" run "$EX/exit_code.bpf.o" --json -vv --expect 42 -- "$EX/exit_with_code" 42
check "vv: --json: every call a JSON object" python3 -c '
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
calls = [o for o in objs if "syscall" in o]
assert len(calls) > 20, len(calls)
for o in calls:
    assert isinstance(o["why"], str) and o["why"], o
    assert "errno" in o or o["ret"] is not None, o
c = next(o for o in calls if o.get("cmd") == "BPF_MAP_CREATE" and o["attr"]["map_type"] == "BPF_MAP_TYPE_RINGBUF")
assert c["attr"]["map_name"] == "_ep_debug_event" and c["ret"] >= 0 and c["ms"] >= 0, c
assert any("insn" in o and o["after"].startswith("r") for o in objs), "no rewrite"
' "$TMP/out.err"
python3 tests/vv_calls.py json "$TMP/out.err" >"$TMP/json.calls"
check "vv: --json: the calls are -vv's" test "$(grep -c . "$TMP/json.calls")" -gt 10

# Names an object chose, with terminal escapes: a map and a license (loaded),
# a tracepoint (looked up in tracefs); none reaches stderr raw.
python3 - "$FX/perf_output.bpf.o" "$TMP/hostile.bpf.o" "$TMP/hostile_tp.bpf.o" <<'PY'
import sys
obj = open(sys.argv[1], "rb").read()
assert obj.count(b"\0samples\0") >= 2 and obj.count(b"\0GPL\0") == 1
bad = obj.replace(b"\0samples\0", b'\0s"\x1b[2Jx\0').replace(b"\0GPL\0", b"\0G\x1b\x07\0")
open(sys.argv[2], "wb").write(bad)
assert obj.count(b"sys_enter_getppid\0") >= 1
open(sys.argv[3], "wb").write(obj.replace(b"sys_enter_getppid\0", b"sys_enter_\x1b[2J\x07id\0"))
PY
mt "$TMP/out" run "$TMP/hostile.bpf.o" -vv --timeout 0.1
check "vv: a hostile license escaped" grep -qF 'license="G\x1b\x07"' "$TMP/out.err"
check "vv: a hostile map name escaped" grep -qF "map 's\"\\x1b[2Jx'" "$TMP/out.err"
check "vv: a hostile object: no raw escape or bell" test "$(grep -c "[$ESC$BEL]" "$TMP/out.err")" = 0
mt "$TMP/out" run "$TMP/hostile_tp.bpf.o" -vv --timeout 0.1
check "vv: a hostile tracepoint: refused" test "$rc" = 1
check "vv: a hostile tracepoint escaped" \
	grep -qF '/events/syscalls/sys_enter_\x1b[2J\x07id/id") = -1 ENOENT' "$TMP/out.err"
check "vv: a hostile tracepoint: no raw escape or bell" test "$(grep -c "[$ESC$BEL]" "$TMP/out.err")" = 0
mt "$TMP/out" run "$TMP/hostile.bpf.o" --json -vv --timeout 0.1
check "vv: --json: a hostile license round-trips" python3 -c '
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1], "rb").read().splitlines() if l.startswith(b"{")]
assert any(o.get("attr", {}).get("license") == "G\x1b\x07" for o in objs), objs[:3]
' "$TMP/out.err"

# tracefs not mounted (a private mount namespace): the lookup, the mount
# and the unmount at the end, each shown.
unshare -m sh -c '
	umount /sys/kernel/debug/tracing 2>/dev/null
	umount /sys/kernel/tracing 2>/dev/null
	mountpoint -q /sys/kernel/tracing && exit 9
	exec "$0" exit -vv -- "$1" 6' "$MT" "$BUILD/exit_with_code" >"$TMP/out" 2>"$TMP/out.err"
check "vv: tracefs looked for, not there" \
	grep -q '^mini-trace: stat("/sys/kernel/tracing/events") = -1 ENOENT (.*# tracefs: ' "$TMP/out.err"
check "vv: tracefs mounted" \
	grep -q '^mini-trace: mount("/sys/kernel/tracing") = 0 (.*# tracefs: mounted by us' "$TMP/out.err"
check "vv: tracefs unmounted at the end" \
	test "$(grep '^mini-trace: [a-z_]*(' "$TMP/out.err" | tail -1 | sed 's/ (.*//')" = 'mini-trace: umount("/sys/kernel/tracing") = 0'
