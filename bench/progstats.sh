#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bench/progstats.sh: what each of password's programs costs per run, as the
# kernel counts it, with the target not open and held open by another process.
#
#   sh bench/progstats.sh [MT [READS [N]]]   (root, under the kernel lock)
#
# kernel.bpf_stats_enabled=1 has the kernel time every run of every BPF
# program (bpf_prog_run() in include/linux/filter.h adds sched_clock()
# deltas to the program's run_time_ns and run_cnt, which `bpftool prog show`
# prints).  The counts are read just before and after N one-byte reads of
# /dev/zero (build/bench/reads) run under `MT password`, so the difference
# is nearly all that workload's syscalls: ns per run of each program, and
# the programs' ns per read in all.  Other processes' syscalls on the
# machine in that time are counted too (the counts column says how many
# more runs there were than reads).  The sysctl is put back as it was.
# Last, the same for build/bench/empty's do-nothing programs on the same
# tracepoints: what the counting itself and an empty run cost (the floor).
set -eu
MT=${1:-./mini-trace}
READS=${2:-build/bench/reads}
N=${3:-2000000}
EMPTY=${EMPTY:-build/bench/empty}
OBJ=${OBJ:-build/password.bpf.o}
dir=$(mktemp -d)
target=$dir/password
echo secret >"$target"
old=$(sysctl -n kernel.bpf_stats_enabled)
trap 'sysctl -q kernel.bpf_stats_enabled="$old"; rm -rf "$dir"' EXIT
sysctl -q kernel.bpf_stats_enabled=1

snap='bpftool -j prog show >"$1"'
for case in closed held floor; do
	tool="$MT password --file $target"
	if [ $case = held ]; then
		pre='exec 3<"$0"; sleep 300 & exec 3<&-'
		post='kill $!'
	else
		pre=: post=:
	fi
	if [ $case = floor ]; then
		[ -x "$EMPTY" ] || break
		tool="$EMPTY --like $OBJ"
	fi
	$tool -- sh -c "$pre; set -- $dir/$case.a; $snap; \"$READS\" $N /dev/zero >$dir/$case.wl; set -- $dir/$case.b; $snap; $post" "$target" >/dev/null
	python3 - "$dir/$case.a" "$dir/$case.b" "$N" "$case" "$dir/$case.wl" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
n, case = int(sys.argv[3]), sys.argv[4]
wl = open(sys.argv[5]).read().split()
before = {p["id"]: p for p in a}
total = 0
print(f"target {case}: {n} reads, {' '.join(w for w in wl if w.startswith('cpu_ns'))}")
for p in b:
    q = before.get(p["id"])
    if not q or "run_cnt" not in p:
        continue
    cnt = p["run_cnt"] - q.get("run_cnt", 0)
    ns = p["run_time_ns"] - q.get("run_time_ns", 0)
    if not cnt:
        continue
    total += ns
    print(f"  {p['name']:<16} runs {cnt:>9}  ns/run {ns / cnt:6.1f}")
print(f"  all programs: {total / n:.1f} ns per read")
EOF
done
