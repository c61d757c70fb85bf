#!/bin/sh
# mini-trace-btfgen (tools/btfgen.c): C declarations from BTF.
#  - a fixture of the hard cases (tests/btfgen/types.c), compiled by clang:
#    the generator's header of its .BTF compiles, and compiled again its
#    BTF describes the same types (sizes, offsets, bitfields, values)
#  - a vmlinux.h of the running kernel compiles, and defines every type as
#    bpftool does (bpftool at test time only)
#  - include/'s kernel structs are the generator's output for the running
#    kernel (make headers)
#  - bad input: one line, exit 1
# Reads /sys/kernel/btf/vmlinux only: loads nothing, needs no kernel lock.
. tests/lib.sh
BTFGEN=${BTFGEN:-$BUILD/mini-trace-btfgen}
case $MT in *-san) BTFGEN=$BUILD/mini-trace-btfgen-san ;; esac
CLANG=${CLANG:-clang}
VMLINUX=/sys/kernel/btf/vmlinux

# gen OUT ARGS...: runs the generator, stdout to OUT, stderr to OUT.err.
gen() {
	out=$1; shift
	"$BTFGEN" "$@" >"$out" 2>"$out.err"
	rc=$?
}

# btf_of OBJ OUT: an object's .BTF section, raw.
btf_of() {
	llvm-objcopy --dump-section .BTF="$2" "$1" "$TMP/discard.o"
}

# The fixture: its BTF, as clang writes it.
$CLANG -O2 -g -target bpf -c tests/btfgen/types.c -o "$TMP/types.o" && btf_of "$TMP/types.o" "$TMP/types.btf"
check "btfgen: the fixture builds" test -s "$TMP/types.btf"
gen "$TMP/types.h" --btf "$TMP/types.btf"
check "btfgen: the fixture's types are written" test "$rc" = 0 -a ! -s "$TMP/types.h.err"

# Each case, as C says it.
has() { grep -qxF "$2" "$TMP/types.h" || { echo "missing: $2" >&2; false; }; }
has64() { grep -qxF "$1" "$TMP/enum64.h" || { echo "missing: $1" >&2; false; }; }
line() { grep -nxF "$1" "$TMP/types.h" | head -1 | cut -d: -f1; }
check "btfgen: a struct used by value comes before its user" \
	test "$(line 'struct peer_a {')" -lt "$(line 'struct peer_b {')"
check "btfgen: a typedef comes before the struct that uses it through a pointer" \
	test "$(line 'typedef struct node node_t;')" -lt "$(line 'struct node {')"
check "btfgen: a struct only pointed at is declared" has x 'struct peer_b;'
check "btfgen: anonymous unions and structs are written inline" has x '		struct {'
check "btfgen: bitfields keep their widths" has x '	unsigned long long d: 40;'
check "btfgen: a packed struct is packed" has x '} __attribute__((packed));'
check "btfgen: a gap is padded as bpftool pads it" has x '	long: 64;'
check "btfgen: arrays of arrays, pointers to arrays" has x '	int (*row)[4];'
check "btfgen: a pointer to a function returning one" has x '	void (* (*getter)(int))(long);'
check "btfgen: variadic functions" has x '	int (*printf_like)(const char *, ...);'
check "btfgen: a typedef of a function type" has x 'typedef int handler_fn(struct node *, void *);'
check "btfgen: qualifiers on the pointer and on what it points at" \
	has x '	volatile int * volatile const *vp;'
check "btfgen: a one-byte enum stays one byte" has x '} __attribute__((mode(byte)));'
check "btfgen: two types of one name become clash and clash___2" has x 'struct clash___2 {'
check "btfgen: structs are preserve_access_index" \
	has x '#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)'

# The round trip: what we wrote compiles, and describes the same types.
{
	echo '#include "types.h"'
	# A variable of each named type, so that the BTF holds them all.
	sed -n 's/^\(struct\|union\|enum\) \([A-Za-z_0-9]*\) {.*/\1 \2 use_\2;/p
		s/^typedef .*[ *]\([A-Za-z_0-9]*\)\(\[[0-9]*\]\)*;$/\1 use_\1;/p
		s/^} \([A-Za-z_0-9]*\);$/\1 use_\1;/p' "$TMP/types.h"
} >"$TMP/again.c"
$CLANG -O2 -g -target bpf -Wall -Werror -c "$TMP/again.c" -o "$TMP/again.o" 2>"$TMP/again.err"
check "btfgen: the fixture's header compiles with clang -Wall -Werror" test "$?" = 0
btf_of "$TMP/again.o" "$TMP/again.btf"
if command -v bpftool >/dev/null; then
	bpftool -j btf dump file "$TMP/types.btf" >"$TMP/types.json"
	bpftool -j btf dump file "$TMP/again.btf" >"$TMP/again.json"
	check "btfgen: compiled again, the BTF describes the same types" \
		python3 tests/btfgen/same_types.py "$TMP/types.json" "$TMP/again.json"
	bpftool btf dump file "$TMP/types.btf" format c >"$TMP/types.bpftool.h"
	check "btfgen: the fixture's types are written as bpftool writes them" \
		python3 tests/btfgen/blocks.py "$TMP/types.bpftool.h" "$TMP/types.h"
else
	echo "SKIP btfgen: bpftool is not installed (the round trip's comparison)"
fi

# 64-bit enums (BTF_KIND_ENUM64) and signed ones, which clang 14 does not
# write: BTF made by hand.
python3 tests/btfgen/enum64.py "$TMP/enum64.btf"
gen "$TMP/enum64.h" --btf "$TMP/enum64.btf"
check "btfgen: a 64-bit enum's values" has64 '	WIDE_BIG = 4294967296ULL,'
check "btfgen: a signed 64-bit enum's values" has64 '	SGN_NEG = -5LL,'
check "btfgen: a signed enum's values" has64 '	NEG32_M = -1,'
printf '#include "enum64.h"\nstruct s64 v;\n' >"$TMP/enum64.c"
$CLANG -O2 -g -target bpf -Wall -Werror -c "$TMP/enum64.c" -o "$TMP/enum64.o"
check "btfgen: the 64-bit enums compile" test "$?" = 0
if command -v bpftool >/dev/null; then
	bpftool btf dump file "$TMP/enum64.btf" format c >"$TMP/enum64.bpftool.h"
	check "btfgen: 64-bit enums are written as bpftool writes them" \
		python3 tests/btfgen/blocks.py "$TMP/enum64.bpftool.h" "$TMP/enum64.h"
fi

# Cut down: only the fields named, found in anonymous members too, in
# the order of their offsets.
gen "$TMP/cut.h" --btf "$TMP/types.btf" anon.kind,b,raw node.val
check "btfgen: a cut-down struct keeps the fields named, in offset order" \
	test "$(sed -n '/^struct anon {/,/^};/p' "$TMP/cut.h" | tr '\n' '|')" = \
	'struct anon {|	int kind;|	unsigned char raw[8];|	int b;|};|'
check "btfgen: a cut-down struct needs no other type" \
	test "$(grep -c '^struct' "$TMP/cut.h")" = 2
gen "$TMP/cut.h" --btf "$TMP/types.btf" anon.wide
check "btfgen: anonymous members are looked into, named ones are not" \
	test "$rc" = 1 -a "$(cat "$TMP/cut.h.err")" = "mini-trace-btfgen: btf: 'anon' has no field 'wide'"

# A function named is a kfunc's declaration.
gen "$TMP/func.h" --btf "$TMP/types.btf" second_clash
check "btfgen: a function is written as a kfunc's extern" \
	grep -qxF 'extern int second_clash(void) __ksym __weak;' "$TMP/func.h"
check "btfgen: no pragma where no struct is written" \
	test "$(grep -c pragma "$TMP/func.h")" = 0

# Bad input: one line and exit 1, nothing on stdout.
gen "$TMP/bad" --btf "$TMP/types.btf" nosuch
check "btfgen: an unknown type is named" \
	test "$rc" = 1 -a ! -s "$TMP/bad" -a "$(cat "$TMP/bad.err")" = "mini-trace-btfgen: btf: no type named 'nosuch'"
gen "$TMP/bad" --btf "$TMP/types.btf" node.nosuch
check "btfgen: an unknown field is named" \
	test "$rc" = 1 -a "$(cat "$TMP/bad.err")" = "mini-trace-btfgen: btf: 'node' has no field 'nosuch'"
gen "$TMP/bad" --btf "$TMP/types.btf" 'node.next;rm'
check "btfgen: a field that is no C name is refused" \
	test "$rc" = 1 -a "$(cat "$TMP/bad.err")" = "mini-trace-btfgen: btf: 'next;rm' is not a field name"
gen "$TMP/bad" --btf "$TMP/types.btf" "$(printf 'no\033[31mde')"
check "btfgen: a control byte in a name given is shown escaped" \
	test "$rc" = 1 -a "$(cat "$TMP/bad.err")" = "mini-trace-btfgen: btf: 'no\\x1b[31mde' is not a type name"
gen "$TMP/bad" --btf "$TMP/types.o"
check "btfgen: an ELF file is not raw BTF" \
	test "$rc" = 1 -a "$(wc -l <"$TMP/bad.err")" = 1 -a ! -s "$TMP/bad"
head -c 100 "$TMP/types.btf" >"$TMP/short.btf"
gen "$TMP/bad" --btf "$TMP/short.btf"
check "btfgen: truncated BTF is refused" \
	test "$rc" = 1 -a "$(wc -l <"$TMP/bad.err")" = 1 -a ! -s "$TMP/bad"
gen "$TMP/bad" --btf "$TMP/nonexistent"
check "btfgen: a missing file is named" \
	test "$rc" = 1 -a "$(cat "$TMP/bad.err")" = "mini-trace-btfgen: $TMP/nonexistent: No such file or directory"

if [ ! -r "$VMLINUX" ]; then
	echo "SKIP btfgen: the kernel has no BTF ($VMLINUX)"
	exit 0
fi

# A vmlinux.h of the running kernel: it compiles, a CO-RE read included.
gen "$TMP/vmlinux.h"
check "btfgen: the kernel's types are written" test "$rc" = 0 -a -s "$TMP/vmlinux.h"
cat >"$TMP/k.c" <<'C'
#include "vmlinux.h"
int pid_of(struct task_struct *t)
{
	return __builtin_preserve_access_index(t->pid);
}
C
$CLANG -O2 -g -target bpf -Wall -Werror -c "$TMP/k.c" -o "$TMP/k.o" 2>"$TMP/k.err"
check "btfgen: the kernel's vmlinux.h compiles with clang -Wall -Werror" test "$?" = 0
if command -v bpftool >/dev/null; then
	bpftool btf dump file "$VMLINUX" format c >"$TMP/vmlinux.bpftool.h"
	check "btfgen: every kernel type is defined as bpftool defines it" \
		python3 tests/btfgen/blocks.py "$TMP/vmlinux.bpftool.h" "$TMP/vmlinux.h"
fi

# The CO-RE tests' programs (tests/core/, written as a libbpf user writes
# them) built against our vmlinux.h and against bpftool's: the same
# instructions, offsets included.  They need libbpf-dev's <bpf/...>.
if command -v bpftool >/dev/null && [ -e /usr/include/bpf/bpf_helpers.h ]; then
	mkdir -p "$TMP/ours" "$TMP/theirs"
	cp "$TMP/vmlinux.h" "$TMP/ours/vmlinux.h"
	cp "$TMP/vmlinux.bpftool.h" "$TMP/theirs/vmlinux.h"
	same=0 all=0
	for c in tests/core/*.bpf.c; do
		o=$(basename "$c" .bpf.c).o
		all=$((all + 1))
		for v in ours theirs; do
			$CLANG -O2 -g -target bpf -Wall -Werror -Wno-unused-function -I"$TMP/$v" \
				-Itests/core -c "$c" -o "$TMP/$v/$o" 2>>"$TMP/core.err"
			llvm-objdump -d --no-show-raw-insn "$TMP/$v/$o" | tail -n +3 >"$TMP/$v/$o.s"
		done
		if [ -s "$TMP/ours/$o.s" ] && cmp -s "$TMP/ours/$o.s" "$TMP/theirs/$o.s"; then
			same=$((same + 1))
		else
			echo "differs: $c" >>"$TMP/core.err"
		fi
	done
	check "btfgen: the CO-RE tests' $all programs build the same against our vmlinux.h ($same same)" \
		test "$same" = "$all" -a "$all" -gt 0
	[ ! -s "$TMP/core.err" ] || head -5 "$TMP/core.err"
fi

# include/'s kernel structs: what make headers writes for this kernel.  A
# kernel older than the one they were written from may lack a root
# (iov_iter's __iov is 6.4's, the string kfuncs 6.17's): then a skip.
mkdir -p "$TMP/include"
if BTFGEN=$BTFGEN BTF=$VMLINUX OUT=$TMP/include sh tools/headers.sh 2>"$TMP/headers.err"; then
	for h in include/task.h include/ep_sock.h include/kfuncs.h; do
		check "btfgen: $h names its roots" grep -q '^ \* btfgen: ' "$h"
		check "btfgen: $h is make headers' output for this kernel" \
			diff -u "$h" "$TMP/include/${h#include/}"
	done
elif grep -q "no type named\|has no field" "$TMP/headers.err"; then
	echo "SKIP btfgen: this kernel lacks a type the headers name: $(cat "$TMP/headers.err")"
else
	fail "btfgen: make headers runs" "$(cat "$TMP/headers.err")"
fi
