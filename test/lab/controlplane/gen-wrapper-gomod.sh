#!/usr/bin/env bash
# Regenerates build/go.mod for a Kubernetes release: requires k8s.io/kubernetes at that tag and replaces every staging
# module with its matching v0.<minor>.<patch>, derived from the tag's own go.mod replace block (so the list is exact),
# plus the etcd server version that the tag's go.mod already pins. Then run `go mod tidy` in build/.
# Usage: gen-wrapper-gomod.sh v1.32.4
set -euo pipefail
k8s_version="${1:?usage: gen-wrapper-gomod.sh v1.MINOR.PATCH}"
[[ "$k8s_version" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || { echo "not a Kubernetes release tag: $k8s_version" >&2; exit 2; }
staging_version="v0.${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export GOSUMDB=off
gomod="$(cd /tmp && go mod download -json "k8s.io/kubernetes@$k8s_version" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')"
[[ -f "$gomod" ]] || { echo "could not download k8s.io/kubernetes@$k8s_version go.mod" >&2; exit 1; }
etcd_version="$(awk '$1=="go.etcd.io/etcd/server/v3" {print $2; exit}' "$gomod")"
{
  echo '// Wrapper module that builds kube-apiserver and etcd from the Go module proxy.'
  echo "// Generated from k8s.io/kubernetes $k8s_version go.mod by test/lab/controlplane/gen-wrapper-gomod.sh — do not edit by hand."
  echo 'module vigil.dev/lab/controlplane-build'
  echo
  echo "$(grep -m1 '^go ' "$gomod")"
  echo
  grep -m1 '^godebug ' "$gomod" && echo
  echo 'require ('
  echo "	go.etcd.io/etcd/server/v3 $etcd_version"
  echo "	k8s.io/kubernetes $k8s_version"
  echo ')'
  echo
  echo 'replace ('
  sed -n '/^replace (/,/^)/p' "$gomod" | grep '=> ./staging/src/' |
    sed -E "s#^\s*(k8s.io/[^ ]+) => .*#\t\1 => \1 $staging_version#"
  echo ')'
} > "$here/build/go.mod"
rm -f "$here/build/go.sum"
(cd "$here/build" && go mod tidy)
echo "build/go.mod now pins k8s.io/kubernetes $k8s_version (staging $staging_version) and etcd $etcd_version" >&2
