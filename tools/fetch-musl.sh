#!/bin/sh
# Fetch Debian's musl for a cross build, once: the static C library, its crt
# objects and headers, unpacked into ~/.cache/mini-trace/musl/DEBARCH/, with
# a musl-gcc.specs that points Debian's gcc cross compiler at them.
#
#   tools/fetch-musl.sh [-q] DEBARCH     prints the specs file's path
#
# DEBARCH is a Debian architecture: arm64, armhf, riscv64, s390x, ppc64el.
#   -q   print only the path, downloads and problems
#
# Debian has no musl cross toolchain, but it has musl-dev for these
# architectures (riscv64's from trixie on), and its musl-gcc.specs turns
# any gcc into a musl one: it replaces the include path, crt objects and
# libc with musl's.  The specs name /usr/..., so they are rewritten to the
# unpacked tree; gcc still brings its own libgcc.  The kernel's uapi
# headers (linux/, asm/) are not musl's: the Makefile takes them from the
# cross compiler's glibc tree, /usr/GNU-TRIPLE/include.
#
# The package comes from the Debian archive this machine's apt uses, with a
# private apt state (tools/debian-apt.sh): nothing on the machine changes,
# and no root is needed.  MINI_TRACE_MIRROR=URL overrides the archive.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${MINI_TRACE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/mini-trace}
quiet=

say() { [ -n "$quiet" ] || echo "$@" >&2; }
die() { echo "fetch-musl: $*" >&2; exit 1; }
. "$here/debian-apt.sh"

[ "${1:-}" = -q ] && { quiet=1; shift; }
[ $# -eq 1 ] || { echo "usage: $0 [-q] DEBARCH" >&2; exit 2; }
arch=$1

# The oldest suite with musl-dev for the architecture.
case $arch in
arm64 | armhf | s390x | ppc64el) suite=bookworm ;;
riscv64) suite=trixie ;;
*) die "no musl-dev known for '$arch'" ;;
esac

dir=$cache/musl/$arch
if [ ! -s "$dir/musl-gcc.specs" ]; then
	say "musl for $arch: looking up musl-dev in $suite"
	mkdir -p "$cache/musl"
	tmp=$(mktemp -d "$cache/musl/.fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	apt_state "$tmp/apt" "$suite" "$arch" >&2
	# shellcheck disable=SC2086
	(cd "$tmp" && apt-get $apt -q download musl-dev >download.log 2>&1) ||
		{ cat "$tmp/download.log" >&2; die "$suite: cannot download musl-dev for $arch"; }
	mkdir "$tmp/x"
	dpkg-deb -x "$tmp"/musl-dev_*.deb "$tmp/x"
	specs=$(find "$tmp/x/usr/lib" -name musl-gcc.specs | head -n 1)
	[ -n "$specs" ] || die "$suite: no musl-gcc.specs in musl-dev for $arch"
	libdir=$(dirname "$specs")
	# trixie's riscv64 objects carry relocations (and attributes) that
	# bookworm's riscv64 ld cannot link, and segfaults on: debug info
	# and .riscv.attributes are all they are needed for.
	if [ "$arch" = riscv64 ]; then
		command -v llvm-objcopy >/dev/null || die "riscv64 needs llvm-objcopy (Debian's llvm)"
		for o in "$libdir"/*.o "$libdir"/*.a; do
			llvm-objcopy --strip-debug --remove-section=.riscv.attributes "$o"
		done
	fi
	# Every /usr/ in the specs is the machine's: make it the tree's.
	sed "s|/usr/|$dir/usr/|g" "$specs" >"$tmp/x/musl-gcc.specs"
	basename "$tmp"/musl-dev_*.deb >"$tmp/x/package"
	rm -rf "$dir"
	mv "$tmp/x" "$dir"
	rm -rf "$tmp"
	trap - EXIT
	say "musl for $arch: $(cat "$dir/package")"
fi
echo "$dir/musl-gcc.specs"
