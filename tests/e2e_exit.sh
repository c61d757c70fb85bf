#!/bin/sh
# mini-trace exit, end to end: real programs loaded into the running kernel,
# real processes, and assertions on exactly what mini-trace printed.
. tests/lib.sh

# Each exit code, through libc's exit() (exit_group) and the raw exit syscall.
for sample in "$BUILD/exit_with_code" "$BUILD/raw/exit_with_code" "$BUILD/threads/exit_with_code"; do
	kind=$(basename "$(dirname "$sample")")
	for code in 0 1 42 255; do
		mt "$TMP/out" exit -- "$sample" "$code"
		pid=$(sed -n 's/.* pid=\([0-9]*\) .*/\1/p' "$TMP/out")
		expect_out "exit: $kind sample, code $code" \
			"comm=\"exit_with_code\" pid=$pid code=$code" "$TMP/out"
		# mini-trace's status is the command's.
		[ "$rc" = "$code" ] || fail "exit: $kind sample, code $code: status" "$rc"
	done
done

# The code is what the shell sees: exit(300) is 300 & 0xff.
mt "$TMP/out" exit -- "$BUILD/exit_with_code" 300
check "exit: code as \$? sees it (300 -> 44)" grep -qx 'comm="exit_with_code" pid=[0-9]* code=44' "$TMP/out"

# Another name is not reported, unless asked for with --comm.
cp "$BUILD/exit_with_code" "$TMP/other_name"
mt "$TMP/out" exit -- "$TMP/other_name" 7
expect_out "exit: other names are not reported" "" "$TMP/out"
mt "$TMP/out" exit --comm other_name -- "$TMP/other_name" 7
check "exit: --comm selects another name" grep -qx 'comm="other_name" pid=[0-9]* code=7' "$TMP/out"

# A grandchild's exit is an event the command caused: it is printed.
mt "$TMP/out" exit -- sh -c "$BUILD/exit_with_code 3; $BUILD/raw/exit_with_code 4; exit 0"
check "exit: events of the command's children" \
	test "$(sed 's/pid=[0-9]*/pid=P/' "$TMP/out" | tr '\n' ' ')" = \
	"comm=\"exit_with_code\" pid=P code=3 comm=\"exit_with_code\" pid=P code=4 "

# The same two exits on two CPUs, the later one on the CPU whose ring is read
# first: printed in the order they happened, not ring by ring.
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
	mt "$TMP/out" exit -- sh -c "taskset -c 1 $BUILD/exit_with_code 3; taskset -c 0 $BUILD/exit_with_code 4"
	check "exit: events on two CPUs in the order they happened" \
		test "$(sed 's/pid=[0-9]*/pid=P/' "$TMP/out" | tr '\n' ' ')" = \
		"comm=\"exit_with_code\" pid=P code=3 comm=\"exit_with_code\" pid=P code=4 "
else
	echo "SKIP exit: events on two CPUs in order: needs 2 CPUs and taskset"
fi

# ---- How it ended: what wait(2) returns, and for whichever process has the name.
# ender, named exit_with_code, ends in the way its first argument says.
mkdir -p "$TMP/bin"
E=$TMP/bin/exit_with_code
cp "$BUILD/samples/ender" "$E"

# The leader thread leaves first (pthread_exit), another thread calls exit(7):
# wait(2) gives 7 (the group's exit code), not the leader's 0.
mt "$TMP/out" exit -- "$E" leader 7
check "exit: leader gone first, then exit(7) in another thread: code=7" \
	grep -qx 'comm="exit_with_code" pid=[0-9]* code=7' "$TMP/out"
check "exit: leader gone first: one line" test "$(wc -l <"$TMP/out")" = 1

# Killed by a signal: reported with it (the shell's 128+N).  A fatal signal
# without a core dump reaches the threads as SIGKILL: TERM and HUP must still
# be themselves.  kill_ready.sh BIN SIG DIR: starts "BIN ready", kills it once
# it is ready, and writes "PID STATUS" to DIR/st.
cat >"$TMP/kill_ready.sh" <<'SH'
rm -f "$3/ready"
"$1" ready >"$3/ready" &
p=$!
until [ -s "$3/ready" ]; do sleep 0.01; done
kill -"$2" $p
wait $p
echo "$p $?" >"$3/st"
SH
for sig in KILL:137 TERM:143 HUP:129; do
	signame=${sig%:*}
	mt "$TMP/out" exit -- sh "$TMP/kill_ready.sh" "$E" "$signame" "$TMP"
	read -r p st <"$TMP/st"
	check "exit: SIG$signame: the shell saw $st" test "$st" = "${sig#*:}"
	expect_out "exit: killed by SIG$signame" "comm=\"exit_with_code\" pid=$p signal=SIG$signame" "$TMP/out"
done
for how in segv:SIGSEGV:139 abort:SIGABRT:134; do
	mode=${how%%:*}
	mt "$TMP/out" exit -- sh -c 'ulimit -c 0; "$1" "$2"; echo $? >"$3"' sh "$E" "$mode" "$TMP/st"
	check "exit: $mode: the shell saw $(cat "$TMP/st")" test "$(cat "$TMP/st")" = "${how##*:}"
	sig=${how#*:}
	check "exit: $mode: reported as ${sig%:*}" grep -qx "comm=\"exit_with_code\" pid=[0-9]* signal=${sig%:*}" "$TMP/out"
done
mt "$TMP/out" exit --json -- sh "$TMP/kill_ready.sh" "$E" TERM "$TMP"
check "exit: --json: the signal by name, no code" python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
e = json.loads(lines[0])
assert e == {"comm": "exit_with_code", "pid": e["pid"], "signal": "SIGTERM"}, e
' "$TMP/out"

# The name when it exits counts, however it was got: prctl(PR_SET_NAME), a
# write to /proc/self/comm, fork without exec; and a name given up is not.
mt "$TMP/out" exit -- "$BUILD/samples/ender" rename exit_with_code 9
check "exit: renamed by prctl" grep -qx 'comm="exit_with_code" pid=[0-9]* code=9' "$TMP/out"
mt "$TMP/out" exit -- "$BUILD/samples/ender" comm exit_with_code 8
check "exit: renamed through /proc/self/comm" grep -qx 'comm="exit_with_code" pid=[0-9]* code=8' "$TMP/out"
mt "$TMP/out" exit -- "$E" rename other_name 9
expect_out "exit: renamed away from the name: not reported" "" "$TMP/out"
mt "$TMP/out" exit -- "$E" fork 4
check "exit: a forked child without exec, then its parent" \
	test "$(sed 's/pid=[0-9]*/pid=P/' "$TMP/out" | tr '\n' ' ')" = \
	"comm=\"exit_with_code\" pid=P code=4 comm=\"exit_with_code\" pid=P code=0 "

# Processes running before mini-trace started: one single-threaded, one whose
# leader has left and whose last of 4 threads calls exit(6) (the name and the
# threads alive can only come from /proc).  Each exits once $TMP/go exists.
for pre in "5" "6 3"; do
	rm -f "$TMP/go" "$TMP/ready"
	# shellcheck disable=SC2086
	"$E" wait "$TMP/go" $pre >"$TMP/ready" &
	prepid=$!
	for _ in $(seq 1 500); do [ -s "$TMP/ready" ] && break; sleep 0.01; done
	if start_bg "$TMP/bg" exit -v; then
		touch "$TMP/go"
		wait $prepid
		for _ in $(seq 1 100); do [ -s "$TMP/bg" ] && break; sleep 0.05; done
		sleep 0.2
	fi
	touch "$TMP/go"
	kill -TERM $bg
	wait $bg
	expect_out "exit: started before mini-trace (wait $pre)" \
		"comm=\"exit_with_code\" pid=$prepid code=${pre% *}" "$TMP/bg"
done

# pids as mini-trace's pid namespace sees them.  A process in a new namespace
# has a pid in ours too (read from /proc/self/stat: /proc is still ours).
mt "$TMP/out" exit -- unshare --pid --fork sh -c \
	'read -r p rest </proc/self/stat; echo $p >"$1"; exec "$2" 6' sh "$TMP/pid" "$BUILD/exit_with_code"
expect_out "exit: a process in a child pid namespace, by our pid for it" \
	"comm=\"exit_with_code\" pid=$(cat "$TMP/pid") code=6" "$TMP/out"
# mini-trace in a pid namespace of its own sees that namespace's pids.
timeout -s KILL 60 unshare --pid --fork --mount-proc "$MT" exit -- \
	sh -c 'echo $$ >"$1"; exec "$2" 4' sh "$TMP/pid" "$BUILD/exit_with_code" >"$TMP/out" 2>"$TMP/out.err"
check "exit: inside a pid namespace: small pid $(cat "$TMP/pid")" test "$(cat "$TMP/pid")" -lt 10
expect_out "exit: inside a pid namespace, by its pids" \
	"comm=\"exit_with_code\" pid=$(cat "$TMP/pid") code=4" "$TMP/out"

# --json: one object per line with comm, pid and code.
mt "$TMP/out" exit --json -- "$BUILD/exit_with_code" 42
check "exit: --json parses" python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
e = json.loads(lines[0])
assert e["comm"] == "exit_with_code" and e["code"] == 42 and e["pid"] > 0, e
' "$TMP/out"
check "exit: --json passes json.tool" python3 -m json.tool "$TMP/out" /dev/null

# Usage errors: status 2 and one line naming the problem (plus the hint).
mt "$TMP/out" exit --comm this_name_is_far_too_long
check "exit: over-long --comm is a usage error" test "$rc" = 2
check "exit: over-long --comm message" grep -q -- "--comm 'this_name_is_far_too_long'" "$TMP/out.err"
mt "$TMP/out" exit --bogus
check "exit: unknown option is a usage error" test "$rc" = 2
mt "$TMP/out" exit --timeout soon
check "exit: bad --timeout is a usage error" test "$rc" = 2
# Seconds to the millisecond, in decimal: nothing strtod() alone would take.
for bad in 1.2345 2. .5 -1 +1 " 1" 1e3 0x10 inf 31536000.001; do
	mt "$TMP/out" exit --timeout "$bad"
	check "exit: --timeout '$bad' is a usage error" test "$rc" = 2
done
for bad in 3 64.0 0 131072; do
	mt "$TMP/out" exit --buffer-pages "$bad"
	check "exit: --buffer-pages $bad is a usage error" test "$rc" = 2
done
mt "$TMP/out" nosuchcommand
check "exit: unknown command is a usage error" test "$rc" = 2
# An argument is the user's, but may be pasted from anywhere: a control
# byte in it is shown escaped, not sent to the terminal.
mt "$TMP/out" "$(printf 'no\033[31mcommand')"
expect_out "exit: a usage error shows an argument's control bytes escaped" \
	"mini-trace: unknown command 'no\\x1b[31mcommand' (see 'mini-trace --help')" "$TMP/out.err"
mt "$TMP/out" --help
check "exit: --help" grep -q '^usage: mini-trace' "$TMP/out"
mt "$TMP/out" --version
check "exit: --version" grep -q '^mini-trace [0-9]' "$TMP/out"

# A command that cannot be started: one clear line, status 1.
mt "$TMP/out" exit -- "$TMP/does-not-exist"
check "exit: missing command fails with status 1" test "$rc" = 1
check "exit: missing command message" grep -q "cannot run '$TMP/does-not-exist'" "$TMP/out.err"

# Tracing everything (no command): --once stops at the first event.
if start_bg "$TMP/bg" exit --once -v; then
	"$BUILD/exit_with_code" 9
	for _ in $(seq 1 100); do kill -0 $bg 2>/dev/null || break; sleep 0.05; done
fi
if kill -0 $bg 2>/dev/null; then
	kill -KILL $bg
	fail "exit: --once exits after one event" "still running"
else
	wait $bg
	check "exit: --once exits after one event, status 0" test $? = 0
	check "exit: --once output" grep -qx 'comm="exit_with_code" pid=[0-9]* code=9' "$TMP/bg"
fi
check "exit: -v narrates maps" grep -q "map 'process_names' created: fd [0-9]" "$TMP/bg.err"
check "exit: -v narrates relocations" grep -q "insn [0-9]*: map 'process_names'" "$TMP/bg.err"
check "exit: -v narrates loads" grep -q "prog 'on_process_start' loaded: fd" "$TMP/bg.err"
check "exit: -v narrates attach" grep -q "attached to syscalls/sys_enter_exit_group" "$TMP/bg.err"
# Ends before beginnings (sections.c): attaching one tracepoint can take a
# quarter of a second, and a process exec'd while on_process_gone was not
# yet attached left its entry behind for good.
order=$(sed -n "s/^mini-trace: prog '\([a-z_]*\)' attached to .*/\1/p" "$TMP/bg.err" | paste -sd' ')
check "exit: on_process_gone attaches first, on_thread_start and on_process_start last ($order)" \
	test "${order%% *}" = on_process_gone -a \
	"$(printf '%s\n' ${order#* * * * * } | sort | paste -sd' ')" = "on_process_start on_thread_start"
check "exit: -v narrates the processes entered from /proc" \
	grep -q "exit: [1-9][0-9]* processes already running entered in process_names" "$TMP/bg.err"
check "exit: -v summary" grep -q "events: 1, lost: 0" "$TMP/bg.err"

# --timeout with nothing to report (a name nothing runs under): ends by
# itself, no sooner than asked (counted from the attach), status 0, no output.
t0=$(date +%s%N)
mt "$TMP/out" exit --comm no_such_comm --timeout 1.25
ms=$((($(date +%s%N) - t0) / 1000000))
check "exit: --timeout ends the run" test "$rc" = 0
check "exit: --timeout 1.25 lasts at least 1,250 ms ($ms)" test "$ms" -ge 1250
expect_out "exit: --timeout with no events prints nothing" "" "$TMP/out"

# SIGINT and SIGTERM end the run cleanly.
for sig in INT TERM; do
	start_bg "$TMP/bg" exit -v
	kill -$sig $bg
	wait $bg
	check "exit: SIG$sig ends the run with status 0" test $? = 0
done

# Without privileges: one line naming the problem, status 1, nothing loaded.
setpriv --reuid=nobody --regid=nogroup --clear-groups "$MT" exit -- /bin/true >"$TMP/out" 2>"$TMP/out.err"
check "exit: not root fails with status 1" test $? = 1
# (tracefs, root's alone by default, or not mounted, may be the first thing
# it cannot use: the hint is then about tracefs.)
check "exit: not root says how to fix it" grep -q "(run as root, or with CAP_\|run as root, or mount it" "$TMP/out.err"
check "exit: not root, one line" test "$(wc -l <"$TMP/out.err")" = 1
capsh --drop=cap_bpf,cap_perfmon,cap_sys_admin -- -c "$MT exit -- /bin/true" >"$TMP/out" 2>"$TMP/out.err"
check "exit: root without CAP_BPF/CAP_PERFMON fails with status 1" test $? = 1
check "exit: missing capabilities named" \
	grep -q "Operation not permitted (run as root, or with CAP_BPF and CAP_PERFMON)\|mounting it needs CAP_SYS_ADMIN" "$TMP/out.err"
