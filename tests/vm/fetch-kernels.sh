#!/bin/sh
# Fetch Debian kernels for make vmtest, once: each one's vmlinuz and config
# are kept in ~/.cache/mini-trace/kernels/SUITE-FLAVOUR/ and a second run
# downloads nothing.
#
#   tests/vm/fetch-kernels.sh [-q] [-u] [SUITE:FLAVOUR ...]
#
# Without arguments: every kernel of tests/vm/matrix.
#   -q   print only downloads and problems
#   -u   look the packages up again and download them again
#
# The kernels come from the Debian archive this machine's apt already uses
# (the first source whose Release file says Origin and Label "Debian"), so no
# host name is written here; MINI_TRACE_MIRROR=URL overrides it.  apt runs
# with a private, temporary state per suite and architecture
# (tools/debian-apt.sh), so the machine's apt sources are neither used nor
# changed, and only one package list (~10 MB) is fetched per kernel.  Only the
# files the guest needs are unpacked: no initramfs, no modules.
#
# Each kernel directory holds:
#   vmlinuz  config  release (uname -r)  package (what was downloaded)
#   modules.builtin (when the package has it)
# vmlinuz is the kernel image, which is Debian's vmlinux where it ships that
# (riscv64, ppc64el): qemu boots either.
#
# Needs apt-get, dpkg-deb and tar, as any Debian machine has.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${MINI_TRACE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/mini-trace}
matrix=${VMTEST_MATRIX:-$here/matrix}
quiet=
update=

# Config options the guest needs built in (=y): the initramfs has no modules.
# BPF programs attached to tracepoints: BPF_SYSCALL, BPF_EVENTS (which needs
# TRACEPOINTS and PERF_EVENTS); the syscalls/ tracepoints: FTRACE_SYSCALLS;
# /init: BLK_DEV_INITRD, DEVTMPFS, and the serial console of the machine.
required="BPF_SYSCALL BPF_EVENTS FTRACE_SYSCALLS PERF_EVENTS TRACEPOINTS BLK_DEV_INITRD DEVTMPFS"
# Shown for information: not needed, but they change what the verifier does.
optional="BPF_JIT BPF_JIT_ALWAYS_ON DEBUG_INFO_BTF BPF_UNPRIV_DEFAULT_OFF"

say() { [ -n "$quiet" ] || echo "$@"; }
die() { echo "fetch-kernels: $*" >&2; exit 1; }

# console_of ARCH: the config option of the serial console qemu gives it.
console_of() {
	case $1 in
	amd64 | riscv64) echo SERIAL_8250_CONSOLE ;;
	s390x) echo SCLP_VT220_CONSOLE ;;
	ppc64el) echo HVC_CONSOLE ;;
	*) echo SERIAL_AMBA_PL011_CONSOLE ;;
	esac
}

# arch_of FLAVOUR: its Debian architecture.
arch_of() {
	case $1 in
	*amd64) echo amd64 ;;
	*arm64*) echo arm64 ;;
	armmp*) echo armhf ;;
	riscv64) echo riscv64 ;;
	s390x) echo s390x ;;
	powerpc64le) echo ppc64el ;;
	*) die "flavour '$1': unknown architecture" ;;
	esac
}

# mirror, apt_state: apt-get with a private state.
. "$here/../../tools/debian-apt.sh"

# depends PACKAGE PATTERN: PACKAGE's dependencies whose names match PATTERN.
depends() {
	# shellcheck disable=SC2086
	apt-cache $apt show "$1" 2>/dev/null | sed -n 's/^Depends: //p' | head -n 1 |
		sed 's/[,|]/\n/g' | sed 's/^ *//; s/ .*//' | grep -E "$2" || :
}

# fetch SUITE FLAVOUR: download and unpack one kernel, unless it is cached.
fetch() {
	suite=$1 flavour=$2 arch=$(arch_of "$2")
	dir=$cache/kernels/$suite-$flavour
	if [ -z "$update" ] && [ -s "$dir/vmlinuz" ] && [ -s "$dir/config" ]; then
		return
	fi
	echo "$suite-$flavour: looking up linux-image-$flavour"
	tmp=$(mktemp -d "$cache/kernels/.fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	apt_state "$tmp/apt" "$suite" "$arch"

	# linux-image-FLAVOUR depends on the current linux-image-VERSION-FLAVOUR.
	# Up to trixie that package holds /boot/vmlinuz-* and /boot/config-*;
	# from forky on it is empty and they are in linux-binary-VERSION-FLAVOUR
	# and linux-base-VERSION-FLAVOUR, under /usr/lib/modules/VERSION/.
	image=$(depends "linux-image-$flavour" "^linux-image-[0-9]" | head -n 1)
	[ -n "$image" ] || die "$suite: no linux-image-$flavour for $arch"
	pkgs="$image $(depends "$image" "^linux-(binary|base)-[0-9]" | tr '\n' ' ')"
	pkgs=${pkgs% }

	# shellcheck disable=SC2086
	(cd "$tmp" && apt-get $apt -q download $pkgs >download.log 2>&1) ||
		{ cat "$tmp/download.log" >&2; die "$suite: cannot download $pkgs"; }
	bytes=$(cat "$tmp"/*.deb | wc -c)

	# Only the members the guest needs: the packages with modules are big.
	mkdir "$tmp/x"
	for deb in "$tmp"/*.deb; do
		members=$(dpkg-deb --fsys-tarfile "$deb" | tar -t |
			grep -E '^\./(boot/(vmlinu[xz]|config)-|(usr/)?lib/modules/[^/]+/(vmlinu[xz]|config|modules\.builtin)$)' || :)
		[ -z "$members" ] && continue
		# shellcheck disable=SC2086
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/x" $members
	done

	mkdir "$tmp/k"
	for f in "$tmp"/x/boot/* "$tmp"/x/usr/lib/modules/*/* "$tmp"/x/lib/modules/*/*; do
		case $f in
		*/vmlinu[xz]-* | */vmlinu[xz]) mv "$f" "$tmp/k/vmlinuz" ;;
		*/config-* | */config) mv "$f" "$tmp/k/config" ;;
		*/modules.builtin) mv "$f" "$tmp/k/modules.builtin" ;;
		esac
	done
	if [ ! -s "$tmp/k/vmlinuz" ] || [ ! -s "$tmp/k/config" ]; then
		die "$suite: no vmlinuz or config in $pkgs"
	fi
	# uname -r is the versioned package's name less "linux-image-".
	release=${image#linux-image-}
	echo "$release" >"$tmp/k/release"
	for deb in "$tmp"/*.deb; do basename "$deb"; done >"$tmp/k/package"
	echo "$bytes" >"$tmp/k/downloaded"

	rm -rf "$dir"
	mv "$tmp/k" "$dir"
	rm -rf "$tmp"
	trap - EXIT
	echo "$suite-$flavour: $release, downloaded $((bytes / 1048576)) MiB ($pkgs)"
}

# value CONFIG OPTION: y, m or n (not set).
value() {
	v=$(sed -n "s/^CONFIG_$2=//p" "$1")
	echo "${v:-n}"
}

# check SUITE FLAVOUR: the options above, from the kernel's config.
# Prints one line; returns 1 if a required option is not built in.
check() {
	dir=$cache/kernels/$1-$2
	line="" bad=""
	for opt in $required $(console_of "$(arch_of "$2")"); do
		v=$(value "$dir/config" "$opt")
		line="$line $opt=$v"
		[ "$v" = y ] || bad="$bad $opt=$v"
	done
	for opt in $optional; do
		line="$line $opt=$(value "$dir/config" "$opt")"
	done
	if [ -n "$bad" ]; then
		echo "$1-$2 $(cat "$dir/release"): not built in:$bad" >&2
		return 1
	fi
	say "$1-$2 ($(cat "$dir/release")):$line"
}

while getopts qu opt; do
	case $opt in
	q) quiet=1 ;;
	u) update=1 ;;
	*) echo "usage: $0 [-q] [-u] [SUITE:FLAVOUR ...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ]; then
	# shellcheck disable=SC2046
	set -- $(sed -n 's/^\([a-z][^ \t]*\)[ \t]\+\([^ \t]\+\).*/\1:\2/p' "$matrix")
fi

mkdir -p "$cache/kernels"
status=0
for k in "$@"; do
	fetch "${k%%:*}" "${k#*:}"
	check "${k%%:*}" "${k#*:}" || status=1
done
exit $status
