# shellcheck shell=bash
# Sourced by tests/vm/run.sh (make vmtest) and bench/vm/run.sh (make vmbench).
#
# vm_boot LOG MARKER QEMU-ARGS...: boots qemu with the console to LOG, no
# network card (none is needed, and its boot ROM would be), at most
# $timeout seconds.  Returns once qemu has exited, or a few seconds after
# the guest printed MARKER (a guest that hangs powering off has said its
# piece).  $timeout is the caller's.
# shellcheck disable=SC2154
vm_boot() {
	local log=$1 marker=$2 pid
	shift 2
	: >"$log"
	timeout -k 5 "$timeout" "$@" -m 512 -nographic -no-reboot -nic none \
		</dev/null >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if grep -aq "$marker" "$log"; then
			for _ in $(seq 50); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill "$pid" 2>/dev/null
			break
		fi
		sleep 0.1
	done
	wait "$pid"
}
