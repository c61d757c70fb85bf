#!/bin/sh
# mini-trace grade: the ebpf.party exercises of chapters 0-3 offline.  Our
# solution of each graded "correct" with fresh answers, a wrong one
# "wrong answer", the starter file "no answer"; objects built with the
# site's record conventions (tests/party/site) graded alike; labels shown;
# and the verifier corpus (tests/party/verifier) explained at the right
# source line with the right hint.
. tests/lib.sh
EX=$BUILD/exercises
PARTY=$BUILD/tests/party
EXERCISES="platform-overview concept-intro reading-event-data reading-syscalls
read-argv-password intro-maps-and-programs read-buffer-contents read-file-password"

# verdict NAME EXPECTED-FIRST-LINE-PATTERN STATUS ARGS...
verdict() {
	name=$1 want=$2 status=$3; shift 3
	mt "$TMP/out" grade "$@"
	if [ "$rc" = "$status" ] && grep -q "$want" "$TMP/out"; then
		pass "$name"
	else
		fail "$name" "status $rc, out [$(grep -v '^debug' "$TMP/out" | head -3)] err [$(head -3 "$TMP/out.err")]"
	fi
}

# exercise_checks NAME [VARIANT]: solution$VARIANT correct three times with
# three answers, $NAME$VARIANT.wrong a wrong answer, starter$VARIANT none.
exercise_checks() {
	e=$1 v=$2
	# Three runs, three answers (platform-overview's is the site's fixed one).
	: >"$TMP/wanted"
	for i in 1 2 3; do
		verdict "grade $e$v: solution, run $i, is correct" "^$e: correct$" 0 \
			"$e" "$EX/$e/solution$v.bpf.o" -q
		mt "$TMP/json" grade "$e" "$EX/$e/solution$v.bpf.o" -q --json
		python3 -c '
import json, sys
v = json.loads(open(sys.argv[1]).read().splitlines()[-1])
assert v["exercise"] == sys.argv[2] and v["verdict"] == "correct" and v["answers"] == 1, v
print(v["wanted"])' "$TMP/json" "$e" >>"$TMP/wanted" 2>"$TMP/json.py" ||
			fail "grade $e$v: --json verdict" "$(cat "$TMP/json.py")"
	done
	distinct=$(sort -u "$TMP/wanted" | wc -l)
	if [ "$e" = platform-overview ]; then
		check "grade $e: the site's fixed answer" test "$distinct" = 1
	else
		# Answers are drawn afresh: three runs are not all alike (an exit
		# code has 254 values, so two of three may match by chance).
		check "grade $e: a fresh answer each run ($distinct of 3 distinct)" test "$distinct" -ge 2
	fi
	verdict "grade $e$v: a wrong solution is a wrong answer" "^$e: wrong answer: got .*, wanted " 1 \
		"$e" "$PARTY/$e$v.wrong.bpf.o" -q
	verdict "grade $e$v: the starter loads and gives no answer" "^$e: no answer$" 1 \
		"$e" "$EX/$e/starter$v.bpf.o" -q
}
for e in $EXERCISES; do
	exercise_checks "$e"
done

# Chapter 3, the network on 127.0.0.1.  tcp-connect and read-http-password
# are kprobe exercises; a kernel without kprobes (this one's CI) runs their
# raw tracepoint variants, and the kprobe ones in tests/vm.
kprobes=
[ -e /sys/bus/event_source/devices/kprobe ] && kprobes=1
for e in socket-and-connect read-dns; do
	exercise_checks "$e"
done
for e in tcp-connect read-http-password; do
	exercise_checks "$e" -raw_tp
	if [ -n "$kprobes" ]; then
		exercise_checks "$e"
	else
		# Refused with the reason, and no verdict: grade used to crash here.
		mt "$TMP/out" grade "$e" "$EX/$e/solution.bpf.o" -q
		check "grade $e: no kprobes, status 1" test "$rc" = 1
		check "grade $e: no kprobes, said" grep -q "this kernel has no kprobes" "$TMP/out.err"
		check "grade $e: no kprobes, no verdict" test ! -s "$TMP/out"
	fi
done
# The point of tcp-connect: connect(2)'s exit says EINPROGRESS for all ten.
verdict "grade tcp-connect: socket-and-connect's solution sees nothing" "^tcp-connect: no answer$" 1 \
	tcp-connect "$EX/socket-and-connect/solution.bpf.o" -q
objects_mark
mt "$TMP/out" grade read-dns "$EX/read-dns/solution.bpf.o" -q
mt "$TMP/out" grade read-http-password "$EX/read-http-password/solution-raw_tp.bpf.o" -q
objects_left
check "grade: chapter 3 leaves nothing in the kernel" test -z "$left"

# open(2) and openat(2) both: glibc's open() is openat(2) (password_reader),
# musl's open(2) where the architecture has it (mini-trace's own reader,
# static musl, calls open(2) on x86_64).  The example and the solution
# watched one each.
pw=pw-$$-$(date +%N)
for o in "$BUILD/examples/password.bpf.o" "$EX/read-file-password/solution.bpf.o"; do
	mt "$TMP/out" run "$o" -q --expect "$pw" -- "$BUILD/examples/password_reader" "$pw"
	check "run $(basename "$o"): a read after openat(2)" test "$rc" = 0
	(umask 077 && rm -f /tmp/password && printf '%s' "$pw" >/tmp/password)
	mt "$TMP/out" run "$o" -q --expect "$pw" -- env MINI_TRACE_ROLE=read "$(pwd)/mini-trace" /tmp/password
	check "run $(basename "$o"): a read after open(2)" test "$rc" = 0
	rm -f /tmp/password
done

# An answer for every program the scenario starts: "3 answers".
verdict "grade: several answers are counted" "^concept-intro: 3 answers$" 1 \
	concept-intro "$EX/platform-overview/solution.bpf.o" -q
mt "$TMP/out" grade concept-intro "$EX/platform-overview/solution.bpf.o" -q --json
check "grade --json: several answers" python3 -c '
import json, sys
v = json.loads(open(sys.argv[1]).read().splitlines()[-1])
assert v["verdict"] == "many" and v["answers"] == 3, v' "$TMP/out"
mt "$TMP/out" grade intro-maps-and-programs "$PARTY/intro-maps-and-programs.wrong.bpf.o" -q --json
check "grade --json: a wrong answer" python3 -c '
import json, sys
v = json.loads(open(sys.argv[1]).read().splitlines()[-1])
assert v["verdict"] == "wrong" and v["message"] == "wrong answer: got %d, wanted %s" % (int(v["wanted"]) + 1, v["wanted"]), v' "$TMP/out"

# Labels: what the learner wrote, beside the value.
mt "$TMP/out" run "$EX/intro-maps-and-programs/starter.bpf.o" -q -- "$BUILD/examples/exit_with_code" 42
check "run: a number's label" grep -qx "debug: Exit code = 42" "$TMP/out"
check "run: a string's label" grep -qx 'debug: Process = "exit_with_code"' "$TMP/out"
# Every exec on the machine prints these four: each is looked for.
mt "$TMP/out" run "$EX/platform-overview/starter.bpf.o" -q -- "$BUILD/examples/exit_with_code" 1
check "run: a string literal" grep -qx 'debug: Example = "Hi"' "$TMP/out"
check "run: a signed char" grep -qx 'debug: A small number = -127' "$TMP/out"
check "run: a u64" grep -qx 'debug: A very large number = 18446744073709551615' "$TMP/out"
check "run: a struct, as hex" grep -qx 'debug: A struct = 393000004142434445000000' "$TMP/out"
mt "$TMP/out" run "$EX/platform-overview/starter.bpf.o" -q --json -- "$BUILD/examples/exit_with_code" 1
check "run --json: label and counter" python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert {"answer": False, "kind": "str", "counter": 0, "label": "Example", "value": "Hi"} in r, r
assert {"answer": False, "kind": "num", "counter": 1, "label": "A small number", "value": -127} in r, r
assert {"answer": False, "kind": "struct", "counter": 3, "label": "A struct",
        "value": "393000004142434445000000"} in r, r' "$TMP/out"

# The site's own record conventions, no labels: graded alike, shown by counter.
mkdir -p "$TMP/site"
for e in concept-intro intro-maps-and-programs read-file-password; do
	${CLANG:-clang} -O2 -g -target bpf -nostdinc -I tests/party/site -I include \
		-c "exercises/$e/solution.bpf.c" -o "$TMP/site/$e.bpf.o"
	verdict "grade $e: built with the site's header, correct" "^$e: correct$" 0 \
		"$e" "$TMP/site/$e.bpf.o" -q
done
mt "$TMP/out" run "$TMP/site/concept-intro.bpf.o" -q -- true
check "run: no label table, records shown by counter" grep -q '^debug: #0 = "' "$TMP/out"

# The verifier explained: the line that stopped it, its text, the hint.
for src in tests/party/verifier/*.bpf.c; do
	v=$(basename "$src" .bpf.c)
	line=$(grep -n '<- here' "$src" | cut -d: -f1)
	hint=$(sed -n 's|^/\* expect: \(.*\) \*/$|\1|p' "$src")
	mt "$TMP/out" run "$PARTY/verifier/$v.bpf.o" -- true
	check "verifier $v: rejected" test "$rc" = 1
	check "verifier $v: stopped at $v.bpf.c:$line" grep -q "^mini-trace: $v.bpf.c:$line: .*<- here" "$TMP/out.err"
	check "verifier $v: the verifier's message" grep -q "^mini-trace: verifier: " "$TMP/out.err"
	check "verifier $v: hint '$hint'" grep -q "^mini-trace: hint: .*$hint" "$TMP/out.err"
done

# Bad input: one line, status 2, nothing left in the kernel.
mt "$TMP/out" grade no-such-exercise "$EX/concept-intro/solution.bpf.o"
check "grade: unknown exercise is a usage error" test "$rc" = 2
check "grade: unknown exercise is named" grep -q "grade: no exercise 'no-such-exercise'" "$TMP/out.err"
mt "$TMP/out" grade concept-intro
check "grade: no object is a usage error" test "$rc" = 2
mt "$TMP/out" grade concept-intro "$EX/concept-intro/solution.bpf.o" -- true
check "grade: a command of one's own is a usage error" test "$rc" = 2
objects_mark
mt "$TMP/out" grade read-file-password "$EX/read-file-password/solution.bpf.o" -q
objects_left
check "grade: nothing left in the kernel" test -z "$left"
check "grade: the scenario's files are gone" test ! -e /tmp/ep-party -a ! -e /tmp/password -a ! -e /tmp/bait_file.txt

# bpf_printk's lines beside the records, twice in a row: trace_pipe has one
# reader at a time, and the first run's detaching child must not keep it.
for i in 1 2; do
	mt "$TMP/out" run "$PARTY/printk.bpf.o" -q -- "$BUILD/examples/exit_with_code" 42
	check "run: bpf_printk's line, run $i" grep -qx "printk: exit code 42" "$TMP/out"
	check "run: the record beside it, run $i" grep -qx "debug: code = 42" "$TMP/out"
	check "run: the trace buffer is said to be shared, run $i" grep -q "bpf_printk: .*whole machine shares" "$TMP/out.err"
done
mt "$TMP/out" run "$PARTY/printk.bpf.o" -q --json -- "$BUILD/examples/exit_with_code" 7
check "run --json: bpf_printk's line" grep -qx '{"printk":"exit code 7"}' "$TMP/out"

# /tmp is anyone's: a link left at the scenario's directory is not followed.
ln -s "$TMP/elsewhere" /tmp/ep-party
mt "$TMP/out" grade concept-intro "$EX/concept-intro/solution.bpf.o" -q
check "grade: a link at /tmp/ep-party is refused" grep -q "/tmp/ep-party is not a directory of this user's only" "$TMP/out.err"
check "grade: nothing made through it" test ! -e "$TMP/elsewhere"
rm -f /tmp/ep-party
