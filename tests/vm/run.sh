#!/bin/bash
# make vmtest: boot each kernel of tests/vm/matrix in qemu with an initramfs
# holding only mini-trace, the sample programs and tests/vm/init.c as /init;
# print one line per kernel and architecture:
#
#   kernel 6.1.0-50-cloud-amd64         x86_64   PASS   4.2s
#   kernel 5.10.0-32-cloud-amd64        x86_64   FAIL   6.1s  (expected to fail: exit password; 5.10: ...) exit=fail ... -- exit: ...
#
# then a summary.  Exits 1 if a demo failed on a kernel where the matrix
# expects it to pass, or if a kernel gave no result (panic, hang, fetch).
#
#   tests/vm/run.sh [SUITE-FLAVOUR ...]     default: every line of the matrix
#
# Environment:
#   BUILD            the build directory (build); the guests' root trees are
#                    BUILD/vm/ARCH/root, made by "make vmtest-images"
#   VM_ARCHES        guest architectures to run (default: x86_64 aarch64
#                    armhf riscv64 s390x ppc64el); kernels of the others are listed as SKIP
#   VMTEST_ONLY      an extended regex: only the kernels whose SUITE-FLAVOUR
#                    matches
#   VMTEST_DEMOS     the demos /init runs, comma-separated (default: all)
#   VMTEST_TIMEOUT   seconds one boot may take, whatever happens (300)
#   VMTEST_JOBS      kernels booted at once (default: the number of CPUs)
#   VMTEST_MATRIX    the matrix file (tests/vm/matrix)
#
# Every console is kept in BUILD/vm/logs/SUITE-FLAVOUR.log.
#
# KVM is not usable on the machines this runs on, so qemu emulates (TCG).
# qemu exits 0 whether the guest passed, failed or panicked: the verdict is
# the "VMTEST RESULT" line /init prints, and a guest that never prints it
# (panic, hang) fails.
set -u

here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}
VM_ARCHES=${VM_ARCHES:-x86_64 aarch64 armhf riscv64 s390x ppc64el}
matrix=${VMTEST_MATRIX:-$here/matrix}
timeout=${VMTEST_TIMEOUT:-300}
# shellcheck source=tests/vm/boot.sh
. "$here/boot.sh"
demos=${VMTEST_DEMOS:-}
cache=${MINI_TRACE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/mini-trace}
logs=$BUILD/vm/logs

# guest ARCH: the guest architecture of a Debian one, and how qemu boots it.
#   x86_64:  the PC, its first serial port.  Without CMPXCHG16B: with it,
#            one boot in five of Debian's 6.12 kernel dies in SLUB's
#            lockless fast path (a double fault on "cmpxchg16b %gs:(%rsi)"
#            in __kmalloc) under qemu 7.2's emulation; without it SLUB
#            takes its locked path and every boot gets through.
#   aarch64: "virt", its PL011 UART; -cpu max with pauth-impdef, because
#            emulating the architected pointer authentication (QARMA) makes
#            plain "max" three times slower
#   armhf:   "virt" with a Cortex-A15, for the armmp-lpae kernels
#   riscv64: "virt", its 16550 UART, OpenSBI (qemu's default firmware)
#   s390x:   the virtio machine, -cpu max (the kernel wants a z14 or
#            later); the console is the SCLP's VT220 line
#   ppc64el: "pseries" (a POWER machine under a hypervisor: SLOF boots
#            it), the hypervisor's virtual console hvc0
# shellcheck disable=SC2054
guest() {
	case $1 in
	amd64)
		arch=x86_64 console=ttyS0
		qemu=(qemu-system-x86_64 -M pc -cpu qemu64,-cx16) ;;
	arm64)
		arch=aarch64 console=ttyAMA0
		qemu=(qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on) ;;
	armhf)
		arch=armhf console=ttyAMA0
		qemu=(qemu-system-arm -M virt -cpu cortex-a15) ;;
	riscv64)
		arch=riscv64 console=ttyS0
		qemu=(qemu-system-riscv64 -M virt) ;;
	s390x)
		arch=s390x console=ttysclp0
		qemu=(qemu-system-s390x -M s390-ccw-virtio -cpu max) ;;
	ppc64el)
		arch=ppc64el console=hvc0
		qemu=(qemu-system-ppc64 -M pseries) ;;
	esac
}

# debian_arch FLAVOUR: as in fetch-kernels.sh.
debian_arch() {
	case $1 in
	*amd64) echo amd64 ;;
	*arm64*) echo arm64 ;;
	armmp*) echo armhf ;;
	riscv64) echo riscv64 ;;
	s390x) echo s390x ;;
	powerpc64le) echo ppc64el ;;
	esac
}

# initramfs ARCH: pack the root tree into BUILD/vm/ARCH/initramfs.cpio
# (newc, uncompressed: every kernel takes it, and nothing to inflate under
# emulation).  The mount points are made here; /bin/cat is /init.
initramfs() {
	root=$BUILD/vm/$1/root
	if [ ! -x "$root/init" ] || [ ! -x "$root/mini-trace" ]; then
		echo "vmtest: $root is incomplete: run 'make vmtest-images'" >&2
		return 1
	fi
	mkdir -p "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/bin"
	ln -sfn ../init "$root/bin/cat"
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0) >"$BUILD/vm/$1/initramfs.cpio"
}

# seconds START END: the time between two "date +%s.%N", as 4.2s.
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fs", b - a }'; }

# boot KERNEL-DIR LOG: boot it with the guest's initramfs (tests/vm/boot.sh).
boot() {
	vm_boot "$2" 'VMTEST RESULT' "${qemu[@]}" -kernel "$1/vmlinuz" \
		-initrd "$BUILD/vm/$arch/initramfs.cpio" \
		-append "console=$console panic=-1 loglevel=3 vmtest_demos=$demos"
}

# last_words LOG: the last line the guest printed, without the terminal
# escapes of the firmware, or qemu's word that it was stopped.
last_words() {
	tr -d '\r' <"$1" |
		sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g; s/qemu-system-[^ ]*: terminating on signal.*//' |
		grep -a -v '^ *$' | tail -n 1 | cut -c 1-200
}

# The matrix: "suite flavour expect [why]" lines, expect being "pass" or
# "xfail:DEMO,...".
mapfile -t lines < <(grep -E '^[a-z]' "$matrix")
if [ $# -gt 0 ]; then
	want=" $* "
else
	want=
fi

start_all=$(date +%s.%N)
mkdir -p "$logs"
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# one N: fetch, boot and judge the kernel of matrix line N (its settings in
# suite flavour expect why name label arch qemu console), print its line,
# and leave its class (ok, xfail, failed; xpass) in $results/N.
one() {
	kdir=$cache/kernels/$name
	log=$logs/$name.log
	t0=$(date +%s.%N)
	# Quiet, unless it has something to download.
	if ! "$here/fetch-kernels.sh" -q "$suite:$flavour" 2>"$log.fetch"; then
		result=$(tail -n 1 "$log.fetch")
		rc=fetch log=$log.fetch
	else
		rm -f "$log.fetch"
		label=$(printf 'kernel %-30s %-8s' "$(cat "$kdir/release")" "$arch")
		t0=$(date +%s.%N)
		boot "$kdir" "$log"
		rc=$?
		# A kernel that died before it ran /init has not met mini-trace:
		# emulation trouble, worth one more try (said on the line).
		retried=
		if ! grep -aq 'VMTEST BOOT' "$log"; then
			retried="retried after: $(last_words "$log"); "
			mv "$log" "$log.1"
			t0=$(date +%s.%N)
			boot "$kdir" "$log"
			rc=$?
		fi
		result=$(tr -d '\r' <"$log" | grep -a -o 'VMTEST RESULT .*' | tail -n 1)
	fi
	time=$(seconds "$t0" "$(date +%s.%N)")
	# The verdict: PASS if /init said pass.  A failure counts only if a
	# demo failed that the matrix does not expect to fail there, or if
	# there is no result at all.
	broken='' known='' fixed=''
	case $result in
	"VMTEST RESULT "*)
		verdict=$(echo "$result" | awk '{ print toupper($3) }')
		detail=${result#VMTEST RESULT pass}
		detail=${detail#VMTEST RESULT fail}
		detail=${detail# }
		for d in ${detail%% -- *}; do
			case ,${expect#xfail:}, in
			*,"${d%%=*}",*) xf=1 ;;
			*) xf= ;;
			esac
			case $d=$xf in
			*=fail=1) known="$known ${d%%=*}" ;;
			*=fail=) broken="$broken ${d%%=*}" ;;
			*=ok=1) fixed="$fixed ${d%%=*}" ;;
			esac
		done
		[ "$verdict" = PASS ] && detail= ;;
	*)
		verdict=FAIL broken=boot
		if [ "$rc" = fetch ]; then
			detail=$result
		elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			detail="no result: timed out after ${timeout}s"
		else
			# The guest died before its verdict: its last words.
			detail="no result (qemu status $rc): $(last_words "$log")"
		fi ;;
	esac
	[ "$rc" = fetch ] || detail="$retried$detail"
	[ -z "$known" ] || detail="(expected to fail:$known; $why) $detail"
	[ -z "$fixed" ] || detail="(passed, though expected to fail:$fixed; update tests/vm/matrix) $detail"

	if [ -n "$broken" ]; then
		class=failed
		detail="$detail [log: $log]"
	elif [ -n "$known" ]; then
		class=xfail
	else
		class=ok
	fi
	[ -z "$fixed" ] || class="$class xpass"
	echo "$class" >"$results/$1"
	printf '%s %-6s %6s%s\n' "$label" "$verdict" "$time" "${detail:+  $detail}"
}

# The kernels boot VMTEST_JOBS at a time (default: one per CPU): each
# guest is one emulating thread, mostly.  Lines print as kernels finish.
jobs=${VMTEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
skipped=0 n=0
packed=" "
for l in "${lines[@]}"; do
	read -r suite flavour expect why <<<"$l"
	name=$suite-$flavour
	[ -z "$want" ] || [[ $want == *" $name "* ]] || continue
	[ -z "${VMTEST_ONLY:-}" ] || [[ $name =~ $VMTEST_ONLY ]] || continue
	guest "$(debian_arch "$flavour")"
	label=$(printf 'kernel %-30s %-8s' "$name" "$arch")

	if [[ " $VM_ARCHES " != *" $arch "* ]] || ! command -v "${qemu[0]}" >/dev/null; then
		echo "$label SKIP   (no ${qemu[0]} or no $arch compiler)"
		skipped=$((skipped + 1))
		continue
	fi
	if [[ $packed != *" $arch "* ]]; then
		initramfs "$arch" || exit 1
		packed="$packed$arch "
	fi
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	n=$((n + 1))
	one "$n" &
done
wait

ok=0 xfail=0 failed=0 xpass=0
for f in "$results"/*; do
	[ -e "$f" ] || continue
	read -r class extra <"$f"
	case $class in
	ok) ok=$((ok + 1)) ;;
	xfail) xfail=$((xfail + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
	[ -z "$extra" ] || xpass=$((xpass + 1))
done
# A kernel whose job died without a class failed too.
failed=$((failed + n - $(find "$results" -type f | wc -l)))

echo "vmtest: $ok ok, $xfail failed as expected, $failed failed unexpectedly," \
	"$skipped skipped, $xpass passed unexpectedly; $(seconds "$start_all" "$(date +%s.%N)")"
[ "$failed" -eq 0 ]
