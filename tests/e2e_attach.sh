#!/bin/sh
# Attach kinds beyond tracepoints: uprobe and uretprobe on a test binary's
# function and on libc's, with arguments and return values checked; a raw
# tracepoint; kprobes, which this machine's kernel lacks (CONFIG_KPROBES
# unset), refused in one line; broken uprobe targets, one line each.
# Nothing is left in the kernel or in tracefs afterwards.
. tests/lib.sh
FX=$BUILD/fixtures
TRACEFS=/sys/kernel/tracing
[ -d $TRACEFS/events ] || TRACEFS=/sys/kernel/debug/tracing

# The fixtures name their targets by paths relative to the repository, under build/.
if [ "$BUILD" != build ]; then
	echo "SKIP e2e_attach: the fixtures' uprobe paths assume BUILD=build"
	exit 0
fi

# uprobe + uretprobe on the sample's own function: its arguments (40, 2)
# on entry, its return value on return.
objects_mark
uprobes_before=$(cat $TRACEFS/uprobe_events 2>/dev/null)
mt "$TMP/out" run -v "$FX/uprobe.bpf.o" -- "$BUILD/samples/uprobe_target"
check "attach: uprobe run exits 0" test "$rc" = 0
expect_out "attach: uprobe sees the arguments, uretprobe the return value" \
	"submit: 40002
debug: 42" "$TMP/out"
check "attach: -v says what the uprobe is and how" grep -q \
	"prog 'on_add' attached to uprobe /.*/build/samples/uprobe_target+0x[0-9a-f]* (uprobe PMU type [0-9]*): fd" \
	"$TMP/out.err"
check "attach: -v says uretprobe" grep -q \
	"prog 'on_add_return' attached to uretprobe /.*/build/samples/uprobe_target+0x[0-9a-f]* (uprobe PMU type" \
	"$TMP/out.err"
# The offset narrated is the one nm and readelf give: address - segment's vaddr + its offset.
addr=$(nm "$BUILD/samples/uprobe_target" | sed -n 's/^\([0-9a-f]*\) T add_numbers$/\1/p')
off=$(grep -o 'uprobe_target+0x[0-9a-f]*' "$TMP/out.err" | head -1 | sed 's/.*+0x//')
seg=$(readelf -lW "$BUILD/samples/uprobe_target" | awk '$1 == "LOAD" { print $2, $3, $5 }' |
	while read -r o v f; do
		[ $((0x$addr)) -ge $((v)) ] && [ $((0x$addr)) -lt $((v + f)) ] &&
			printf '%x' $((0x$addr - v + o))
	done)
check "attach: the uprobe's file offset is add_numbers' ($seg)" test -n "$seg" -a "$off" = "$seg"
objects_left
check "attach: nothing of the uprobe run is left in the kernel" test -z "$left"
check "attach: nothing left in uprobe_events" test "$(cat $TRACEFS/uprobe_events 2>/dev/null)" = "$uprobes_before"

# A shared library by absolute path (libbpf's uprobe//PATH form): libc's
# atoi, its string argument and its return value.
if [ -e /lib/x86_64-linux-gnu/libc.so.6 ]; then
	objects_mark
	mt "$TMP/out" run "$FX/uprobe_libc.bpf.o" --expect 4321 -- "$BUILD/samples/uprobe_target"
	check "attach: libc uprobe run exits 0" test "$rc" = 0
	expect_out "attach: libc's atoi seen with its argument and return value" \
		'debug: "4321"
submit: 4321' "$TMP/out"
	objects_left
	check "attach: nothing of the libc uprobe run is left" test -z "$left"
else
	echo "SKIP attach: libc uprobe: no /lib/x86_64-linux-gnu/libc.so.6"
fi

# raw_tp/: sys_enter's own arguments, the exit code read from its registers.
objects_mark
mt "$TMP/out" run -v "$FX/raw_tp.bpf.o" --expect 42 -- "$BUILD/exit_with_code" 42
check "attach: raw_tp sees exit_group's argument" test "$rc" = 0 -a "$(cat "$TMP/out")" = "submit: 42"
check "attach: -v says raw tracepoint" grep -q \
	"prog 'on_sys_enter' attached to raw tracepoint sys_enter (BPF_RAW_TRACEPOINT_OPEN): fd" \
	"$TMP/out.err"
objects_left
check "attach: nothing of the raw_tp run is left" test -z "$left"

# kprobes: this kernel has none; one line names what it lacks, status 1
# (the kernel lacks it), before anything is created.
if [ -e /sys/bus/event_source/devices/kprobe ] || [ -e $TRACEFS/kprobe_events ]; then
	echo "SKIP attach: kprobe refusal: this kernel has kprobes (tests/vm runs them)"
else
	for fx in kprobe kretprobe ksyscall ksyscall_missing; do
		objects_mark
		mt "$TMP/out" run "$FX/$fx.bpf.o" -- /bin/true
		check "attach: $fx object refused with status 1" test "$rc" = 1
		check "attach: $fx refusal is one line naming the missing support" sh -c "
			test \$(wc -l <'$TMP/out.err') = 1 &&
			grep -q 'this kernel has no kprobes: no kprobe PMU in /sys/bus/event_source/devices and no kprobe_events in .* (CONFIG_KPROBES and CONFIG_KPROBE_EVENTS are not set)' '$TMP/out.err'"
		objects_left
		check "attach: $fx refusal creates nothing" test -z "$left"
	done
fi

# Broken uprobe targets: one clear line each, status 1, nothing created.
broken() {
	objects_mark
	mt "$TMP/out" run "$FX/uprobe_broken.bpf.o" -- /bin/true
	objects_left
	check "attach: broken target ($1) gives status 1" test "$rc" = 1
	expect_out "attach: broken target ($1) is one line" \
		"mini-trace: prog 'on_add': uprobe: $2" "$TMP/out.err"
	check "attach: broken target ($1) creates nothing" test -z "$left"
}
dir=$BUILD/uprobe-broken
rm -rf "$dir"
mkdir -p "$dir"
broken "missing" "build/uprobe-broken/target: No such file or directory"
T=$(realpath "$dir")/target
printf '#!/bin/sh\nexit 0\n' >"$dir/target"
broken "not ELF" "$T: not an ELF file"
head -c 200 "$BUILD/samples/uprobe_target" >"$dir/target"
broken "truncated" "$T: truncated: program headers past the end of the file"
head -c 10 "$BUILD/samples/uprobe_target" >"$dir/target"
broken "truncated header" "$T: truncated: 10 bytes, less than an ELF header"
objcopy --strip-symbol=add_numbers "$BUILD/samples/uprobe_target" "$dir/target"
broken "no such symbol" "$T: no function 'add_numbers'"
strip -o "$dir/target" "$BUILD/samples/uprobe_target"
broken "stripped, dynamic" \
	"$T: no function 'add_numbers' (.symtab is stripped; .dynsym lacks it)"
cp ./mini-trace "$dir/target"
broken "stripped, static" "$T: no symbol table (stripped): name the function by offset"
rm -rf "$dir"

# tp_btf/: a raw tracepoint typed by the kernel's BTF (btf_trace_sys_enter),
# loaded as BPF_PROG_TYPE_TRACING for that type's id.
if [ -e /sys/kernel/btf/vmlinux ]; then
	objects_mark
	mt "$TMP/out" run -v "$FX/tp_btf.bpf.o" --expect 42 -- "$BUILD/exit_with_code" 42
	check "attach: tp_btf sees exit_group's argument" test "$rc" = 0 -a "$(cat "$TMP/out")" = "submit: 42"
	check "attach: -v says which BTF type tp_btf is" grep -q \
		"prog 'on_sys_enter': sys_enter is BTF type [0-9]* of the kernel's (TYPEDEF btf_trace_...)" \
		"$TMP/out.err"
	check "attach: -v says tp_btf and how" grep -q \
		"prog 'on_sys_enter' attached to tp_btf sys_enter (BTF id [0-9]*, BPF_RAW_TRACEPOINT_OPEN): fd" \
		"$TMP/out.err"
	objects_left
	check "attach: nothing of the tp_btf run is left" test -z "$left"

	# A function the kernel's BTF lacks: one line, before anything is made.
	objects_mark
	mt "$TMP/out" run "$FX/fentry_missing.bpf.o" -- /bin/true
	objects_left
	check "attach: fentry on a missing function gives status 1" test "$rc" = 1
	expect_out "attach: fentry on a missing function is one line" \
		"mini-trace: prog 'on_nothing': fentry/mini_trace_no_such_function: function mini_trace_no_such_function is not in this kernel's BTF" \
		"$TMP/out.err"
	check "attach: fentry on a missing function creates nothing" test -z "$left"

	# fentry/fexit: this machine's kernel refuses their load (EPERM, while
	# tp_btf loads): one line naming it, nothing left.  Where it does not,
	# the known answers (tests/vm runs them on the kernels that can).
	objects_mark
	mt "$TMP/out" run "$FX/fentry.bpf.o" --expect 3 -- "$BUILD/exit_with_code" 3
	objects_left
	if grep -q "refuses fentry/fexit" "$TMP/out.err"; then
		check "attach: fentry refusal gives status 1" test "$rc" = 1
		expect_out "attach: fentry refusal is one line naming it" \
			"mini-trace: prog 'on_group_exit': load: this kernel refuses fentry/fexit programs (BPF_PROG_TYPE_TRACING load: EPERM, though its maps were created)" \
			"$TMP/out.err"
	else
		check "attach: fentry sees exit_group's code" test "$rc" = 0 -a "$(cat "$TMP/out")" = "submit: 3"
	fi
	check "attach: nothing of the fentry run is left" test -z "$left"
else
	echo "SKIP attach: tp_btf, fentry: no /sys/kernel/btf/vmlinux"
fi
