#!/bin/sh
# Hostile input and faults: broken objects, every way a run can end (and
# nothing left in the kernel after it), no tracefs, a ring too small for the
# event rate, and a long churn of short-lived processes.
. tests/lib.sh
FX=$BUILD/fixtures
KO=$BUILD/kobjects

# ---- broken objects through the command line: status 3, one line each.
mkdir -p "$TMP/corpus"
TEST_PARSE_CORPUS="$TMP/corpus" "$BUILD/test_parse" "$BUILD" >/dev/null
n=0 bad=""
for obj in "$TMP"/corpus/*.o; do
	"$MT" run "$obj" >"$TMP/out" 2>"$TMP/out.err"
	rc=$?
	n=$((n + 1))
	if [ "$rc" != 3 ] || [ "$(wc -l <"$TMP/out.err")" != 1 ] || [ -s "$TMP/out" ] ||
	   ! grep -q "^mini-trace: $obj: \(elf\|btf\|prog '[^']*'\): " "$TMP/out.err"; then
		bad="$bad $(basename "$obj"):$rc:$(head -c 200 "$TMP/out.err")"
	fi
done
check "faults: $n broken objects each refused with status 3 and one line" test -z "$bad" -a "$n" -ge 30
[ -z "$bad" ] || echo "# $bad"

# ---- nothing left behind: program and map ids before and after each run.
leak_check() {
	name=$1; shift
	objects_mark
	"$@"
	objects_left
	check "faults: nothing left after $name" test -z "$left"
	[ -z "$left" ] || echo "# left: $left"
}
run_plain() { "$MT" exit -- "$BUILD/exit_with_code" 1 >/dev/null 2>&1; }
run_once() { "$MT" exit --once -- "$BUILD/exit_with_code" 2 >/dev/null 2>&1; }
run_timeout() { "$MT" password --timeout 0.3 >/dev/null 2>&1; }
run_signal() {
	start_bg "$TMP/bg" exit -v && kill -"$1" $bg
	wait $bg
}
run_missing_cmd() { "$MT" exit -- "$TMP/no-such-command" >/dev/null 2>&1; }
run_rejected() { "$MT" run "$FX/rejected.bpf.o" -- /bin/true >/dev/null 2>&1; }
run_attach_fails() { "$MT" run "$FX/attach_fails.bpf.o" -- /bin/true >"$TMP/out" 2>"$TMP/out.err"; }
run_outlived() {
	# The command's child outlives mini-trace: it must hold none of our fds.
	"$MT" exit -- sh -c "sleep 2 & exec $BUILD/exit_with_code 5" >/dev/null 2>&1
}
leak_check "a normal run" run_plain
leak_check "--once" run_once
leak_check "--timeout" run_timeout
leak_check "SIGINT" run_signal INT
leak_check "SIGTERM" run_signal TERM
leak_check "a command that cannot start" run_missing_cmd
leak_check "a verifier rejection" run_rejected
leak_check "an attach failure half-way" run_attach_fails
check "faults: half-way attach failure is named" grep -q "prog 'reads_too_far': attach to syscalls/sys_enter_getppid: Permission denied (it reads past the end" "$TMP/out.err"
leak_check "a command whose child outlives the run" run_outlived

# ---- mini-trace returns before its tracepoints are detached: a child it
# leaves behind does that, holding none of the caller's files.  So $(...)
# completes with the output, the objects still go, and the child exits.
run_substituted() {
	out=$("$MT" exit -v -- "$BUILD/exit_with_code" 3 2>"$TMP/out.err")
	rc=$?
}
leak_check "a run inside \$(...)" run_substituted
check "faults: \$(mini-trace exit -- CMD) completes with the output, CMD's status 3" \
	test "$rc" = 3 -a -n "$(printf '%s\n' "$out" | grep -x 'comm="exit_with_code" pid=[0-9]* code=3')"
detacher=$(sed -n 's/^mini-trace: detaching .* in the background (pid \([0-9]*\))$/\1/p' "$TMP/out.err")
check "faults: -v names the background detach" test -n "$detacher"
# Gone, or a zombie: it has exited, and reaping it is its new parent's job.
for _ in $(seq 1 100); do
	state=$(sed 's/.*) \(.\).*/\1/' "/proc/${detacher:-0}/stat" 2>/dev/null)
	[ -z "$state" ] || [ "$state" = Z ] && break
	sleep 0.1
done
check "faults: the background detach has exited (state ${state:-gone})" test -z "$state" -o "$state" = Z

# ---- tracefs not mounted: mini-trace mounts it (in a private mount namespace),
# and unmounts it when done: what it mounted is not left behind.
unshare -m sh -c '
	umount /sys/kernel/debug/tracing 2>/dev/null
	umount /sys/kernel/tracing 2>/dev/null
	mountpoint -q /sys/kernel/tracing && exit 9
	"$0" exit -v -- "$1" 6
	rc=$?
	if mountpoint -q /sys/kernel/tracing; then echo mounted; else echo unmounted; fi >"$2"
	exit $rc' "$MT" "$BUILD/exit_with_code" "$TMP/tracefs" >"$TMP/out" 2>"$TMP/out.err"
check "faults: without tracefs, mini-trace mounts it and works" \
	grep -qx 'comm="exit_with_code" pid=[0-9]* code=6' "$TMP/out"
check "faults: ... and says where" grep -q "tracefs: /sys/kernel/tracing" "$TMP/out.err"
check "faults: ... and leaves /sys/kernel/tracing unmounted ($(cat "$TMP/tracefs" 2>/dev/null))" \
	grep -qx unmounted "$TMP/tracefs"

# ---- a ring too small: stop the reader, make 300 events, count exactly.
start_bg "$TMP/bg" exit --buffer-pages 1 -v
kill -STOP $bg
i=0
while [ $i -lt 300 ]; do "$BUILD/exit_with_code" 1; i=$((i + 1)); done
kill -CONT $bg
sleep 0.2
kill -INT $bg
wait $bg
delivered=$(grep -c '^comm="exit_with_code"' "$TMP/bg")
lost=$(sed -n 's/.*warning: \([0-9]*\) events were lost in all/\1/p' "$TMP/bg.err")
check "faults: a one-page ring loses events" test "${lost:-0}" -gt 0
check "faults: delivered + lost = 300 exactly ($delivered + ${lost:-0})" test $((delivered + ${lost:-0})) = 300

# ---- long runs: 10,000 short-lived processes; the maps stay small.
# An entry is stale when its pid is gone; one that is gone in two looks
# 0.3 s apart was left behind (the machine's other processes come and go
# meanwhile, so a count against the live processes would race them).
gone() { for k in $("$KO" keys $bg $1); do [ -d /proc/$k ] || echo $k; done | sort; }
stale() {
	gone $1 >"$TMP/gone1"
	sleep 0.3
	gone $1 >"$TMP/gone2"
	comm -12 "$TMP/gone1" "$TMP/gone2" | wc -l
}
start_bg "$TMP/bg" exit -v
"$BUILD/samples/churn" 10000 /bin/true
names=$("$KO" count $bg process_names)
stale=$(stale process_names)
# Which they are, when some are (bpftool, test-time only, prints them typed).
if [ "$stale" != 0 ] && command -v bpftool >/dev/null; then
	bpftool map dump name process_names | grep -A6 -E "\"key\": ($(paste -sd'|' "$TMP/gone2"))," | head -40
fi
check "faults: exit: after 10,000 processes, $stale of process_names' $names entries are for pids that are gone" \
	test "$stale" = 0 -a "$names" -lt 10000
"$BUILD/exit_with_code" 8
sleep 0.2
kill -INT $bg
wait $bg
check "faults: exit: a target after the churn is still reported" \
	grep -qx 'comm="exit_with_code" pid=[0-9]* code=8' "$TMP/bg"

printf 'hunter2\n' >"$TMP/target"
start_bg "$TMP/bg" password --file "$TMP/target" -v
"$BUILD/samples/churn" 10000 /bin/true "$TMP/target"
for map in fd_tables open_calls read_calls fd_calls; do
	entries=$("$KO" count $bg $map)
	stale=$(stale $map)
	check "faults: password: after 10,000 processes, $stale of $map's ${entries:-?} entries are for threads that are gone" \
		test -n "$entries" -a "$stale" = 0
done
# Each child made an fd table and exited: the counts of entries kept in .bss
# for the read programs' shortcut (and events_lost) are all back at 0.
bss=$("$KO" words "$bg" .bss)
check "faults: password: after 10,000 processes, .bss is all 0 ($bss)" \
	test -n "$bss" -a "$bss" = "$(echo "$bss" | sed 's/[0-9]*/0/g')"
cat "$TMP/target" >/dev/null
sleep 0.2
kill -INT $bg
wait $bg
check "faults: password: a read after the churn is still reported" \
	grep -q 'comm="cat" fd=3 len=8 data="hunter2\\n"' "$TMP/bg"
