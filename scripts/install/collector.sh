#!/usr/bin/env bash
# The eBPF collector: BPF toolchain (clang, llvm, libbpf headers, bpftool) to regenerate the committed BPF objects,
# Go modules, and the native-bpf-collector/bin/vigil-collector binary. Returns at once when everything is in place
# and the binary is newer than every collector source.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
collector="$repo/native-bpf-collector"

missing=()
# clang/llvm/libbpf-dev/bpftool: the BPF toolchain. With VIGIL_BENCH=1 (make bench) also nginx-light and wrk, for
# the workload-overhead benchmark.
wanted="clang:clang llvm-strip:llvm bpftool:bpftool"
[ "${VIGIL_BENCH:-0}" = 1 ] && wanted="$wanted nginx:nginx-light wrk:wrk"
for pair in $wanted; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
[ -f /usr/include/bpf/bpf_helpers.h ] || missing+=(libbpf-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "collector: installing ${missing[*]}" >&2
  flock /tmp/vigil-apt.lock apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi
command -v go >/dev/null 2>&1 || { echo "collector: Go is not installed (needs go >= 1.25)" >&2; exit 1; }

# Regenerate the BPF objects when a BPF source is newer than its object (the objects are committed, so a fresh
# clone builds without clang; this keeps them in step with edited sources).
stale_bpf=0
for src in "$collector"/bpf/*/*.bpf.c; do
  family="$(basename "$src" .bpf.c)"
  obj="$collector/internal/probes/${family}_x86_bpfel.o"
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find "$collector/bpf" -name '*.h' -newer "$obj" -print -quit)" ]; then stale_bpf=1; fi
done
if [ "$stale_bpf" = 1 ]; then
  echo "collector: regenerating BPF objects" >&2
  (cd "$collector/internal/probes" && nice go generate ./...) >&2
fi

binary="$collector/bin/vigil-collector"
if [ -x "$binary" ] && [ -z "$(find "$collector" -path "$collector/bin" -prune -o \( -name '*.go' -o -name '*.o' -o -name go.mod -o -name go.sum \) -newer "$binary" -print -quit)" ]; then
  exit 0
fi
echo "collector: building $binary" >&2
(cd "$collector" && go mod download && CGO_ENABLED=0 nice go build -trimpath -o bin/vigil-collector ./cmd/vigil-collector) >&2
