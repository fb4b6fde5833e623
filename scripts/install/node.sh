#!/usr/bin/env bash
# npm modules, installed exactly from package-lock.json; skipped when the lock file has not changed since the last
# install. Electron's binary cannot be downloaded on every machine, so its download is skipped here: the desktop app
# then needs `npx electron` installed by hand, and everything else (the CLI, `vigil serve`, the tests) works.
set -euo pipefail
cd "$(dirname "$0")/../.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1

need_major=20; need_minor=19
if ! command -v node >/dev/null; then echo "install: Node.js >= $need_major.$need_minor is required and was not found" >&2; exit 1; fi
IFS=. read -r major minor _ <<<"$(node -p 'process.versions.node')"
if (( major < need_major || (major == need_major && minor < need_minor) )); then
  echo "install: Node.js >= $need_major.$need_minor is required; found $(node --version)" >&2; exit 1
fi

stamp=node_modules/.vigil-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f $stamp && "$(cat "$stamp")" == "$want" ]]; then exit 0; fi
echo "install: npm modules" >&2
# `npm install`, not `npm ci`: the registry served here omits some optional per-platform packages (e.g. buf's macOS
# and Windows binaries) from the lock file, which `npm ci` rejects; `npm install` follows the lock for the rest.
npm install --no-audit --no-fund --loglevel=error >&2
sha256sum package-lock.json | cut -d" " -f1 > "$stamp"
