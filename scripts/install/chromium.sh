#!/usr/bin/env bash
# Debian's Chromium for the end-to-end suite, the HTML report's PDF and screenshots. Playwright's own browser
# download does not work on these machines, so the suite points Playwright at /usr/bin/chromium.
set -euo pipefail
if [[ -n "${CHROMIUM_PATH:-}" && -x "${CHROMIUM_PATH}" ]] || command -v chromium >/dev/null; then exit 0; fi
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "install: Chromium is missing; install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH" >&2
  exit 1
fi
echo "install: chromium (apt)" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then apt-get update -qq >&2; fi
apt-get install -y -qq --no-install-recommends chromium >&2
