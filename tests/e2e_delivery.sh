#!/bin/sh
# Delivery under a storm of events: every read of the watched file printed
# at the default settings, the traced command's own lines and ours whole in
# the one pipe they share, and losses, when a one-page ring forces them,
# counted exactly.
. tests/lib.sh
S=$BUILD/samples
T=$TMP/storm-target
printf 'hunter2\n' >"$T"

# storm OUT N EVERY OPTS: mini-trace password OPTS -- storm_lines N EVERY,
# its stdout through a pipe into OUT; mini-trace's status in $rc.
storm() {
	# shellcheck disable=SC2086 # OPTS is split on purpose
	{ timeout -s KILL 120 "$MT" password --file "$T" $4 -- "$S/storm_lines" "$2" "$3" "$T" \
		2>"$1.err"; echo $? >"$1.rc"; } | cat >"$1"
	rc=$(cat "$1.rc")
}

# events OUT: the event lines in OUT, each whole.
events() {
	grep -c '^pid=[0-9]* tid=[0-9]* comm=storm_lines fd=3 len=[1-8] data="[hunter2]*\(\\n\)\{0,1\}"$' "$1"
}

# 100,000 reads, a line of the command's own every 100: nothing lost, and
# not one line of either cut into by the other.
N=100000
storm "$TMP/out" $N 100 ""
got=$(events "$TMP/out")
mine=$(grep -c '^storm_lines [0-9]\{6\} x\{60\}$' "$TMP/out")
check "delivery: storm of $N reads: status 0, nothing lost (stderr empty)" \
	test "$rc/$(cat "$TMP/out.err")" = "0/"
check "delivery: storm of $N reads: all delivered ($got)" test "$got" = $N
check "delivery: the command's $((N / 100)) lines, each whole ($mine)" test "$mine" = $((N / 100))
check "delivery: nothing but those lines ($(wc -l <"$TMP/out") in all)" \
	test "$(wc -l <"$TMP/out")" = $((N + N / 100))
check "delivery: the bytes of every read" test "$(sed -n 's/.* len=\([0-9]\) .*/\1/p' "$TMP/out" |
	awk '{ s += $1 } END { print s }')" = $((N / 8 * 36))

# A one-page ring overflows under the same storm: what was not printed is
# what mini-trace says it lost, to the event.
N=20000
storm "$TMP/out" $N 1000 "--buffer-pages 1"
got=$(events "$TMP/out")
lost=$(sed -n 's/.*warning: \([0-9]*\) events were lost in all/\1/p' "$TMP/out.err")
check "delivery: one-page ring: status 0, some lost (${lost:-0})" test "$rc" = 0 -a "${lost:-0}" -gt 0
check "delivery: one-page ring: delivered + lost = $N exactly ($got + ${lost:-0})" \
	test $((got + ${lost:-0})) = $N
check "delivery: one-page ring: the command's lines, each whole" \
	test "$(grep -c '^storm_lines [0-9]\{6\} x\{60\}$' "$TMP/out")" = $((N / 1000))
