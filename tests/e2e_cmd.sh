#!/bin/sh
# -- CMD and start-up: mini-trace exits with CMD's status, never leaves CMD
# running when it stops first, says when tracing has started (-q: not), and
# names the real cause of three failures whose errno points elsewhere: out
# of file descriptors, tracefs unreadable, a tracepoint already full.
. tests/lib.sh
EX=$BUILD/examples
FX=$BUILD/fixtures
KO=$BUILD/kobjects

# ---- CMD's status is mini-trace's, as with strace and time.
mt "$TMP/out" exit -q -- "$BUILD/exit_with_code" 3
check "cmd: CMD exits 3: status 3 ($rc)" test "$rc" = 3
check "cmd: ... and its event is printed" grep -qx 'comm="exit_with_code" pid=[0-9]* code=3' "$TMP/out"
mt "$TMP/out" exit -q -- sh -c 'kill -KILL $$'
check "cmd: CMD killed by SIGKILL: status 137 ($rc)" test "$rc" = 137
mt "$TMP/out" password -q --file "$TMP/no-such-file" -- sh -c 'exit 5'
check "cmd: password -- CMD exits 5: status 5 ($rc)" test "$rc" = 5
mt "$TMP/out" run "$EX/exit_code.bpf.o" -q -- "$EX/exit_with_code" 42
check "cmd: run without --expect: CMD's status 42 ($rc)" test "$rc" = 42
# --expect judges: its verdict, whatever CMD's status.
mt "$TMP/out" run "$EX/exit_code.bpf.o" -q --expect 42 -- "$EX/exit_with_code" 42
check "cmd: run --expect, right answer, CMD exits 42: status 0 ($rc)" test "$rc" = 0
mt "$TMP/out" run "$EX/exit_code.bpf.o" -q --expect 41 -- "$EX/exit_with_code" 42
check "cmd: run --expect, wrong answer: status 1 ($rc)" test "$rc" = 1
mt "$TMP/out" run "$EX/exit_code.bpf.o" -q --expect 7 -- sh -c "$EX/exit_with_code 7; kill -KILL \$\$"
check "cmd: run --expect, right answer, CMD killed: status 0 ($rc)" test "$rc" = 0
# mini-trace's own failure wins.
mt "$TMP/out" run "$FX/rejected.bpf.o" -q -- sh -c 'exit 0'
check "cmd: a verifier rejection is status 1 ($rc)" test "$rc" = 1
mt "$TMP/out" exit -q -- "$TMP/does-not-exist"
check "cmd: a CMD that cannot start is status 1 ($rc)" test "$rc" = 1

# ---- mini-trace stops first: CMD is ended and reaped before it exits.
# gone PIDFILE: the process whose pid is in PIDFILE no longer exists (not
# even as a zombie: mini-trace reaped it).
gone() {
	pid=$(cat "$1" 2>/dev/null)
	[ -n "$pid" ] && ! [ -e "/proc/$pid" ]
}
# CMD: a shell that writes its pid, then becomes a 30 s sleep.
sleeper='echo $$ >"$0"; exec sleep 30'

t0=$(date +%s%N)
mt "$TMP/out" exit -q -v --timeout 0.3 -- sh -c "$sleeper" "$TMP/pid"
ms=$((($(date +%s%N) - t0) / 1000000))
check "cmd: --timeout: CMD is gone" gone "$TMP/pid"
check "cmd: --timeout: ended within 5 s ($ms ms)" test "$ms" -lt 5000
check "cmd: --timeout: CMD's status, 143 for SIGTERM ($rc)" test "$rc" = 143
check "cmd: --timeout: -v says CMD was sent SIGTERM" grep -q "command still running: sent SIGTERM" "$TMP/out.err"

rm -f "$TMP/pid"
mt "$TMP/out" exit -q --once -- sh -c 'echo $$ >"$0"; "$1" 4; exec sleep 30' "$TMP/pid" "$BUILD/exit_with_code"
check "cmd: --once: the event" grep -qx 'comm="exit_with_code" pid=[0-9]* code=4' "$TMP/out"
check "cmd: --once: CMD is gone" gone "$TMP/pid"
check "cmd: --once: status 143 ($rc)" test "$rc" = 143

# A signal to mini-trace alone: SIGTERM is passed on at once; after SIGINT,
# which a terminal sends CMD as well, CMD has a second to end by itself.
for sig in TERM INT; do
	rm -f "$TMP/pid"
	if start_bg "$TMP/bg" exit -v -- sh -c "$sleeper" "$TMP/pid"; then
		for _ in $(seq 1 100); do [ -s "$TMP/pid" ] && break; sleep 0.05; done
		kill -$sig $bg
	fi
	wait $bg
	rc=$?
	check "cmd: SIG$sig to mini-trace: CMD is gone" gone "$TMP/pid"
	check "cmd: SIG$sig to mini-trace: status 143 ($rc)" test "$rc" = 143
done

# A CMD that ignores SIGTERM is killed a second later.
rm -f "$TMP/pid"
t0=$(date +%s%N)
mt "$TMP/out" exit -q -v --timeout 0.2 -- sh -c "trap '' TERM; $sleeper" "$TMP/pid"
ms=$((($(date +%s%N) - t0) / 1000000))
check "cmd: SIGTERM ignored: CMD is gone" gone "$TMP/pid"
check "cmd: SIGTERM ignored: status 137 ($rc)" test "$rc" = 137
check "cmd: SIGTERM ignored: -v says CMD was sent SIGKILL" grep -q "command still running: sent SIGKILL" "$TMP/out.err"
check "cmd: SIGTERM ignored: 1 s of grace, not more ($ms ms)" test "$ms" -ge 1000 -a "$ms" -lt 5000

# ---- the line that says tracing has started.
"$MT" exit -- "$BUILD/exit_with_code" 6 >"$TMP/both" 2>&1
check "start: the line, then the event" python3 -c '
import re, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 2, lines
assert re.fullmatch(r"mini-trace: tracing: \d+ programs attached; running the command", lines[0]), lines
assert re.fullmatch(r"comm=\"exit_with_code\" pid=\d+ code=6", lines[1]), lines
' "$TMP/both"

# In the background, without -v: once the line is there, events are seen.
rm -f "$TMP/bg" "$TMP/bg.err"
"$MT" exit --once >"$TMP/bg" 2>"$TMP/bg.err" &
bg=$!
for _ in $(seq 1 200); do [ -s "$TMP/bg.err" ] && break; sleep 0.05; done
check "start: without -- CMD, the line says how to stop" \
	grep -qx "mini-trace: tracing: [0-9]* programs attached; Ctrl-C to stop" "$TMP/bg.err"
"$BUILD/exit_with_code" 9
for _ in $(seq 1 100); do kill -0 $bg 2>/dev/null || break; sleep 0.05; done
kill $bg 2>/dev/null
wait $bg
check "start: an exit right after the line is seen" grep -qx 'comm="exit_with_code" pid=[0-9]* code=9' "$TMP/bg"

for q in -q --quiet; do
	mt "$TMP/out" exit $q -- "$BUILD/exit_with_code" 0
	check "start: $q: stderr empty, the event printed" \
		test "$rc/$(cat "$TMP/out.err")/$(grep -c code=0 "$TMP/out")" = "0//1"
done
mt "$TMP/out" exit -q -- "$TMP/does-not-exist"
check "start: -q keeps errors" grep -q "cannot run '$TMP/does-not-exist'" "$TMP/out.err"

# ---- out of file descriptors: the limit and what is needed, not a
# verifier log.  Each limit fails at another step (signalfd, tracefs ids,
# maps, loads, perf rings, attach); every failure must say the same.
n=4 failed=0 bad=""
while [ $n -le 64 ]; do
	for cmd in exit password; do
		(ulimit -n $n && exec "$MT" $cmd -q -- /bin/true) >"$TMP/out" 2>"$TMP/out.err"
		rc=$?
		# 127: the dynamic loader could not open the sanitizer's libraries.
		[ $rc = 0 ] || [ $rc = 127 ] && continue
		failed=$((failed + 1))
		if [ $rc != 1 ] || [ "$(wc -l <"$TMP/out.err")" != 1 ] ||
		   ! grep -q "^mini-trace: too many open files (ulimit -n is $n[;)]" "$TMP/out.err"; then
			bad="$bad [$cmd $n: $rc: $(head -c 300 "$TMP/out.err")]"
		fi
		need=$(sed -n "s/.*mini-trace $cmd needs about \([0-9]*\))$/\1/p" "$TMP/out.err")
		[ -n "$need" ] && eval "need_$cmd=$need"
	done
	n=$((n + 2))
done
check "fds: $failed runs out of file descriptors, each says so in one line" test -z "$bad" -a "$failed" -ge 6
[ -z "$bad" ] || echo "# $bad"
# "about": the estimate, and a few fds this shell may have left open, suffice.
for cmd in exit password; do
	eval "need=\${need_$cmd:-}"
	(ulimit -n $((${need:-0} + 8)) && exec "$MT" $cmd -q -- /bin/true) >"$TMP/out" 2>"$TMP/out.err"
	rc=$?
	check "fds: $cmd with ulimit -n ${need:-?} + 8 works ($rc)" test -n "$need" -a "$rc" = 0
done

# ---- tracefs root's alone (mode 0700, its default): a user with CAP_BPF
# and CAP_PERFMON is told about tracefs, not to get those.  In a mount
# namespace of its own, so the host's mounts stay as they are.
as_bpf_user() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare -m --propagation private sh -c '
		caps=$1; shift
		'"$1"'
		exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
			--inh-caps="$caps" --ambient-caps="$caps" "$@"' sh "$2" "$MT" exit -- "$BUILD/exit_with_code" 5 \
		>"$TMP/out" 2>"$TMP/out.err"
	rc=$?
}
mounted='mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing || exit 9
	[ "$(stat -c %a /sys/kernel/tracing)" = 700 ] || exit 8'
as_bpf_user "$mounted" +bpf,+perfmon
if [ $rc = 8 ]; then
	echo "SKIP tracefs: it is not mode 0700 on this machine"
else
	check "tracefs: mode 0700, CAP_BPF+CAP_PERFMON: status 1 ($rc)" test "$rc" = 1
	check "tracefs: ... the message names tracefs and its mode" \
		grep -q "^mini-trace: tracefs: cannot read /sys/kernel/tracing (mode 0700, owner root) (run as root, or with CAP_DAC_READ_SEARCH" "$TMP/out.err"
	check "tracefs: ... and not the capabilities the user has" \
		sh -c '! grep -q "with CAP_BPF and CAP_PERFMON" "$1"' sh "$TMP/out.err"
	# What the message advises works.
	as_bpf_user "$mounted" +bpf,+perfmon,+dac_read_search
	check "tracefs: with CAP_DAC_READ_SEARCH as advised, it works" \
		grep -qx 'comm="exit_with_code" pid=[0-9]* code=5' "$TMP/out"
fi
as_bpf_user 'umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug/tracing 2>/dev/null
	! mountpoint -q /sys/kernel/tracing || exit 9' +bpf,+perfmon
check "tracefs: not mounted, CAP_BPF+CAP_PERFMON: status 1 ($rc)" test "$rc" = 1
check "tracefs: ... the message says mounting it needs CAP_SYS_ADMIN" \
	grep -q "^mini-trace: tracefs: not mounted and cannot mount it: Operation not permitted (mounting it needs CAP_SYS_ADMIN" "$TMP/out.err"

# ---- a tracepoint with 64 programs on it already: the kernel's limit,
# BPF_TRACE_MAX_PROGS, named.  63 leave room for mini-trace's one.
crowd() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare -m --propagation private sh -c '
		mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
		"$1" crowd /sys/kernel/tracing/events/syscalls/sys_enter_exit_group/id "$2" >"$3" &
		crowd=$!
		for _ in $(seq 1 200); do grep -q attached "$3" && break; sleep 0.05; done
		"$4" exit -q -- "$5" 3
		rc=$?
		kill $crowd
		wait $crowd
		exit $rc' sh "$KO" "$1" "$TMP/crowd" "$MT" "$BUILD/exit_with_code" >"$TMP/out" 2>"$TMP/out.err"
	rc=$?
}
crowd 63
check "tracepoint limit: 63 others leave room: the event" \
	grep -qx 'comm="exit_with_code" pid=[0-9]* code=3' "$TMP/out"
crowd 64
check "tracepoint limit: 64 others attached" grep -qx "attached 64" "$TMP/crowd"
check "tracepoint limit: status 1 ($rc)" test "$rc" = 1
check "tracepoint limit: the message names the limit" grep -q \
	"^mini-trace: prog '[a-z_]*': attach to syscalls/sys_enter_exit_group: Argument list too long (the kernel allows at most 64 BPF programs on one tracepoint" \
	"$TMP/out.err"
