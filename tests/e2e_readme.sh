#!/bin/sh
# The README's commands, run as written, and include/ proved self-contained.
#
# 1. Every BPF program in progs/ and tests/fixtures/ compiles with
#    "clang -O2 -g -target bpf -I include -nostdinc -c": nothing outside
#    include/ is needed, not even the host's kernel headers (the README's
#    command used to fail with "'asm/types.h' file not found").  One object
#    serves 32- and 64-bit kernels: make ARCH=armhf builds the same bytes.
# 2. Every number include/uapi.h copies from the kernel's uapi equals the
#    installed kernel headers' (skipped where they are not installed).
# 3. The README's code blocks, by the marker comment on the line before each:
#      <!-- test: run -->            each line of the ```sh block is run and
#                                    must exit 0 ("; status N": exit N)
#      <!-- test: run; stub CMD -->  the same, with CMD a stub that does
#                                    nothing (apt-get: the test installs nothing)
#      <!-- test: file NAME -->      the block is written to NAME first
#      <!-- test: skip: WHY -->      not run, for the reason given
#    A ```sh block without a marker fails: a new command cannot go untested
#    by oversight.  Not run: make test (it runs this), make bench and make
#    vmtest (minutes each; make test runs vmtest itself).
# 4. Every file README.md and DESIGN.md link to exists.
#
# The blocks run in order in a scratch directory standing for a checkout:
# a copy of include/ (so nothing reaches back into the tree), the rest
# linked.  tests/run.sh runs every e2e script twice; the README names
# ./mini-trace, so this runs once, with it, and says SKIP for the sanitizer
# build.  Needs the tree built (make all) and root, as the demos do.
. tests/lib.sh
: "${CLANG:=clang}"

if [ "$MT" != ./mini-trace ]; then
	echo "SKIP README commands: they name ./mini-trace, run once with it (MT=$MT)"
	exit 0
fi

# ---- 1. include/ is self-contained ----
for src in progs/*.bpf.c progs/examples/*.bpf.c tests/fixtures/*.bpf.c exercises/*/*.bpf.c; do
	if $CLANG -O2 -g -target bpf -I include -nostdinc -c "$src" \
		-o "$TMP/self.o" 2>"$TMP/self.err"; then
		pass "include: $src builds with -I include -nostdinc"
	else
		fail "include: $src builds with -I include -nostdinc" \
			"$(grep -m1 error "$TMP/self.err")"
	fi
done

# One object for 32- and 64-bit kernels (records read through CO-RE,
# include/tracepoint.h): what a 32-bit board's build (make ARCH=armhf)
# embeds and runs is this build's, byte for byte.
objs="exit.bpf.o password.bpf.o examples/exit_code.bpf.o examples/password.bpf.o"
if make -s --no-print-directory ARCH=armhf BUILD="$TMP/armhf" \
	$(for o in $objs; do printf '%s ' "$TMP/armhf/$o"; done) >"$TMP/armhf.out" 2>&1; then
	differ=$(for o in $objs; do cmp -s "$BUILD/$o" "$TMP/armhf/$o" || echo "$o"; done)
	check "include: make ARCH=armhf builds the same objects${differ:+ (differ: $differ)}" \
		test -z "$differ"
else
	fail "include: make ARCH=armhf builds the objects" "$(tail -n 3 "$TMP/armhf.out" | tr '\n' ' ')"
fi

# The fixtures' regs.h and the exercises' <bpf/bpf_tracing.h> are one
# struct pt_regs: a file may include both, on each architecture's layout.
printf '#include "mini_trace.h"\n#include <bpf/bpf_tracing.h>\n#include "regs.h"\n%s\n' \
	'SEC("kprobe/f") int f(struct pt_regs *ctx) { SUBMIT_NUM(PARM1(ctx) + PT_REGS_PARM2(ctx)); return 0; }' \
	>"$TMP/regs_both.bpf.c"
for def in "" -D__TARGET_ARCH_arm64 -D__TARGET_ARCH_arm -D__TARGET_ARCH_riscv; do
	if $CLANG -O2 -g -target bpf -I include -I tests/fixtures -nostdinc $def -c "$TMP/regs_both.bpf.c" \
		-o "$TMP/self.o" 2>"$TMP/self.err"; then
		pass "include: regs.h and bpf_tracing.h together ($def)"
	else
		fail "include: regs.h and bpf_tracing.h together ($def)" "$(grep -m1 error "$TMP/self.err")"
	fi
done

# ---- 2. uapi.h's numbers are the kernel's ----
cat >"$TMP/uapi_sys.c" <<'EOF'
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/fcntl.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <linux/uio.h>
#include <asm/ioctls.h>
EOF
if ${CC:-cc} -fsyntax-only -x c "$TMP/uapi_sys.c" 2>/dev/null; then
	# "NAME = VALUE," enumerators, "#define NAME VALUE" and "typedef T NAME;"
	sed -n -e 's|^[[:space:]]*\([A-Z][A-Za-z0-9_]*\) = \([^,]*\),.*|_Static_assert(\1 == (\2), "\1");|p' \
		-e 's|^#define \([A-Z][A-Z0-9_]*\)[[:space:]][[:space:]]*\(.*\)|_Static_assert(\1 == (\2), "\1");|p' \
		-e 's|^typedef \(.*\) \(__[a-z0-9]*\);|_Static_assert(__builtin_types_compatible_p(\2, \1), "\2");|p' \
		include/uapi.h | grep -v MINI_TRACE_UAPI_H >>"$TMP/uapi_sys.c"
	n=$(grep -c _Static_assert "$TMP/uapi_sys.c")
	if ${CC:-cc} -fsyntax-only -x c "$TMP/uapi_sys.c" 2>"$TMP/uapi.err" && [ "$n" -gt 40 ]; then
		pass "include: uapi.h's $n numbers and types equal the installed kernel headers'"
	else
		fail "include: uapi.h equals the installed kernel headers" \
			"$n checks; $(grep -m3 error "$TMP/uapi.err" | tr '\n' ' ')"
	fi
else
	echo "SKIP include: uapi.h against the kernel headers: none installed"
fi

# ---- 3. the README's commands ----
if ! make -s -q all 2>/dev/null; then
	fail "readme: the tree is built" "run make all first: the demo would build it"
	exit 0
fi
here=$(pwd)
box=$TMP/checkout
mkdir "$box"
for f in * .[!.]*; do
	[ -e "$f" ] || continue
	case $f in include|my_exercise.*) ;; *) ln -s "$here/$f" "$box/$f" ;; esac
done
cp -Rp include "$box/include"	# -p: as old as the objects built from it

# Split README.md into blocks: "N<TAB>line<TAB>lang<TAB>marker" in index,
# the body in N.
mkdir "$TMP/blocks"
awk -v dir="$TMP/blocks" '
	/^<!-- test: .* -->$/ {
		if (marker != "")
			print "BAD\t" mline "\t\tmarker not right before a code block" >(dir "/index")
		marker = $0
		sub(/^<!-- test: /, "", marker)
		sub(/ -->$/, "", marker)
		mline = NR
		next
	}
	!inside && /^```/ {
		if (marker != "" && mline != NR - 1)
			print "BAD\t" mline "\t\tmarker not right before a code block" >(dir "/index")
		inside = 1; n++; lang = substr($0, 4)
		if (mline != NR - 1) marker = ""
		print n "\t" NR "\t" lang "\t" marker >(dir "/index")
		printf "" >(dir "/" n)
		marker = ""; next
	}
	inside && /^```$/ { inside = 0; close(dir "/" n); next }
	inside { print >(dir "/" n) }
	END { if (marker != "") print "BAD\t" mline "\t\tmarker after the last block" >(dir "/index") }
' README.md

tab=$(printf '\t')
ran=0
while IFS="$tab" read -r n line lang marker; do
	case $n:$lang:$marker in
	BAD:*)
		fail "readme: marker at line $line" "$marker" ;;
	*::* | *:c:* | *:text:*)
		# Not commands; a marker may still ask for the block as a file.
		case $marker in
		"file "*)
			cp "$TMP/blocks/$n" "$box/${marker#file }" ;;
		"")
			;;
		*)
			fail "readme: block at line $line" "a $lang block can only be a file: $marker" ;;
		esac ;;
	*:sh:)
		fail "readme: sh block at line $line" "no <!-- test: ... --> marker on the line before it" ;;
	*:sh:"skip: "*)
		echo "SKIP readme: block at line $line (${marker#skip: })" ;;
	*:sh:run*)
		status=0
		rm -rf "$TMP/stub" && mkdir "$TMP/stub"
		rest=${marker#run}
		while [ -n "$rest" ]; do
			rest=${rest#; }
			word=${rest%%;*}
			case $word in
			"stub "*)
				printf '#!/bin/sh\necho "stub: %s $*" >&2\n' "${word#stub }" >"$TMP/stub/${word#stub }"
				chmod +x "$TMP/stub/${word#stub }" ;;
			"status "*)
				status=${word#status } ;;
			*)
				fail "readme: block at line $line" "unknown marker word '$word'" ;;
			esac
			case $rest in *";"*) rest=${rest#*;} ;; *) rest= ;; esac
		done
		# One command per line; a line ending in a backslash goes on.
		sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$TMP/blocks/$n" >"$TMP/cmds"
		while IFS= read -r cmd; do
			[ -n "$cmd" ] || continue
			(cd "$box" && PATH="$TMP/stub:$PATH" timeout -s KILL 300 sh -c "$cmd" \
				</dev/null >"$TMP/cmd.out" 2>&1)
			rc=$?
			if [ "$rc" = "$status" ]; then
				pass "readme: line $line: $cmd"
			else
				fail "readme: line $line: $cmd" "status $rc, wanted $status: $(tail -n 5 "$TMP/cmd.out" | tr '\n' ' ')"
			fi
			ran=$((ran + 1))
		done <"$TMP/cmds"
		;;
	*:sh:*)
		fail "readme: block at line $line" "unknown marker '$marker'" ;;
	esac
done <"$TMP/blocks/index"
check "readme: some commands were run" test "$ran" -gt 0

# ---- 4. every file the README and DESIGN.md link to exists ----
# (the tour names each source file; a move must take the links along)
for doc in README.md DESIGN.md; do
	missing=$(grep -o '](\([^)#:]*\))' "$doc" | sed 's/^](\(.*\))$/\1/' | while read -r target; do
		[ -e "$target" ] || echo "$target"
	done)
	check "readme: every file $doc links to exists${missing:+ (missing: $missing)}" test -z "$missing"
done
