#!/bin/bash
# make vmbench: the "attach kinds" benchmark in a qemu guest, where the
# kernel has kprobes and a BPF trampoline (the host's has neither): boot
# each kernel with an initramfs of bench/vm/init.c as /init, mini-trace,
# the static libbpf-attach, /bench/stamp and attach3.bpf.o; /init times
# both tools on that one object, alternated, and prints VMBENCH lines.
#
#   bench/vm/run.sh [SUITE-FLAVOUR ...]   default: the newest x86_64
#                                         kernel of tests/vm/matrix (its
#                                         last amd64 line: sid's), then
#                                         the oldest (its first: 5.10)
#
# Each kernel's VMBENCH lines go to BUILD/bench/vm/SUITE-FLAVOUR.txt (read
# by bench/run.py's "attach kinds in a guest" section), its console to
# SUITE-FLAVOUR.log beside it.  The kernels are tests/vm's, fetched once by
# tests/vm/fetch-kernels.sh into the same cache.  Guests run one at a time.
#
# Environment:
#   BUILD            the build directory (build); the guest's root tree is
#                    BUILD/vm/bench/root, made by "make vmbench-image"
#   VMBENCH_ROUNDS   rounds of each condition in one guest (30;
#                    a guest of 30 takes about 20 s here)
#   VMBENCH_TIMEOUT  seconds one boot may take, whatever happens (1200)
#
# qemu emulates (TCG), as for make vmtest: /dev/kvm may be there, but a
# guest under KVM dies at once on these machines ("KVM internal error.
# Suberror: 1").  Emulated times are many times the native ones: the
# figure is the ratio of the two tools in one guest run, not their ms.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-build}
rounds=${VMBENCH_ROUNDS:-30}
timeout=${VMBENCH_TIMEOUT:-1200}
# shellcheck source=tests/vm/boot.sh
. "$top/tests/vm/boot.sh"
cache=${MINI_TRACE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/mini-trace}
root=$BUILD/vm/bench/root
out=$BUILD/bench/vm
accel=tcg

if [ $# -eq 0 ]; then
	mapfile -t amd64 < <(awk '/^[a-z]/ && $2 ~ /amd64$/ { print $1 "-" $2 }' "$top/tests/vm/matrix")
	if [ ${#amd64[@]} -eq 0 ]; then
		echo "vmbench: no amd64 kernel in tests/vm/matrix" >&2
		exit 1
	fi
	set -- "${amd64[-1]}"
	[ ${#amd64[@]} -lt 2 ] || set -- "$@" "${amd64[0]}"
fi
for f in init mini-trace bench/stamp bench/libbpf-attach bench/attach3.bpf.o; do
	if [ ! -e "$root/$f" ]; then
		echo "vmbench: $root/$f is missing: run 'make vmbench-image'" >&2
		exit 1
	fi
done
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "vmbench: no qemu-system-x86_64 (apt-get install -y qemu-system-x86)" >&2
	exit 1
fi

# The initramfs (newc, uncompressed, as tests/vm/run.sh packs it).
mkdir -p "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$out"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) \
	>"$BUILD/vm/bench/initramfs.cpio" || exit 1
rm -f "$out"/*.txt "$out"/*.log

status=0
for name in "$@"; do
	suite=${name%%-*} flavour=${name#*-}
	case $flavour in
	*amd64) ;;
	*)
		echo "vmbench: $name: only x86_64 guests (the object is built for x86_64)" >&2
		status=1
		continue
		;;
	esac
	if ! "$top/tests/vm/fetch-kernels.sh" -q "$suite:$flavour"; then
		echo "vmbench: $name: no kernel" >&2
		status=1
		continue
	fi
	kdir=$cache/kernels/$name
	log=$out/$name.log
	echo "vmbench: $(cat "$kdir/release") x86_64, $rounds rounds, qemu $accel (slow: compare the ratio)" >&2
	# -cpu qemu64,-cx16: as tests/vm/run.sh boots x86_64 (SLUB's cmpxchg16b
	# path dies under qemu 7.2's emulation one boot in five).
	vm_boot "$log" 'VMBENCH RESULT' qemu-system-x86_64 -M pc -cpu qemu64,-cx16 \
		-kernel "$kdir/vmlinuz" -initrd "$BUILD/vm/bench/initramfs.cpio" \
		-append "console=ttyS0 panic=-1 loglevel=3 vmbench_rounds=$rounds vmbench_accel=$accel"
	tr -d '\r' <"$log" | grep -a -o 'VMBENCH .*' >"$out/$name.txt"
	grep -E 'VMBENCH (BOOT|MEDIAN|RATIO|RESULT|FAIL)' "$out/$name.txt" >&2
	if ! grep -q 'VMBENCH RESULT pass' "$out/$name.txt"; then
		echo "vmbench: $name: no result [log: $log]" >&2
		status=1
	fi
done
exit $status
