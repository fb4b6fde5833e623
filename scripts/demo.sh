#!/usr/bin/env bash
# `make demo`: Vigil on an embedded default.
#   - Linux as root: bring up the local lab (a real API server, pods, AI agents, the eBPF collector), run the benign
#     baseline and then an attack scenario, and open the workbench on it;
#   - elsewhere: open the bundled sample case (the lab's recorded prompt-injection scenario, exported to a signed
#     evidence bundle) read-only.
# The workbench opens in the desktop app where Electron's binary exists, otherwise in the browser host (the URL is
# printed; open it in any browser). Ctrl-C stops the workbench; `bin/vigil lab down` removes the lab.
set -euo pipefail
cd "$(dirname "$0")/.."
vigil=bin/vigil
serve_args=()

has_command() { "$vigil" "$1" --help >/dev/null 2>&1; }

if [[ $(uname -s) == Linux && $(id -u) -eq 0 ]] && has_command lab; then
  echo "demo: starting the local lab (first run builds kube-apiserver and etcd: several minutes)" >&2
  "$vigil" lab up
  if has_command scenario; then
    echo "demo: running scenario baseline-traffic, then indirect-prompt-injection-exfil" >&2
    "$vigil" scenario run baseline-traffic
    "$vigil" scenario run indirect-prompt-injection-exfil
  fi
else
  # The sample case ships as data (the lab's recorded scenario in test/fixtures); it is exported here to a bundle
  # signed with this machine's own Vigil key (created on first use), so the review opens verified.
  sample=${VIGIL_CACHE:-$HOME/.cache/vigil}/sample-case
  echo "demo: not root on Linux, so no live lab: opening the sample case (an evidence bundle) read-only" >&2
  rm -rf "$sample" && mkdir -p "$sample"
  npx --no-install tsx test/fixtures/sample-case.ts "$sample/case"
  "$vigil" evidence export --case "$sample/case" --out "$sample/sample-case.vigil"
  serve_args=(--bundle "$sample/sample-case.vigil")
fi

electron_bin=$(node -e "try{const p=require('electron');process.stdout.write(require('fs').existsSync(p)?p:'')}catch{}" 2>/dev/null || true)
if [[ -n "$electron_bin" && ${#serve_args[@]} -eq 0 && -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  exec "$electron_bin" dist/main/electron-main.cjs
fi
exec "$vigil" serve "${serve_args[@]}"
