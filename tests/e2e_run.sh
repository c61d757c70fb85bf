#!/bin/sh
# mini-trace run: exercise-style objects built with clang -I include, loaded
# from files, their SUBMIT_*/DEBUG_* records decoded, --expect judged.
. tests/lib.sh
EX=$BUILD/examples
FX=$BUILD/fixtures

# The exit exercise: the right answer passes, a wrong one fails and says so.
mt "$TMP/out" run "$EX/exit_code.bpf.o" --expect 42 -- "$EX/exit_with_code" 42
check "run: exit example, right --expect gives 0" test "$rc" = 0
expect_out "run: exit example prints the answer" "submit: 42" "$TMP/out"
mt "$TMP/out" run "$EX/exit_code.bpf.o" --expect 41 -- "$EX/exit_with_code" 42
check "run: exit example, wrong --expect gives 1" test "$rc" = 1
check "run: wrong answer is named" grep -qx "mini-trace: expect: wrong answer: got 42, wanted 41" "$TMP/out.err"
mt "$TMP/out" run "$EX/exit_code.bpf.o" --expect 42 -- /bin/true
check "run: no answer gives 1" test "$rc" = 1
check "run: no answer is named" grep -qx "mini-trace: expect: no answer" "$TMP/out.err"
mt "$TMP/out" run "$EX/exit_code.bpf.o" --expect 3 -- sh -c "$EX/exit_with_code 3; $EX/exit_with_code 3"
check "run: two answers give 1" test "$rc" = 1
check "run: several answers are named" grep -qx "mini-trace: expect: 2 answers" "$TMP/out.err"

# The password exercise: the random password, not the bait.
mt "$TMP/out" run "$EX/password.bpf.o" --json -- "$EX/password_reader"
pw=$(grep -v '^{' "$TMP/out")
check "run: password example submits what was read" python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
events = [json.loads(l) for l in lines if l.startswith("{")]
assert len(events) == 1, events
e = events[0]
assert e["answer"] and e["kind"] == "str" and e["value"] == sys.argv[2], e
' "$TMP/out" "$pw"
mt "$TMP/out" run "$EX/password.bpf.o" --expect "x9-password" -- "$EX/password_reader" "x9-password"
check "run: password example, right --expect gives 0" test "$rc" = 0
mt "$TMP/out" run "$EX/password.bpf.o" --expect "not it" -- "$EX/password_reader" "x9-password"
check "run: password example, bait as --expect gives 1" test "$rc" = 1

# An object with its own perf event array: records shown as hex.  A perf
# sample's raw size is padded so the record stays 8-byte aligned (an 8-byte
# struct arrives as 12 bytes), so only the start is the struct.
mt "$TMP/out" run "$FX/perf_output.bpf.o" -- "$BUILD/samples/perf_fixture" 2
check "run: perf buffer records as hex" test "$(grep -c '^event: "samples": 0df0edfe07000000' "$TMP/out")" = 2

# Objects that cannot run: one line naming the problem, status 1 or 3.
objects_mark
mt "$TMP/out" run -v "$FX/unknown_section.bpf.o" -- /bin/true
objects_left
check "run: a section with no row in the table gives 3" test "$rc" = 3
check "run: it is named" grep -q "^mini-trace: .*unknown_section.bpf.o: prog 'on_packet': section 'xdp' is not a type mini-trace can attach$" "$TMP/out.err"
check "run: refused before the kernel is asked for anything" \
	test -z "$(grep -e "btf:" -e "created" "$TMP/out.err")$left"
mt "$TMP/out" run "$FX/no_such_tracepoint.bpf.o" -- /bin/true
check "run: missing tracepoint gives 1" test "$rc" = 1
check "run: missing tracepoint is named" grep -q "tracepoint syscalls/sys_enter_no_such_call: not in this kernel" "$TMP/out.err"
mt "$TMP/out" run "$FX/rejected.bpf.o" -- /bin/true
check "run: verifier rejection gives 1" test "$rc" = 1
check "run: verifier rejection names the program" grep -q "prog 'unchecked_lookup': load: Permission denied" "$TMP/out.err"
check "run: verifier log is shown" grep -q "invalid mem access" "$TMP/out.err"
mt "$TMP/out" run /etc/hostname
check "run: not an ELF file gives 3" test "$rc" = 3
check "run: not an ELF file is named" grep -q "/etc/hostname: elf: not an ELF file" "$TMP/out.err"
mt "$TMP/out" run "$TMP/no-such-object.o"
check "run: missing object file gives 1" test "$rc" = 1
check "run: missing object file is named" grep -q "cannot open '$TMP/no-such-object.o'" "$TMP/out.err"
mt "$TMP/out" run
check "run: no object is a usage error" test "$rc" = 2
mt "$TMP/out" exit --expect 3
check "run: --expect outside run is a usage error" test "$rc" = 2
