#!/usr/bin/env bash
# `make demo`: Vigil on an embedded default.
#   - Linux as root: bring up the local lab (a real API server, pods, AI agents, the eBPF collector), run the benign
#     baseline and then an attack scenario, and open the workbench on it;
#   - elsewhere: open the bundled sample case (an evidence bundle recorded in the lab) read-only.
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
elif [[ -f assets/sample-case.vigil ]] && "$vigil" serve --help 2>/dev/null | grep -q -- '--bundle'; then
  echo "demo: not root on Linux, so no live lab: opening the bundled sample case read-only" >&2
  serve_args=(--bundle assets/sample-case.vigil)
else
  echo "demo: no live lab here (needs root on Linux) and no sample case bundled yet: opening the empty workbench" >&2
fi

electron_bin=$(node -e "try{const p=require('electron');process.stdout.write(require('fs').existsSync(p)?p:'')}catch{}" 2>/dev/null || true)
if [[ -n "$electron_bin" && ${#serve_args[@]} -eq 0 && -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  exec "$electron_bin" dist/main/electron-main.cjs
fi
exec "$vigil" serve "${serve_args[@]}"
