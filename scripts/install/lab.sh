#!/usr/bin/env bash
# The lab's machine dependencies: Debian packages for namespaces, bridge, nftables and DNS, and the control-plane
# binaries (kube-apiserver, etcd; kubectl when the machine has none) built from the Go module proxy and cached in
# ${VIGIL_CACHE:-$HOME/.cache/vigil}/controlplane/. Idempotent: returns in about a second when all is there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

if [[ "$(uname -s)" != Linux ]]; then
  echo "lab.sh: the lab runs on Linux only; skipping" >&2
  exit 0
fi

# command -> Debian package
declare -A packages=([ip]=iproute2 [nft]=nftables [dnsmasq]=dnsmasq-base [unshare]=util-linux [nsenter]=util-linux
  [openssl]=openssl [flock]=util-linux)
missing=()
for cmd in "${!packages[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${packages[$cmd]}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "lab.sh: missing Debian packages ${missing[*]}; run as root to install them" >&2
    exit 1
  fi
  # dnsmasq-base, not dnsmasq: the latter starts a system-wide resolver; the lab runs its own, bound to the lab only.
  echo "lab.sh: installing ${missing[*]}" >&2
  flock /tmp/vigil-apt.lock apt-get install -y --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u)
fi

if ! command -v go >/dev/null 2>&1; then
  echo "lab.sh: Go (1.23 or newer) is required to build kube-apiserver and etcd, and is not installed" >&2
  exit 1
fi
bash "$root/test/lab/controlplane/build.sh"

# A machine without kubectl gets the one build.sh just made, from the same Kubernetes release.
if ! command -v kubectl >/dev/null 2>&1; then
  dir="$(bash "$root/test/lab/controlplane/build.sh" --print-dir)"
  if [[ $(id -u) -eq 0 && -x "$dir/kubectl" ]]; then
    ln -sf "$dir/kubectl" /usr/local/bin/kubectl
    echo "lab.sh: linked /usr/local/bin/kubectl -> $dir/kubectl" >&2
  fi
fi
