#!/usr/bin/env bash
# Runs first (scripts/install/*.sh go in name order): a fresh Debian machine has no package lists, and every later
# `apt-get install` would find nothing. Fetches them once; returns at once when they are there or apt is absent.
set -euo pipefail
command -v apt-get >/dev/null || exit 0
[[ $(id -u) -eq 0 ]] || exit 0
if compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null || compgen -G '/var/lib/apt/lists/*_Packages.lz4' >/dev/null; then exit 0; fi
echo "install: apt package lists (apt-get update)" >&2
flock /tmp/vigil-apt.lock apt-get update -qq >&2
