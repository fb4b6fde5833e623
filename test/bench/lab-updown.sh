#!/usr/bin/env bash
# Benchmark: time of a cold `vigil lab up` (control-plane binaries already built, nothing running), of a warm one
# (everything already up: the idempotent repair pass, used as the baseline), and of `vigil lab down`.
# Root + Linux only. Usage: test/bench/lab-updown.sh [ROUNDS] (default 2). Leaves the lab down.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-2}"
if [[ $(id -u) -ne 0 ]]; then echo "lab-updown: skipped (needs root)"; exit 0; fi
bash test/lab/controlplane/build.sh >/dev/null   # make sure the binaries are built: this measures lab up, not the build
bin/vigil lab down >/dev/null 2>&1 || true
bin/vigil --version >/dev/null                     # the CLI bundle is rebuilt outside the measurement

now() { date +%s.%N; }
cold=() warm=() down=()
for ((i = 1; i <= rounds; i++)); do
  t0=$(now); bin/vigil lab up --no-workloads >/dev/null 2>&1; t1=$(now)
  bin/vigil lab up --no-workloads >/dev/null 2>&1; t2=$(now)
  bin/vigil lab down >/dev/null 2>&1; t3=$(now)
  cold+=("$(echo "$t1 - $t0" | bc)") warm+=("$(echo "$t2 - $t1" | bc)") down+=("$(echo "$t3 - $t2" | bc)")
  echo "round $i: cold up ${cold[-1]} s, warm up ${warm[-1]} s, down ${down[-1]} s"
done
mean() { printf '%s\n' "$@" | awk '{s += $1} END {printf "%.2f", s / NR}'; }
c=$(mean "${cold[@]}") w=$(mean "${warm[@]}") d=$(mean "${down[@]}")
echo "lab-updown: cold lab up ${c} s (mean of ${rounds}), warm lab up ${w} s (baseline), lab down ${d} s"
echo "lab-updown: cold/warm = $(echo "scale=2; $c / $w" | bc)x, down/warm = $(echo "scale=2; $d / $w" | bc)x"
