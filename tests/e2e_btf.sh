#!/bin/sh
# The object's BTF in the kernel: loaded with BPF_BTF_LOAD, and each program
# given its func_info and line_info from .BTF.ext (clang -g objects, as a
# learner builds them).  What a user sees: source lines in the verifier's
# log.  Objects without .BTF.ext (the built-in demos) load as before.
. tests/lib.sh
EX=$BUILD/examples
FX=$BUILD/fixtures

mt "$TMP/out" run -v "$EX/exit_code.bpf.o" --expect 42 -- "$EX/exit_with_code" 42
check "btf: the exit example loads with its BTF" test "$rc" = 0
check "btf: -v says the BTF was loaded" grep -q "^mini-trace: btf: the object's BTF loaded: fd [0-9]*$" "$TMP/out.err"
check "btf: -v says which program got func and line info" \
	grep -q "^mini-trace:   prog '[a-z_]*': BTF func_info 1, line_info [1-9][0-9]*$" "$TMP/out.err"

# A rejection shows the source line the verifier stopped at.
mt "$TMP/out" run "$FX/rejected.bpf.o" -- /bin/true
check "btf: a verifier rejection still gives 1" test "$rc" = 1
check "btf: the verifier log shows the source line it rejected" grep -q '^; \*v += 1;' "$TMP/out.err"

# The demos keep .BTF.ext (password's bpf_loop() callbacks need func_info).
mt "$TMP/out" exit -v -- "$BUILD/exit_with_code" 3
check "btf: the exit demo still runs (status: the command's 3)" test "$rc" = 3
check "btf: the exit demo's BTF is loaded too" \
	grep -q "^mini-trace: btf: the object's BTF loaded: fd [0-9]*$" "$TMP/out.err"
check "btf: the exit demo passes its func_info" \
	grep -q "^mini-trace:   prog '[a-z_]*': BTF func_info 1, line_info [1-9][0-9]*$" "$TMP/out.err"
