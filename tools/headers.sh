#!/bin/sh
# make headers: the kernel structs of include/'s exercise headers, written
# by mini-trace-btfgen from BTF.  A header names its roots in comment lines
# " * btfgen: TYPE.FIELD,..." and the lines between "/* btfgen: begin */"
# and "/* btfgen: end */" are replaced with the generator's output for
# them; everything else in the header is ours, by hand.
#
#   BTFGEN=build/mini-trace-btfgen  the generator
#   BTF=/sys/kernel/btf/vmlinux     the BTF to read (the running kernel's)
#   OUT=include                     where the headers go (in place); the
#                                   test writes them elsewhere and compares
set -eu
BTFGEN=${BTFGEN:-build/mini-trace-btfgen}
BTF=${BTF:-/sys/kernel/btf/vmlinux}
OUT=${OUT:-include}
gen=$(mktemp)
trap 'rm -f "$gen"' EXIT

for h in include/*.h; do
	roots=$(sed -n 's/^ \* btfgen: //p' "$h")
	[ -n "$roots" ] || continue
	# shellcheck disable=SC2086 # one argument a root
	"$BTFGEN" --btf "$BTF" $roots >"$gen"
	awk -v gen="$gen" '
		/^\/\* btfgen: begin \*\/$/ {
			print; while ((getline line < gen) > 0) print line; skip = 1; next
		}
		/^\/\* btfgen: end \*\/$/ { skip = 0 }
		!skip' "$h" >"$OUT/$(basename "$h").tmp"
	mv "$OUT/$(basename "$h").tmp" "$OUT/$(basename "$h")"
done
