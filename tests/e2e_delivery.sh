#!/bin/sh
# Delivery under a storm of events: every read of the watched file printed
# at the default settings, the traced command's own lines and ours whole in
# the one pipe they share, and losses, when a one-page ring forces them,
# counted exactly, even an overflow at the very end of a run.
. tests/lib.sh
S=$BUILD/samples
T=$TMP/storm-target
printf 'hunter2\n' >"$T"

# storm OUT N EVERY OPTS: mini-trace password OPTS -- storm_lines N EVERY,
# its stdout through a pipe into OUT; mini-trace's status in $rc.
storm() {
	# shellcheck disable=SC2086 # OPTS is split on purpose
	{ timeout -s KILL 120 "$MT" password -q --file "$T" $4 -- "$S/storm_lines" "$2" "$3" "$T" \
		2>"$1.err"; echo $? >"$1.rc"; } | cat >"$1"
	rc=$(cat "$1.rc")
}

# events OUT: the event lines in OUT, each whole.
events() {
	grep -c '^pid=[0-9]* tid=[0-9]* comm="storm_lines" fd=3 len=[1-8] data="[hunter2]*\(\\n\)\{0,1\}"$' "$1"
}

# lost OUT: the events mini-trace said it lost, 0 if none.
lost() {
	sed -n 's/.*warning: \([0-9]*\) events were lost in all/\1/p' "$1.err" | grep . || echo 0
}

# 100,000 reads, a line of the command's own every 100: nothing lost, and
# not one line of either cut into by the other.  The sanitizer build's
# reader is twice as slow and may fall behind on a busy machine: for it,
# what it missed must be what it says it lost.
N=100000
storm "$TMP/out" $N 100 ""
got=$(events "$TMP/out")
lost=$(lost "$TMP/out")
mine=$(grep -c '^storm_lines [0-9]\{6\} x\{60\}$' "$TMP/out")
case $MT in
*-san)
	check "delivery: storm of $N reads (sanitizers): status 0" test "$rc" = 0
	check "delivery: storm of $N reads (sanitizers): delivered + lost = $N ($got + $lost)" \
		test $((got + lost)) = $N ;;
*)
	check "delivery: storm of $N reads: status 0, nothing lost (stderr empty)" \
		test "$rc/$(cat "$TMP/out.err")" = "0/"
	check "delivery: storm of $N reads: all delivered ($got)" test "$got" = $N
	check "delivery: the bytes of every read" test "$(sed -n 's/.* len=\([0-9]\) .*/\1/p' "$TMP/out" |
		awk '{ s += $1 } END { print s }')" = $((N / 8 * 36)) ;;
esac
check "delivery: the command's $((N / 100)) lines, each whole ($mine)" test "$mine" = $((N / 100))
check "delivery: nothing but those lines ($(wc -l <"$TMP/out") in all)" \
	test "$(wc -l <"$TMP/out")" = $((got + N / 100))

# A one-page ring, its reader stopped while 5,000 reads happen: the ring
# overflows at the very end of the run, where no later record brings the
# kernel's PERF_RECORD_LOST.  What was not printed is what mini-trace says
# it lost, to the event.
N=5000
if start_bg "$TMP/bg" password --file "$T" --buffer-pages 1 -v; then
	kill -STOP $bg
	"$S/storm_lines" $N $N "$T" >/dev/null
	kill -CONT $bg
	sleep 0.3
	kill -INT $bg
fi
wait $bg
rc=$?
got=$(events "$TMP/bg")
lost=$(lost "$TMP/bg")
check "delivery: one-page ring, overflow at the end: status 0, some lost ($lost)" \
	test "$rc" = 0 -a "$lost" -gt 0
check "delivery: one-page ring, overflow at the end: delivered + lost = $N ($got + $lost)" \
	test $((got + lost)) = $N
