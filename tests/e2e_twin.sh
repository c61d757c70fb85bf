#!/bin/sh
# Differential test against libbpf, the reference loader: each object is
# loaded by mini-trace's load step (test_load --dump: spec_parse and
# object_load, as loader.c calls them) and by libbpf (libbpf_twin, test-time
# only), and what the kernel holds of each program is compared: translated
# instructions (maps by shape, not id), func_info and line_info with the
# names and source lines they point at (tests/prog_dump.h).
#
# An object mini-trace refuses before the kernel sees it (status 3: CO-RE,
# externs, pointers in data) or that libbpf cannot load is named and left
# out; one the verifier rejects must be rejected by both.  The strncmp
# stand-in for kernels before 5.17 is mini-trace's own: on such a kernel the
# objects calling bpf_strncmp are expected to differ, and are left out.
. tests/lib.sh

TWIN=$BUILD/libbpf_twin
if [ ! -x "$TWIN" ]; then
	echo "SKIP twin: $TWIN not built (needs libbpf-dev)"
	exit 0
fi
for obj in "$BUILD/exit.bpf.o" "$BUILD/password.bpf.o" "$BUILD"/examples/*.bpf.o \
	"$BUILD"/fixtures/*.bpf.o; do
	obj_name=${obj#"$BUILD"/}
	"$BUILD/test_load" --dump "$obj" >"$TMP/mine" 2>"$TMP/mine.err"
	mine=$?
	"$TWIN" "$obj" >"$TMP/twin" 2>"$TMP/twin.err"
	twin=$?
	if [ "$mine" = 3 ]; then
		echo "SKIP twin: $obj_name: mini-trace refuses it: $(tail -n 1 "$TMP/mine.err")"
	elif [ "$twin" = 3 ] && [ "$mine" = 1 ]; then
		# The verifier's refusal, or a CO-RE relocation it reached poisoned.
		check "twin: $obj_name: rejected by the kernel for both" \
			grep -qE "load: Permission denied|the verifier reached the instruction it poisoned|load: Invalid argument|not in /proc/kallsyms|this kernel refuses fentry/fexit programs" "$TMP/mine.err"
	elif [ "$twin" = 3 ]; then
		echo "SKIP twin: $obj_name: libbpf cannot load it: $(grep -v '^libbpf_twin' "$TMP/twin.err" | tail -n 1)"
	elif grep -q "the strncmp stand-in" "$TMP/mine.err"; then
		echo "SKIP twin: $obj_name: the strncmp stand-in (kernel before 5.17)"
	else
		check "twin: $obj_name loads in both" test "$mine$twin" = 00
		if ! cmp -s "$TMP/mine" "$TMP/twin"; then
			diff "$TMP/mine" "$TMP/twin" | head -n 20 | sed 's/^/# /'
		fi
		check "twin: $obj_name: the kernel holds the same insns, func_info and line_info" \
			cmp -s "$TMP/mine" "$TMP/twin"
		check "twin: $obj_name: with func and line info" grep -q "line [0-9]*: insn" "$TMP/mine"
	fi
done
