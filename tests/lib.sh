# Shared by the end-to-end tests: each check prints "PASS name" or
# "FAIL name: why"; tests/run.sh counts them.
#
# MT is the mini-trace binary under test, BUILD the build directory.

: "${MT:=./mini-trace}"
: "${BUILD:=build}"
TMP=$(mktemp -d /tmp/mini-trace-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# check NAME COMMAND...: passes when COMMAND succeeds.
check() {
	name=$1; shift
	if "$@"; then pass "$name"; else fail "$name" "$*"; fi
}

# expect_out NAME EXPECTED FILE: FILE's content is exactly EXPECTED.
expect_out() {
	if [ "$(cat "$3")" = "$2" ]; then
		pass "$1"
	else
		fail "$1" "expected [$2], got [$(cat "$3")] stderr [$(cat "$3.err" 2>/dev/null)]"
	fi
}

# mt OUT ARGS...: runs mini-trace, stdout to OUT, stderr to OUT.err,
# status in $rc.  A watchdog stops a hung run after 60 s.
mt() {
	out=$1; shift
	timeout -s KILL 60 "$MT" "$@" >"$out" 2>"$out.err"
	rc=$?
}

# start_bg OUT ARGS...: starts "mini-trace ARGS" (ARGS must include -v) in the background, stdout
# to OUT and stderr to OUT.err, its pid in $bg; waits until it has attached
# its programs (fails if it never does).
start_bg() {
	out=$1; shift
	rm -f "$out" "$out.err"
	"$MT" "$@" >"$out" 2>"$out.err" &
	bg=$!
	wait_attached "$out.err"
}

# wait_attached ERRFILE: waits until a -v run has attached its programs.
wait_attached() {
	for _ in $(seq 1 200); do
		grep -q "tracing: [0-9]* programs attached" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# objects_mark, then a run, then objects_left: $left holds the BPF program
# and map ids (kobjects ids) that appeared meanwhile and are still there.
# Objects that appear after the run are other processes', as some of the
# new ones may be.  A program is freed after an RCU grace period, and its
# maps with it; tracepoints are detached in the background after
# mini-trace exits: the kernel gets up to 5 s to finish what the closed
# fds started.
objects_mark() {
	"$BUILD/kobjects" ids | sort >"$TMP/before"
}
objects_left() {
	"$BUILD/kobjects" ids | sort | comm -13 "$TMP/before" - >"$TMP/new"
	for _ in $(seq 1 50); do
		"$BUILD/kobjects" ids | sort >"$TMP/after"
		left=$(comm -12 "$TMP/new" "$TMP/after" | tr '\n' ' ')
		[ -z "$left" ] && break
		sleep 0.1
	done
}
