#!/bin/sh
# Objects that use what mini-trace cannot apply: each refused before
# anything is created in the kernel, status 3, one line naming the thing,
# nothing on stdout and no program or map left behind.  Objects built
# with clang -g, .BTF.ext kept, as a learner's would be.
. tests/lib.sh
FX=$BUILD/fixtures
KO=$BUILD/kobjects

# refused NAME OBJECT LINE: `mini-trace run OBJECT` gives 3 and exactly LINE.
refused() {
	"$KO" ids | sort >"$TMP/before"
	mt "$TMP/out" run "$2" -- /bin/true
	"$KO" ids | sort | comm -13 "$TMP/before" - >"$TMP/new"
	check "refuse: $1 gives status 3" test "$rc" = 3
	expect_out "refuse: $1 is named in one line" "mini-trace: $2: $3" "$TMP/out.err"
	check "refuse: $1 prints nothing on stdout" test ! -s "$TMP/out"
	# Objects that appear meanwhile are other processes': ours would be
	# maps, and the refusal comes before the first one.
	check "refuse: $1 creates no map" test -z "$(grep '^map ' "$TMP/new")"
}

refused "a pointer stored in global data" "$FX/data_pointer.bpf.o" \
	"elf: section '.rel.data': addresses stored in '.data' cannot be relocated by mini-trace"
refused "a static function in a program section" "$FX/static_prog.bpf.o" \
	"elf: function 'hidden' in section 'tracepoint/syscalls/sys_enter_getppid' is static: mini-trace loads only global functions as programs"

# What mini-trace can apply still loads, .BTF.ext and all.
mt "$TMP/out" run "$BUILD/examples/exit_code.bpf.o" --expect 7 -- "$BUILD/examples/exit_with_code" 7
check "refuse: an object with .BTF.ext and no CO-RE still runs" test "$rc" = 0
