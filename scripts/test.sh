#!/usr/bin/env bash
# The whole test suite, as `make test` runs it (after `make build`, which installed everything):
#   lint + typecheck, unit tests (vitest), the collector's Go tests (real BPF programs; root), the lab integration
#   tests (real kube-apiserver, etcd, collector, agents; root), and the end-to-end suite in Chromium.
# Every stage runs even when an earlier one failed, so one run reports everything; the exit code is non-zero when
# any stage failed. The closing lines count the tests per suite.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
results=test-results
rm -rf "$results" playwright-report
mkdir -p "$results"
failed=()

stage() {
  local name=$1; shift
  local started=$SECONDS
  echo "== $name"
  if "$@"; then echo "== $name: ok ($((SECONDS - started)) s)"; else echo "== $name: FAILED ($((SECONDS - started)) s)"; failed+=("$name"); fi
}

is_root() { [[ $(id -u) -eq 0 && $(uname -s) == Linux ]]; }

# The suite starts what it needs (the lab, through test/integration/lab-fixture.ts) and stops it at the end, pass or
# fail, so no process, namespace, cgroup or route outlives the run.
stop_lab() { if is_root && [[ -f "${VIGIL_LAB_STATE_DIR:-/run/vigil-lab}/state.json" ]]; then echo "== stopping the lab"; bin/vigil lab down >/dev/null 2>&1 || echo "== lab down failed: see 'bin/vigil lab status'"; fi; }
trap stop_lab EXIT

stage "lint (eslint, process boundaries)" eslint . --max-warnings=0
stage "typecheck (tsc --strict)" tsc -p tsconfig.json
stage "unit tests (vitest)" vitest run --reporter=default --reporter=json --outputFile.json="$results/unit.json"

if [[ -f native-bpf-collector/go.mod ]]; then
  # As root: every package, including test/ which loads the real BPF programs. Otherwise the pure packages only.
  go_packages=./internal/...
  if is_root; then go_packages=./...; else echo "== collector: BPF tests skipped (they load BPF programs and need root on Linux); pure packages only"; fi
  stage "collector tests (go test ${go_packages})" bash -c "cd native-bpf-collector && go test -json -count=1 -timeout 20m ${go_packages} > ../$results/go-test.json; code=\$?; grep -h '\"Action\":\"fail\"' ../$results/go-test.json | head -20; exit \$code"
fi

if find test/integration -name '*.test.ts' -print -quit | grep -q .; then
  if is_root; then
    stage "integration tests (the lab: kube-apiserver, etcd, collector, agents)" vitest run -c test/integration/vitest.config.ts --reporter=default --reporter=json --outputFile.json="$results/integration.json"
  else
    echo "== integration tests: skipped (the lab needs root on Linux: cgroups, network namespaces, eBPF)"
  fi
fi

stage "end-to-end (Playwright, Chromium, vigil serve)" playwright test -c test/e2e/playwright.config.ts

node scripts/test-summary.mjs "$results"
if ((${#failed[@]})); then
  printf 'FAILED stages: %s\n' "${failed[*]}"
  exit 1
fi
