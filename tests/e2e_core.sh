#!/bin/sh
# CO-RE: objects written as a libbpf user writes them (tests/core/, built
# from a vmlinux.h and libbpf-dev's headers) read the right fields of the
# running kernel, each answer known in advance.  core_probe prints its
# getppid(), the answer of the two objects that read task->real_parent->tgid.
. tests/lib.sh
CO=$BUILD/core
FX=$BUILD/fixtures
PROBE=$BUILD/samples/core_probe

# core_run NAME OBJECT [ARGS...]: runs OBJECT on core_probe with -v.
core_run() {
	name=$1 obj=$2; shift 2
	mt "$TMP/out" run -v "$obj" "$@" -- "$PROBE"
}

# The two-pointer read, and the same through a flavor with other offsets.
for obj in core_read core_flavor; do
	core_run $obj "$CO/$obj.bpf.o"
	ppid=$(grep -v '^submit' "$TMP/out" | head -n 1)
	check "core: $obj runs" test "$rc" = 0
	check "core: $obj answers the probe's getppid() ($ppid)" \
		grep -qx "submit: $ppid" "$TMP/out"
done
check "core: -v narrates the flavor's relocation (task_struct.real_parent: 8 -> the kernel's)" \
	grep -q "^mini-trace: prog 'flavor_tgid': CO-RE task_struct.real_parent: field byte offset 8 -> [0-9]*$" \
	"$TMP/out.err"

# Exists, size, type and enum relocations whose local values differ.
core_run checks "$CO/core_checks.bpf.o" --expect 116016301
check "core: field/type exists, field/type size, enum value/exists: 116016301" test "$rc" = 0
check "core: -v narrates an enum value (7 -> 3)" \
	grep -q "CO-RE pid_type::PIDTYPE_SID___mine: enum value 7 -> 3$" "$TMP/out.err"

# struct sock's fields of the socket the probe listens on, each compared
# with what the kernel wrote into the tracepoint record (core_sock.bpf.c).
core_run sock "$CO/core_sock.bpf.o" --expect 1
check "core: struct sock's family, port, protocol and type of the probe's socket" test "$rc" = 0
check "core: -v narrates sk_protocol's offset" \
	grep -q "^mini-trace: prog 'sock_listen': CO-RE sock.sk_protocol: field byte offset [0-9]* -> [0-9]*$" \
	"$TMP/out.err"

# A bitfield at another bit of another word locally.
core_run bitfield "$CO/core_bitfield.bpf.o" --expect 11
check "core: a bitfield read (sched_reset_on_fork, set by the probe)" test "$rc" = 0

# A poisoned read behind bpf_core_field_exists() loads; an unguarded one is
# refused naming the relocation, the program and the source line.
core_run poison "$CO/core_poison.bpf.o" --expect 7
check "core: a poisoned read the verifier cannot reach loads" test "$rc" = 0
core_run missing "$CO/core_missing.bpf.o"
check "core: an unguarded read of a missing field is refused (status 1)" test "$rc" = 1
check "core: the refusal names relocation, program, field and source line" \
	grep -q "^mini-trace: prog 'unguarded': CO-RE relocation 0 (task_struct.no_such_field: field byte offset) found nothing in the kernel's BTF, and the verifier reached the instruction it poisoned (instruction [0-9]*, near core_missing.bpf.c:[0-9]*)$" \
	"$TMP/out.err"

# A signed field at another width (the record's long id read as an int):
# poisoned as libbpf does, and the refusal says why, not "found nothing".
core_run signed "$CO/core_signed.bpf.o"
check "core: a signed field read at another width is refused (status 1)" test "$rc" = 1
check "core: ... naming the field, both widths and the source line" \
	grep -q "^mini-trace: prog 'narrow_id': CO-RE relocation 0 (trace_event_raw_sys_enter.id) reads a signed field of 8 bytes as 4: a load cannot be resized and sign-extend, so it was poisoned, and the verifier reached it (instruction [0-9]*, near core_signed.bpf.c:[0-9]*)$" \
	"$TMP/out.err"

# The old refusal fixture: task_struct_lite is no kernel type.
mt "$TMP/out" run "$FX/core.bpf.o" -- /bin/true
check "core: a relocation against a type the kernel lacks is refused" \
	grep -q "^mini-trace: prog 'reads_core_field': CO-RE relocation 0 (task_struct_lite.tgid: field byte offset) found nothing" \
	"$TMP/out.err"

# --btf: another file of the kernel's types, and hostile ones.
core_run btf "$CO/core_flavor.bpf.o" --btf /sys/kernel/btf/vmlinux
check "core: --btf /sys/kernel/btf/vmlinux gives the same answer" grep -qx "submit: $(grep -v '^submit' "$TMP/out" | head -n 1)" "$TMP/out"
# hostile NAME FILE LINE-PATTERN
hostile() {
	objects_mark
	mt "$TMP/out" run "$CO/core_read.bpf.o" --btf "$2" -- /bin/true
	objects_left
	check "core: --btf $1: refused" test "$rc" != 0
	check "core: --btf $1: one line" test "$(wc -l <"$TMP/out.err")" = 1
	check "core: --btf $1: says why" grep -q "$3" "$TMP/out.err"
	check "core: --btf $1: nothing left in the kernel" test -z "$left"
}
hostile "missing file" "$TMP/nope" "prog 'parent_tgid': 2 CO-RE relocations: --btf $TMP/nope: No such file or directory"
head -c 100000 /sys/kernel/btf/vmlinux >"$TMP/trunc"
hostile "truncated" "$TMP/trunc" "kernel BTF $TMP/trunc: btf: .* out of range"
printf 'not btf at all, not btf at all' >"$TMP/junk"
hostile "junk" "$TMP/junk" "kernel BTF $TMP/junk: btf: bad magic"

# Externs: kfuncs (one missing, __weak, guarded by bpf_ksym_exists()) and
# __kconfig.
core_run ksym "$CO/core_ksym.bpf.o" --expect 106
check "core: kfunc bpf_strstr and a missing __weak kfunc: 106" test "$rc" = 0
check "core: -v narrates the kfunc's kernel BTF id" \
	grep -q "^mini-trace: prog 'ksyms': bpf_strstr: kfunc, kernel BTF id [1-9][0-9]*$" "$TMP/out.err"
IFS=.- read -r ka kb kc _ <<EOV
$(uname -r)
EOV
[ "$kc" -gt 255 ] 2>/dev/null && kc=255
core_run kconfig "$CO/core_kconfig.bpf.o" --expect $((ka * 65536 + kb * 256 ${kc:+ + kc}))
check "core: __kconfig LINUX_KERNEL_VERSION of $(uname -r), a missing __weak CONFIG_ 0" test "$rc" = 0
mt "$TMP/out" run "$CO/core_config.bpf.o" --expect 1 -- "$PROBE"
if [ -r "/boot/config-$(uname -r)" ]; then
	check "core: __kconfig CONFIG_BPF_SYSCALL from /boot/config-$(uname -r)" test "$rc" = 0
else
	check "core: __kconfig CONFIG_ without /boot/config-$(uname -r): refused" test "$rc" = 1
	expect_out "core: __kconfig CONFIG_ without a readable config: one line naming it" \
		"mini-trace: extern 'CONFIG_BPF_SYSCALL' (__kconfig): this kernel's config is not readable (/boot/config-\$(uname -r))" \
		"$TMP/out.err"
fi
# A virtual __kconfig extern mini-trace does not give is refused, even __weak.
mt "$TMP/out" run "$CO/core_wrapper.bpf.o" -- "$PROBE"
check "core: LINUX_HAS_SYSCALL_WRAPPER (__weak) is refused (status 1)" test "$rc" = 1
expect_out "core: ... in one line naming it" \
	"mini-trace: extern 'LINUX_HAS_SYSCALL_WRAPPER' (__kconfig): not a value mini-trace gives (LINUX_KERNEL_VERSION and CONFIG_* only)" \
	"$TMP/out.err"
# An untyped __ksym is an address from /proc/kallsyms, if it has one.
if ! grep -qw init_task /proc/kallsyms; then
	mt "$TMP/out" run "$FX/ksym.bpf.o" -- /bin/true
	check "core: an untyped __ksym not in /proc/kallsyms is refused, named" grep -qx \
		"mini-trace: prog 'reads_ksym': extern 'init_task' (__ksym): not in /proc/kallsyms" "$TMP/out.err"
fi
# A typed __ksym variable: its BTF id, whose address the verifier finds in
# kallsyms, which lists variables only with CONFIG_KALLSYMS_ALL.
if grep -qw runqueues /proc/kallsyms; then
	core_run ksym_var "$CO/core_ksym_var.bpf.o" --expect 11
	check "core: typed __ksym runqueues: this CPU's number and current task (11)" test "$rc" = 0
else
	objects_mark
	mt "$TMP/out" run "$CO/core_ksym_var.bpf.o" --expect 11 -- "$PROBE"
	objects_left
	check "core: a typed __ksym without CONFIG_KALLSYMS_ALL: refused (status 1)" test "$rc" = 1
	expect_out "core: ... in one line saying why" \
		"mini-trace: prog 'ksym_var': extern 'runqueues' (__ksym): a variable not in /proc/kallsyms: this kernel was built without CONFIG_KALLSYMS_ALL, the verifier cannot find its address" \
		"$TMP/out.err"
	check "core: ... nothing left in the kernel" test -z "$left"
fi

# Tracepoint contexts, as vmlinux.h declares them and through a flavor with
# its fields moved: right only if every record's fields are relocated.
core_run tp "$CO/core_tp.bpf.o"
ppid=$(grep -v '^submit' "$TMP/out" | head -n 1)
check "core: tracepoint contexts from kernel BTF: the probe's getppid() ($ppid)" \
	grep -qx "submit: $ppid" "$TMP/out"

# A kernel without BTF: /sys/kernel/btf hidden under an empty tmpfs, in a
# mount namespace of this run's own (unshare -m makes its mounts private).
# Tracepoint contexts then come from tracefs' format files; other CO-RE
# objects are refused in one line, or read a BTF file given with --btf.
if unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf' 2>/dev/null; then
	cp /sys/kernel/btf/vmlinux "$TMP/vmlinux.btf"
	# nobtf OUT ARGS...: mt OUT ARGS... with no /sys/kernel/btf/vmlinux.
	nobtf() {
		out=$1; shift
		timeout -s KILL 60 unshare -m sh -c \
			'mount -t tmpfs none /sys/kernel/btf && exec "$@"' sh "$MT" "$@" \
			>"$out" 2>"$out.err"
		rc=$?
	}
	nobtf "$TMP/out" run -v "$CO/core_tp.bpf.o" -- "$PROBE"
	ppid=$(grep -v '^submit' "$TMP/out" | head -n 1)
	check "core: no kernel BTF: tracepoint contexts from tracefs ($ppid)" \
		grep -qx "submit: $ppid" "$TMP/out"
	check "core: no kernel BTF: -v names the format file" grep -q \
		"^mini-trace: prog 'leave': CO-RE trace_event_raw_sys_exit: no kernel BTF: from .*/events/raw_syscalls/sys_exit/format$" \
		"$TMP/out.err"
	check "core: no kernel BTF: the moved flavor relocated (ret 8 -> 16)" grep -q \
		"^mini-trace: prog 'leave': CO-RE trace_event_raw_sys_exit.ret: field byte offset 8 -> 16$" \
		"$TMP/out.err"
	check "core: no kernel BTF: sched_process_exec's own format (pid at 12)" grep -q \
		"^mini-trace: prog 'exec': CO-RE trace_event_raw_sched_process_exec.pid: field byte offset 12 -> 12$" \
		"$TMP/out.err"
	# The exit demo reads every record through CO-RE (MINI_TRACE_TP_CORE).
	nobtf "$TMP/out" exit -v -- "$BUILD/exit_with_code" 9
	check "core: no kernel BTF: the exit demo (status 9)" test "$rc" = 9
	check "core: no kernel BTF: the exit demo reports code=9" \
		grep -q '^comm="exit_with_code" pid=[0-9]* code=9$' "$TMP/out"
	check "core: no kernel BTF: the exit demo's records from tracefs" grep -q \
		"^mini-trace: prog 'on_process_exit_group': CO-RE trace_event_raw_sys_enter: no kernel BTF: from .*/events/raw_syscalls/sys_enter/format$" \
		"$TMP/out.err"
	# So does the password demo: by path, its syscall records from tracefs.
	printf 'hunter2\n' >"$TMP/nobtf-password"
	nobtf "$TMP/out" password -v --file "$TMP/nobtf-password" -- \
		sh -c 'exec cat "$1" >/dev/null' sh "$TMP/nobtf-password"
	check "core: no kernel BTF: the password demo (status 0)" test "$rc" = 0
	check "core: no kernel BTF: the password demo reports the bytes cat read" \
		grep -q '^pid=[0-9]* tid=[0-9]* comm="cat" fd=3 len=8 data="hunter2\\n"$' "$TMP/out"
	check "core: no kernel BTF: the password demo's records from tracefs" grep -q \
		"^mini-trace: prog 'sys_enter': CO-RE trace_event_raw_sys_enter: no kernel BTF: from .*/events/raw_syscalls/sys_enter/format$" \
		"$TMP/out.err"
	objects_mark
	nobtf "$TMP/out" run "$CO/core_read.bpf.o" -- "$PROBE"
	objects_left
	check "core: no kernel BTF: task_struct relocations refused (status 1)" test "$rc" = 1
	expect_out "core: no kernel BTF: one line saying so" \
		"mini-trace: prog 'parent_tgid': 2 CO-RE relocations: this kernel has no BTF (/sys/kernel/btf/vmlinux): give its types with --btf PATH" \
		"$TMP/out.err"
	check "core: no kernel BTF: nothing left in the kernel" test -z "$left"
	nobtf "$TMP/out" run "$CO/core_read.bpf.o" --btf "$TMP/vmlinux.btf" -- "$PROBE"
	ppid=$(grep -v '^submit' "$TMP/out" | head -n 1)
	check "core: no kernel BTF: --btf FILE answers ($ppid)" grep -qx "submit: $ppid" "$TMP/out"
else
	echo "SKIP core: no kernel BTF: cannot mount in a mount namespace of its own"
fi

# A type only a module has (core_module.bpf.c): vmlinux lacks it, so each
# module's split BTF is searched.  This host has no module BTF: in a mount
# namespace of this run's own, /sys/kernel/btf becomes a directory holding
# vmlinux's and a module's made by tests/split_btf.py, then also a junk one.
mt "$TMP/out" run "$CO/core_module.bpf.o" --expect 0 -- "$PROBE"
check "core: no module has mt_module_thing: it does not exist (0)" test "$rc" = 0
if unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf' 2>/dev/null; then
	mkdir "$TMP/sysbtf"
	cp /sys/kernel/btf/vmlinux "$TMP/sysbtf/vmlinux"
	python3 tests/split_btf.py "$TMP/sysbtf/vmlinux" "$TMP/sysbtf/mt_fake"
	# modbtf OUT ARGS...: mt OUT ARGS... with $TMP/sysbtf as /sys/kernel/btf.
	modbtf() {
		out=$1; shift
		timeout -s KILL 60 unshare -m sh -c \
			'mount --bind "$0" /sys/kernel/btf && exec "$@"' "$TMP/sysbtf" "$MT" "$@" \
			>"$out" 2>"$out.err"
		rc=$?
	}
	modbtf "$TMP/out" run -v "$CO/core_module.bpf.o" --expect 124016 -- "$PROBE"
	check "core: a module's type: exists, its size, b's offset (124016)" test "$rc" = 0
	check "core: -v names the module whose BTF answered" grep -q \
		"^mini-trace: prog 'module_type': CO-RE mt_module_thing.b (module mt_fake): field byte offset 4 -> 16$" \
		"$TMP/out.err"
	printf 'junk, not BTF at all, not BTF at all' >"$TMP/sysbtf/mt_junk"
	objects_mark
	modbtf "$TMP/out" run "$CO/core_module.bpf.o" -- "$PROBE"
	objects_left
	check "core: a module's BTF that is junk: refused (status 1)" test "$rc" = 1
	expect_out "core: a module's BTF that is junk: one line naming it" \
		"mini-trace: kernel BTF of module mt_junk: btf: bad magic 0x756a" "$TMP/out.err"
	check "core: a module's BTF that is junk: nothing left in the kernel" test -z "$left"
else
	echo "SKIP core: module BTF: cannot mount in a mount namespace of its own"
fi

# Differential against libbpf: bpftool (libbpf 1.x) loads each object, and
# the kernel's translated instructions of its program must be the ones of
# the program mini-trace loaded, map ids aside.  Objects libbpf loads on
# any kernel only: not core_config (it reads /proc/config.gz) nor core_missing.
norm() { sed -e 's/map\[id:[0-9]*\]/map/g' -e 's/^ *[0-9]*: //'; }
if command -v bpftool >/dev/null && mkdir "$TMP/bpffs" && mount -t bpf bpf "$TMP/bpffs"; then
	trap 'umount "$TMP/bpffs" 2>/dev/null; rm -rf "$TMP"' EXIT
	for obj in core_read core_flavor core_checks core_bitfield core_poison core_ksym core_kconfig core_tp core_sock core_module; do
		bpftool prog load "$CO/$obj.bpf.o" "$TMP/bpffs/p" 2>"$TMP/bpftool.err" &&
			bpftool prog dump xlated pinned "$TMP/bpffs/p" | norm >"$TMP/libbpf.x"
		rm -f "$TMP/bpffs/p"
		"$BUILD/kobjects" ids | sort >"$TMP/before"
		start_bg "$TMP/bg" run -v "$CO/$obj.bpf.o" -- sleep 2
		id=$("$BUILD/kobjects" ids | sort | comm -13 "$TMP/before" - | sed -n 's/^prog //p' | head -n 1)
		[ -n "$id" ] && bpftool prog dump xlated id "$id" | norm >"$TMP/mt.x"
		wait "$bg"
		cmp -s "$TMP/libbpf.x" "$TMP/mt.x" || diff "$TMP/libbpf.x" "$TMP/mt.x" | head -n 20
		check "core: $obj: mini-trace's translated program is libbpf's" \
			cmp -s "$TMP/libbpf.x" "$TMP/mt.x"
		rm -f "$TMP/libbpf.x" "$TMP/mt.x"
	done
	umount "$TMP/bpffs"
else
	echo "SKIP core: differential against libbpf: no bpftool or bpffs"
fi
