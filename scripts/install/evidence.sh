#!/usr/bin/env bash
# Evidence (issue 8): the PDF report and the offline-render test need Debian's Chromium; the "verify without Vigil"
# test needs the standard tools an auditor would use (openssl, sha256sum, base64, jq, unzip). Returns at once when
# everything is already there.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v sha256sum >/dev/null 2>&1 || missing+=(coreutils)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
# The HTML report uses generic font families; without any font Chromium renders boxes.
[ -n "$(ls /usr/share/fonts 2>/dev/null)" ] || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "evidence: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  flock /tmp/vigil-apt.lock "${sudo_cmd[@]}" apt-get update -q
fi
flock /tmp/vigil-apt.lock "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${missing[@]}"
