#!/bin/sh
# mini-trace password: the file, not its spelling (issue 17).  Where the
# kernel has BTF, password decides by the inode behind an fd; without, by
# the path a process opened.  Every case runs in the mode this kernel gives,
# then again with /sys/kernel/btf hidden in a mount namespace (by path), and
# each expects what README.md's table "What password does not see" says of
# that mode.  Output is checked byte for byte, with "pid=N tid=N" written
# "pid=P tid=P".
. tests/lib.sh
S=$BUILD/samples
if [ -r /sys/kernel/btf/vmlinux ]; then mode=inode; else mode=path; fi
M="password ($mode)"

. tests/password_lib.sh

# by_mode INODE PATH: what is expected in this mode.
by_mode() { if [ $mode = inode ]; then printf '%s' "$1"; else printf '%s' "$2"; fi; }

# Other names of one file: a symlink, a hard link, a relative path, openat
# from a directory fd, "//", "/./", "/../", and a bind mount of the file
# (in a mount namespace of its own, so that nothing is left mounted).  Each
# read takes a different number of bytes, to tell them apart.
mkdir "$TMP/spell"
T=$TMP/spell/password
printf 'hunter2\n' >"$T"
ln -s "$T" "$TMP/spell-link"
ln "$T" "$TMP/spell-hard"
: >"$TMP/spell-bind"
pw "$TMP/out" "$T" "" sh -c '
	head -c 1 "$1-link" >/dev/null
	head -c 2 "$1-hard" >/dev/null
	(cd "$1" && head -c 3 password >/dev/null)
	python3 -c "import os, sys; d = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
assert os.read(os.open(\"password\", os.O_RDONLY, dir_fd=d), 4) == b\"hunt\"" "$1"
	head -c 5 "/$1//password" >/dev/null
	head -c 6 "$1/./password" >/dev/null
	head -c 7 "$1/../spell/password" >/dev/null
	unshare -m sh -c "mount --bind \"\$1/password\" \"\$1-bind\" && head -c 8 \"\$1-bind\" >/dev/null" sh "$1"
' sh "$TMP/spell"
lines "$M: symlink, hard link, relative, openat, //, /./, /../, bind mount" "$(by_mode 'pid=P tid=P comm="head" fd=3 len=1 data="h"
pid=P tid=P comm="head" fd=3 len=2 data="hu"
pid=P tid=P comm="head" fd=3 len=3 data="hun"
pid=P tid=P comm="python3" fd=4 len=4 data="hunt"
pid=P tid=P comm="head" fd=3 len=5 data="hunte"
pid=P tid=P comm="head" fd=3 len=6 data="hunter"
pid=P tid=P comm="head" fd=3 len=7 data="hunter2"
pid=P tid=P comm="head" fd=3 len=8 data="hunter2\n"' '')" "$TMP/out"

# Reopening: /dev/fd/N and /proc/self/fd/N of an fd the shell opened, and
# an O_PATH fd (which cannot be read) reopened through /proc/self/fd.
T=$TMP/reopen-target
printf 'hunter2\n' >"$T"
pw "$TMP/out" "$T" "" sh -c '
	exec 3<"$1"
	head -c 3 /dev/fd/3 >/dev/null
	head -c 4 /proc/self/fd/3 >/dev/null
	exec 3<&-
	python3 -c "import os, sys; p = os.open(sys.argv[1], os.O_PATH)
assert os.read(os.open(\"/proc/self/fd/%d\" % p, os.O_RDONLY), 5) == b\"hunte\"" "$1"
' sh "$T"
lines "$M: /dev/fd/N, /proc/self/fd/N, O_PATH reopened" "$(by_mode 'pid=P tid=P comm="head" fd=4 len=3 data="hun"
pid=P tid=P comm="head" fd=4 len=4 data="hunt"
pid=P tid=P comm="python3" fd=4 len=5 data="hunte"' '')" "$TMP/out"

# An fd that arrives without an open by the reader: over a unix socket
# (SCM_RIGHTS), and taken from another process with pidfd_getfd.
T=$TMP/passed-target
printf 'hunter2\n' >"$T"
pw "$TMP/out" "$T" "" "$S/fd_pass" "$T"
lines "$M: an fd received over a unix socket" \
	"$(by_mode 'pid=P tid=P comm="fd_pass" fd=5 len=8 data="hunter2\n"' '')" "$TMP/out"
pw "$TMP/out" "$T" "" "$S/getfd" "$T"
lines "$M: an fd taken with pidfd_getfd" \
	"$(by_mode 'pid=P tid=P comm="getfd" fd=6 len=8 data="hunter2\n"' '')" "$TMP/out"

# Fds from 1024 up: one dup2'd to 1500, one opened as fd 1103.
T=$TMP/high-target
printf 'hunter2\n' >"$T"
pw "$TMP/out" "$T" "" python3 -c '
import os, resource, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
t = os.open(sys.argv[1], os.O_RDONLY)
assert t == 3, t
os.dup2(t, 1500)
os.close(t)
assert os.read(1500, 3) == b"hun"
while os.open("/dev/null", os.O_RDONLY) < 1102:
    pass
t = os.open(sys.argv[1], os.O_RDONLY)
assert t == 1103, t
assert os.read(t, 4) == b"hunt"
' "$T"
lines "$M: fds 1500 and 1103" "$(by_mode 'pid=P tid=P comm="python3" fd=1500 len=3 data="hun"
pid=P tid=P comm="python3" fd=1103 len=4 data="hunt"' '')" "$TMP/out"

# Another mount namespace's file at the same path (a tmpfs over the
# directory, as a container has its own /tmp): another file, not reported
# by inode; by path it is.  The target itself is read afterwards.
mkdir "$TMP/ns"
T=$TMP/ns/password
printf 'hunter2\n' >"$T"
pw "$TMP/out" "$T" "" sh -c '
	unshare -m sh -c "mount -t tmpfs none \"\$1\" && printf decoy >\"\$1/password\" && cat \"\$1/password\" >/dev/null" sh "$1"
	head -c 2 "$1/password" >/dev/null
' sh "$TMP/ns"
lines "$M: another mount namespace's file at the same path" "$(by_mode 'pid=P tid=P comm="head" fd=3 len=2 data="hu"' 'pid=P tid=P comm="cat" fd=3 len=5 data="decoy"
pid=P tid=P comm="head" fd=3 len=2 data="hu"')" "$TMP/out"

# A path rewritten by another thread while open() reads it: 2,000 opens of a
# path flipping between the target and a decoy.  By inode, every read of
# the target is reported and no read of the decoy; by path that race is
# lost both ways (README.md), and only the run itself is checked.
T=$TMP/flip-t D=$TMP/flip-d
printf 'hunter2\n' >"$T"
printf 'decoy!!\n' >"$D"
pw "$TMP/out" "$T" "" "$S/path_flip" "$T" "$D" 2000 "$TMP/counts"
target=$(sed -n 's/^target=\([0-9]*\) .*/\1/p' "$TMP/counts" 2>/dev/null)
check "$M: path flipper ran both ways ($(cat "$TMP/counts" 2>/dev/null)), status $rc/$st" \
	test "$rc/$st" = 0/0 -a -n "$target"
if [ $mode = inode ]; then
	check "$M: path flipper: no decoy byte reported" \
		test "$(grep -vc 'comm="path_flip" fd=3 len=8 data="hunter2\\n"$' "$TMP/out")" = 0
	check "$M: path flipper: every target read reported ($(wc -l <"$TMP/out") of $target)" \
		test "$(wc -l <"$TMP/out")" = "$target"
fi

# The target deleted and created again while password runs: the new file
# is the target (stat(2) of --file again), as it is by path.
T=$TMP/again-target
printf 'hunter2\n' >"$T"
pw "$TMP/out" "$T" "" sh -c '
	head -c 1 "$1" >/dev/null
	rm "$1"
	printf "newpass\n" >"$1"
	head -c 3 "$1" >/dev/null
' sh "$T"
lines "$M: target deleted and created again" 'pid=P tid=P comm="head" fd=3 len=1 data="h"
pid=P tid=P comm="head" fd=3 len=3 data="new"' "$TMP/out"

# -v says which way, once.
mt "$TMP/out" password -v --file "$T" -- true
check "$M: -v says the mode once" test "$(grep -c 'no kernel BTF: --file is matched by the path' "$TMP/out.err")" = "$(by_mode 0 1)"

# Everything again without BTF: /sys/kernel/btf hidden by an empty tmpfs in
# a mount namespace of this script's own.
if [ $mode = inode ] && [ -z "$PW_BY_PATH" ]; then
	unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf && PW_BY_PATH=1 sh "$0"' "$0"
fi
