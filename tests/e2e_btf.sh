#!/bin/sh
# The object's BTF in the kernel: loaded with BPF_BTF_LOAD, and each program
# given its func_info and line_info from .BTF.ext (clang -g objects, as a
# learner builds them).  What a user sees: source lines in the verifier's
# log.  The built-in demos keep their .BTF.ext too.
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

# The demos keep their .BTF.ext: each program gets its func and line info.
mt "$TMP/out" exit -v -- "$BUILD/exit_with_code" 3
check "btf: the exit demo still runs (status: the command's 3)" test "$rc" = 3
check "btf: the exit demo's BTF is loaded too" \
	grep -q "^mini-trace: btf: the object's BTF loaded: fd [0-9]*$" "$TMP/out.err"
check "btf: the exit demo passes func_info and line_info with every program" \
	test "$(grep -c "^mini-trace:   prog '[a-z_]*': BTF func_info [1-9][0-9]*, line_info [1-9][0-9]*$" "$TMP/out.err")" = \
	"$(grep -c "^mini-trace: prog '[a-z_]*' loaded: fd" "$TMP/out.err")"

# Maps created with their key and value types: bpftool (test-time only)
# prints a hash map of structs field by field (the entry of the sh that
# called getppid() as it started), and a .bss map variable by
# variable.  Types the kernel refuses for a map: created without, said with -v.
if command -v bpftool >/dev/null; then
	mt "$TMP/map" run -v "$FX/typed_map.bpf.o" -- sh -c \
		'bpftool map dump name typed_stats; bpftool map dump name .bss'
	check "btf: the typed map fixture runs" test "$rc" = 0
	check "btf: -v names a map's key and value types" \
		grep -q "^mini-trace: map 'typed_stats' created: fd [0-9]*, BTF key type [1-9][0-9]*, value type [1-9][0-9]*$" "$TMP/map.err"
	check "btf: bpftool dumps the hash map's struct field by field" \
		grep -q '"comm": "sh"' "$TMP/map"
	check "btf: bpftool names the struct's other fields" grep -q '"calls": [1-9]' "$TMP/map"
	check "btf: bpftool dumps .bss by variable name" grep -q '"typed_total": [1-9]' "$TMP/map"
	check "btf: a data map gets key type 0 and its DATASEC" \
		grep -q "^mini-trace: map '.bss' created: fd [0-9]*, BTF key type 0, value type [1-9][0-9]*$" "$TMP/map.err"
	check "btf: a perf event array gets no types (as libbpf)" \
		grep -q "^mini-trace: map 'typed_events' created: fd [0-9]*$" "$TMP/map.err"
	check "btf: types the kernel refuses: created without them, said with -v" \
		grep -q "^mini-trace: map 'typed_refused' created: fd [0-9]*; the kernel refused its BTF key and value types (.*): created without them$" "$TMP/map.err"
else
	echo "SKIP btf: bpftool is not installed (map dumps)"
fi

# A kernel that refuses the object's BTF (here a variable with a linkage no
# kernel knows): the run goes on without it, maps and programs without BTF,
# and -v says so with the kernel's own reason.
if python3 tests/break_btf.py "$FX/typed_map.bpf.o" "$TMP/bad_btf.bpf.o" typed_total; then
	mt "$TMP/bad" run -v "$TMP/bad_btf.bpf.o" -- /bin/true
	check "btf: refused BTF: the run goes on" test "$rc" = 0
	check "btf: refused BTF: -v gives the kernel's reason" \
		grep -q "^mini-trace: btf: the kernel refused it: .*Linkage not supported: going on without it$" "$TMP/bad.err"
	check "btf: refused BTF: the maps are created without types" \
		grep -q "^mini-trace: map 'typed_stats' created: fd [0-9]*$" "$TMP/bad.err"
	check "btf: refused BTF: no program claims func_info" \
		test -z "$(grep "BTF func_info" "$TMP/bad.err")"
	check "btf: refused BTF: the program is loaded" \
		grep -q "^mini-trace: prog 'on_getppid' loaded: fd [0-9]*$" "$TMP/bad.err"
else
	fail "btf: refused BTF" "tests/break_btf.py could not patch the fixture"
fi
