#!/usr/bin/env bash
# Regenerates the recorded fixtures in testdata/http/ by running the real Python (openai, anthropic) and Node (openai)
# SDKs against scripted_server.py on loopback. Needs python3 and node; installs the SDKs into a throwaway directory
# under ${VIGIL_CACHE:-$HOME/.cache/vigil}/httpflow-capture. The fixtures are committed: tests never run this.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(dirname "$here")"
work="${VIGIL_CACHE:-$HOME/.cache/vigil}/httpflow-capture"
mkdir -p "$work/node"

if [ ! -x "$work/venv/bin/python" ] || ! "$work/venv/bin/python" -c 'import openai, anthropic' 2>/dev/null; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q openai anthropic
fi
if [ ! -d "$work/node/node_modules/openai" ] || [ ! -d "$work/node/node_modules/@anthropic-ai/sdk" ]; then
  (cd "$work/node" && npm init -y >/dev/null && npm install --silent openai @anthropic-ai/sdk)
fi

port_file="$(mktemp)"
"$work/venv/bin/python" "$here/scripted_server.py" "$out" "$port_file" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$port_file")"

"$work/venv/bin/python" "$here/python_clients.py" "$base"
(cd "$work/node" && cp "$here/node_clients.mjs" . && node node_clients.mjs "$base")
sleep 0.5
ls -l "$out"/*.json
