#!/bin/sh
# Honest output under every condition: a failed write is one line and status
# 1, never a line written in part; a stalled reader never holds up
# --timeout or a signal, and what it did not take is counted; a reader that
# goes away is noticed at once; every name a traced process or an object
# chose is quoted and escaped, on stdout and on stderr alike.
. tests/lib.sh
FX=$BUILD/fixtures
EX=$BUILD/examples
ESC=$(printf '\033')

# one_line NAME FILE: FILE holds exactly one line.
one_line() { check "$1" test "$(wc -l <"$2")" = 1; }

# ---- write errors --------------------------------------------------------

# (-q: the line that says tracing has started is not the one looked for.)
"$MT" exit -q -- "$BUILD/exit_with_code" 3 >/dev/full 2>"$TMP/full.err"
rc=$?
check "honest: stdout on /dev/full: status 1" test "$rc" = 1
one_line "honest: stdout on /dev/full: one line" "$TMP/full.err"
check "honest: stdout on /dev/full: names the error" \
	grep -q "^mini-trace: stdout: No space left on device: 1 line not written$" "$TMP/full.err"
for opt in --help --version; do
	"$MT" $opt >/dev/full 2>"$TMP/full.err"
	rc=$?
	check "honest: $opt on /dev/full: status 1" test "$rc" = 1
	one_line "honest: $opt on /dev/full: one line" "$TMP/full.err"
done

# whole_lines FILE: FILE is not empty, and each line of it a whole exit line.
whole_lines() {
	test -s "$1" && test "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' ')" = 0a &&
		! grep -qvx 'comm="exit_with_code" pid=[0-9]* code=1' "$1"
}
loop="i=0; while [ \$i -lt 300 ]; do $BUILD/exit_with_code 1; i=\$((i + 1)); done"

# A disk that fills mid-run: a tmpfs of one page, in a mount namespace of
# its own.  The write that crosses its end lands in part; that part is
# taken back out.
mkdir "$TMP/mnt"
unshare -m sh -c "mount -t tmpfs -o size=4k mini-trace-test '$TMP/mnt' &&
	'$MT' exit -q -- sh -c '$loop' >'$TMP/mnt/out' 2>'$TMP/disk.err'; echo \$? >'$TMP/disk.rc';
	cp '$TMP/mnt/out' '$TMP/disk.out'"
check "honest: full disk: status 1" test "$(cat "$TMP/disk.rc")" = 1
one_line "honest: full disk: one line" "$TMP/disk.err"
check "honest: full disk: names the error" \
	grep -q "^mini-trace: stdout: No space left on device: [1-9][0-9]* lines\{0,1\} not written$" "$TMP/disk.err"
check "honest: full disk: only whole lines in the file" whole_lines "$TMP/disk.out"

# The same at RLIMIT_FSIZE (4,000 bytes: no line ends there).
prlimit --fsize=4000 "$MT" exit -q -- sh -c "$loop" >"$TMP/fsize.out" 2>"$TMP/fsize.err"
rc=$?
check "honest: past RLIMIT_FSIZE: status 1" test "$rc" = 1
one_line "honest: past RLIMIT_FSIZE: one line" "$TMP/fsize.err"
check "honest: past RLIMIT_FSIZE: names the error" grep -q "^mini-trace: stdout: File too large" "$TMP/fsize.err"
check "honest: past RLIMIT_FSIZE: only whole lines in the file" whole_lines "$TMP/fsize.out"

# ---- a reader that stalls, or goes away ----------------------------------

for mode in timeout TERM INT gone; do
	python3 tests/stall.py "$MT" "$BUILD" $mode
done
# SIGHUP ends a run like SIGTERM: the last drain, and everything released.
objects_mark
python3 tests/stall.py "$MT" "$BUILD" HUP
objects_left
check "honest: SIGHUP with a stalled reader leaves nothing in the kernel" test -z "$left"

# ---- names the traced world chose ----------------------------------------

# A process name that reads as fields: quoted, so it cannot pass for them.
forged='a pid=1 code=0'
cp "$BUILD/exit_with_code" "$TMP/$forged"
mt "$TMP/out" exit --comm "$forged" -- "$TMP/$forged" 5
check "honest: exit: a name like fields is quoted" \
	grep -qx 'comm="a pid=1 code=0" pid=[0-9]* code=5' "$TMP/out"

# Terminal escapes, a quote and a backslash in a name: escaped, in text and JSON.
hostile=$(printf 'x\033[2J"\\')
cp "$BUILD/exit_with_code" "$TMP/$hostile"
mt "$TMP/out" exit --comm "$hostile" -- "$TMP/$hostile" 6
check "honest: exit: a hostile name escaped" \
	grep -qxF "comm=\"x\\x1b[2J\\\"\\\\\" pid=$(sed -n 's/.* pid=\([0-9]*\) .*/\1/p' "$TMP/out") code=6" "$TMP/out"
mt "$TMP/out" exit --json --comm "$hostile" -- "$TMP/$hostile" 6
check "honest: exit --json: a hostile name round-trips" python3 -c '
import json, sys
lines = open(sys.argv[1], "rb").read().splitlines()
assert len(lines) == 1 and b"\x1b" not in lines[0], lines
e = json.loads(lines[0])
assert e["comm"] == "x\x1b[2J\"\\" and e["code"] == 6, e
' "$TMP/out"

# Names set with prctl(PR_SET_NAME), seen by the password command.
printf 'hunter2\n' >"$TMP/pw"
rename_and_read='import ctypes, sys
ctypes.CDLL(None).prctl(15, sys.argv[1].encode(), 0, 0, 0)
open(sys.argv[2]).read()'
mt "$TMP/out" password --file "$TMP/pw" -- python3 -c "$rename_and_read" "$forged" "$TMP/pw"
check "honest: password: a name like fields is quoted" \
	grep -qx 'pid=[0-9]* tid=[0-9]* comm="a pid=1 code=0" fd=[0-9]* len=8 data="hunter2\\n"' "$TMP/out"
mt "$TMP/out" password --file "$TMP/pw" -- python3 -c "$rename_and_read" "$(printf 'y\033]0;t\007')" "$TMP/pw"
check "honest: password: a hostile name escaped" \
	grep -qx 'pid=[0-9]* tid=[0-9]* comm="y\\x1b]0;t\\x07" fd=[0-9]* len=8 data="hunter2\\n"' "$TMP/out"

# An object whose map is named with a quote and an escape (the name in .BTF
# and .strtab patched in place: the kernel gets only its [A-Za-z0-9_.]).
python3 - "$FX/perf_output.bpf.o" "$TMP/hostile.bpf.o" <<'EOF'
import sys
obj = open(sys.argv[1], "rb").read()
assert obj.count(b"\0samples\0") >= 2, obj.count(b"\0samples\0")
open(sys.argv[2], "wb").write(obj.replace(b"\0samples\0", b'\0s"\x1b[2Jx\0'))
EOF
mt "$TMP/out" run "$TMP/hostile.bpf.o" -v -- "$BUILD/samples/perf_fixture" 2
check "honest: run: a hostile map name escaped" \
	test "$(grep -cF 'event: "s\"\x1b[2Jx": 0df0edfe07000000' "$TMP/out")" = 2
check "honest: run -v: a hostile map name escaped in the narration" \
	grep -qF "map 's\"\\x1b[2Jx' created" "$TMP/out.err"
check "honest: run -v: no raw escape on stdout or stderr" \
	test "$(cat "$TMP/out" "$TMP/out.err" | grep -c "$ESC")" = 0
mt "$TMP/out" run "$TMP/hostile.bpf.o" --json -- "$BUILD/samples/perf_fixture" 2
check "honest: run --json: a hostile map name round-trips" python3 -c '
import json, sys
lines = open(sys.argv[1], "rb").read().splitlines()
assert len(lines) == 2, lines
for l in lines:
    e = json.loads(l)
    assert e["map"] == "s\"\x1b[2Jx" and e["hex"].startswith("0df0edfe07000000"), e
' "$TMP/out"

# The answer an --expect verdict shows back: escaped, however it was sent.
mt "$TMP/out" run "$EX/password.bpf.o" --expect nope -- "$EX/password_reader" "$(printf 'p\033[2J\033]0;t\007"')"
check "honest: --expect: a wrong answer gives 1" test "$rc" = 1
check "honest: --expect: the answer shown escaped" grep -qxF \
	'mini-trace: expect: wrong answer: got "p\x1b[2J\x1b]0;t\x07\"", wanted "nope"' "$TMP/out.err"
check "honest: --expect: no raw escape on stderr" test "$(grep -c "$ESC" "$TMP/out.err")" = 0
