#!/usr/bin/env bash
# Builds the lab's control-plane binaries (kube-apiserver, etcd, and kubectl when the machine has none)
# from the Go module proxy with the wrapper module in ./build, into
# ${VIGIL_CACHE:-$HOME/.cache/vigil}/controlplane/<k8s version>-etcd<etcd version>/.
# Idempotent: returns at once when the binaries for the pinned versions are already there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="$here/build"
# The pinned versions are read from the wrapper go.mod so that there is exactly one place to change them.
k8s_version="$(awk '$1=="k8s.io/kubernetes" && $2 ~ /^v/ {print $2; exit}' "$build_dir/go.mod")"
etcd_version="$(awk '$1=="go.etcd.io/etcd/server/v3" && $2 ~ /^v/ {print $2; exit}' "$build_dir/go.mod")"
cache_root="${VIGIL_CACHE:-$HOME/.cache/vigil}"
out_dir="$cache_root/controlplane/${k8s_version}-etcd${etcd_version}"

want=(kube-apiserver etcd)
if ! command -v kubectl >/dev/null 2>&1 || [[ "${VIGIL_BUILD_KUBECTL:-}" == 1 ]]; then want+=(kubectl); fi

missing=()
for bin in "${want[@]}"; do [[ -x "$out_dir/$bin" ]] || missing+=("$bin"); done
if [[ ${#missing[@]} -eq 0 ]]; then
  [[ "${1:-}" == "--print-dir" ]] && echo "$out_dir"
  exit 0
fi

command -v go >/dev/null || { echo "build.sh: go is not installed; cannot build ${missing[*]}" >&2; exit 1; }
mkdir -p "$out_dir"
# One build at a time (a second `lab up` or `make deps` waits for the first instead of building the same thing).
exec 9>"$out_dir/.build.lock"
if ! flock -n 9; then
  echo "build.sh: another build of the control plane is running; waiting for it" >&2
  flock 9
fi
missing=()
for bin in "${want[@]}"; do [[ -x "$out_dir/$bin" ]] || missing+=("$bin"); done
minor="${k8s_version#v1.}"; minor="${minor%%.*}"
ldflags_k8s="-s -w -X k8s.io/component-base/version.gitVersion=${k8s_version} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${minor} -X k8s.io/component-base/version.gitTreeState=clean"
ldflags_k8s+=" -X k8s.io/client-go/pkg/version.gitVersion=${k8s_version} -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=${minor}"
# go.sum in ./build pins every module's hash; sum.golang.org is not reachable from these machines, so checksum
# database lookups are skipped and go.sum (committed) is the source of truth.
export GOSUMDB=off GOFLAGS=-mod=mod CGO_ENABLED=0
cd "$build_dir"
for bin in "${missing[@]}"; do
  case "$bin" in
    kube-apiserver) pkg=k8s.io/kubernetes/cmd/kube-apiserver; ldflags="$ldflags_k8s" ;;
    kubectl)        pkg=k8s.io/kubernetes/cmd/kubectl; ldflags="$ldflags_k8s" ;;
    etcd)           pkg=go.etcd.io/etcd/server/v3; ldflags="-s -w" ;;
  esac
  echo "build.sh: building $bin ($pkg) into $out_dir" >&2
  start=$(date +%s)
  nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$out_dir/$bin.tmp" "$pkg"
  mv "$out_dir/$bin.tmp" "$out_dir/$bin"
  echo "build.sh: built $bin in $(( $(date +%s) - start ))s" >&2
done
[[ "${1:-}" == "--print-dir" ]] && echo "$out_dir"
exit 0
