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

stage "lint (eslint, process boundaries)" eslint . --max-warnings=0
stage "typecheck (tsc --strict)" tsc -p tsconfig.json
stage "unit tests (vitest)" vitest run --reporter=default --reporter=json --outputFile.json="$results/unit.json"

if compgen -G "native-bpf-collector/**/*_test.go" >/dev/null || find native-bpf-collector -name '*_test.go' -print -quit | grep -q .; then
  if is_root; then
    stage "collector tests (go test, real BPF programs)" bash -c 'cd native-bpf-collector && go test -json -count=1 -timeout 20m ./... > ../'"$results"'/go-test.json; code=$?; grep -h "\"Action\":\"fail\"" ../'"$results"'/go-test.json | head -20; exit $code'
  else
    echo "== collector tests: skipped (they load BPF programs and need root on Linux)"
  fi
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
