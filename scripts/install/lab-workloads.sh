#!/usr/bin/env bash
# Installs what the lab's AI workloads need: Debian packages (redis-server for the payments data store and the
# release-drift cache, curl used by the scenarios' shells, openssl for the lab CA, util-linux for the escape
# attempts, python3-venv) and a pinned Python virtualenv with the openai and mcp SDKs.
# Idempotent and fast when everything is present (a few stat calls and one checksum).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${VIGIL_CACHE:-$HOME/.cache/vigil}
venv=$cache/lab-venv
requirements=$root/test/lab/workloads/python/requirements.txt

missing=()
for pair in redis-server:redis-server curl:curl openssl:openssl unshare:util-linux nsenter:util-linux; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
[ -x /usr/bin/python3 ] || missing+=(python3)
if [ ! -x "$venv/bin/python" ] && ! /usr/bin/python3 -c 'import ensurepip' >/dev/null 2>&1; then missing+=(python3-venv); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "lab-workloads: installing ${missing[*]}" >&2
  flock /tmp/vigil-apt.lock apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

# Debian's python3 links the system libssl, which the collector's TLS uprobes attach to. One virtualenv per
# image: the AI workloads share lab-venv; payments-api has its own without any AI SDK (lab-venv-payments).
build_venv() { # NAME REQUIREMENTS
  local venv=$cache/$1 requirements=$2 want
  want=$(sha256sum "$requirements" | cut -d' ' -f1)
  if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
    echo "lab-workloads: building the virtualenv $venv" >&2
    rm -rf "$venv"
    mkdir -p "$cache"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$requirements" >&2
    echo "$want" > "$venv/.requirements.sha256"
  fi
}
build_venv lab-venv "$requirements"
build_venv lab-venv-payments "$root/test/lab/workloads/python/requirements-payments.txt"

# The Node agent's SDKs (openai, @modelcontextprotocol/sdk) are devDependencies of the repository: node.sh installs
# them with the rest of node_modules.
