#!/usr/bin/env bash
# main/kube's machine dependencies beyond npm: jq, with which a unit test checks that the action log's hashes are
# exactly what the documented `jq -cSj 'del(.hash)' | sha256sum` recipe computes. (kubectl, the integration tests'
# independent check, comes with the lab: scripts/install/lab.sh.) Idempotent: returns at once when jq is there.
set -euo pipefail
command -v jq >/dev/null 2>&1 && exit 0
if ! command -v apt-get >/dev/null 2>&1 || [[ $(id -u) -ne 0 ]]; then
  echo "kube.sh: jq is missing; install it (the action-log jq test skips without it)" >&2
  exit 0
fi
echo "kube.sh: installing jq" >&2
flock /tmp/vigil-apt.lock apt-get install -y --no-install-recommends jq >&2
