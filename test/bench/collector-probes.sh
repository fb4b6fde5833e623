#!/usr/bin/env bash
# Collector micro-benchmarks (Go): what the hot-path probes cost per run, measured by the kernel's run-time
# statistics beside an empty program on the same hook (root), and paging through a journal of 100,000 events.
set -euo pipefail
cd "$(dirname "$0")/../../native-bpf-collector"
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi
go test -run '^$' -bench ReadWholeJournal -benchtime 3x ./internal/stream
if [ "$(id -u)" != 0 ]; then
  echo "collector probe cost: skipped (attaching probes and reading BPF statistics need root)"
  exit 0
fi
go test -run '^$' -bench ProbeCost -benchtime 300000x -count 3 ./internal/probes
