#!/bin/sh
# make test: every tier of tests, then one line "N passed, N failed".
#
#   1. parser tests on the built objects and on broken ones (ASan, UBSan)
#   2. loader tests: a fixture with every kind of global data and
#      subprograms loaded, run and read back; a verifier rejection
#   3. end-to-end tests against the running kernel, with the static binary
#      and with the sanitizer build
#   4. the formatter agrees with every C file (make format-check)
#   5. the fuzzer: saved regressions, then a short run (FUZZ_SECONDS);
#      mini-trace-btfgen's too (FUZZ_BTFGEN_SECONDS)
#   6. make vmtest, when qemu is installed (VMTEST=vmtest)
#
# The end-to-end tests need root (bpf(2), perf_event_open(2), tracefs).
# Without it they are skipped with a message, except under CI, where a
# skip is a failure.
set -u
BUILD=${BUILD:-build}
export BUILD
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() {
	"$@" 2>&1 | tee -a "$log" | grep -v '^PASS'
}

run "$BUILD/test_parse" "$BUILD"

if [ "$(id -u)" != 0 ]; then
	echo "SKIP end-to-end tests: they load BPF programs and need root"
	[ "${CI:-}" = true ] && echo "FAIL end-to-end tests: skipped under CI" >>"$log"
else
	run "$BUILD/test_load" "$BUILD"
	for e2e in tests/e2e_*.sh; do
		echo "# $e2e with ./mini-trace"
		MT=./mini-trace run sh "$e2e"
		echo "# $e2e with $BUILD/mini-trace-san (ASan, UBSan)"
		MT=$BUILD/mini-trace-san ASAN_OPTIONS=detect_leaks=1 run sh "$e2e"
	done
fi

# one tier's verdict from its exit status: NAME COMMAND...
tier() {
	name=$1; shift
	echo "# $name"
	if "$@" >"$log.tier" 2>&1; then
		echo "PASS $name" >>"$log"
	else
		echo "FAIL $name" | tee -a "$log"
	fi
	grep -E '^(kernel|vmtest:|#[0-9]+ *DONE|Done|stat::number_of_executed_units|==[0-9]+==|SUMMARY)' "$log.tier" || true
	rm -f "$log.tier"
}

tier "format: every C file as clang-format writes it" make -s format-check
tier "fuzz: saved regressions" make -s fuzz-regress BUILD="$BUILD"
tier "fuzz: ${FUZZ_SECONDS:-60} s without a crash" make -s fuzz BUILD="$BUILD" FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
tier "fuzz: mini-trace-btfgen, ${FUZZ_BTFGEN_SECONDS:-30} s without a crash" \
	make -s fuzz-btfgen BUILD="$BUILD" FUZZ_SECONDS="${FUZZ_BTFGEN_SECONDS:-30}"
if [ -n "${VMTEST:-}" ]; then
	tier "vmtest: the kernel x architecture matrix" make -s vmtest BUILD="$BUILD"
else
	echo "SKIP vmtest: qemu or a cross compiler is missing"
fi

passed=$(grep -c '^PASS' "$log")
failed=$(grep -c '^FAIL' "$log")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
