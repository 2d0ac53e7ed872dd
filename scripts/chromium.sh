#!/usr/bin/env bash
# Makes a headless Chromium available for the browser tests (test/pages.e2e-spec.ts), as
# services.sh does for PostgreSQL and Redis: CHROMIUM_PATH when set, else Debian's chromium
# (/usr/bin/chromium), installing the package first when run as root. Otherwise it fails and names
# the one command to run. Prints the executable's path.
set -euo pipefail

say() { printf '[chromium] %s\n' "$*" >&2; }

if [[ -n ${CHROMIUM_PATH:-} ]]; then
  [[ -x $CHROMIUM_PATH ]] || { say "FAILED: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"; exit 1; }
  echo "$CHROMIUM_PATH"
  exit 0
fi
for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [[ -x $candidate ]]; then
    echo "$candidate"
    exit 0
  fi
done
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  say "installing Debian's chromium package (once)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq chromium >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; } ||
    { say 'FAILED: apt-get install chromium'; exit 1; }
  echo /usr/bin/chromium
  exit 0
fi
say 'FAILED: no Chromium for the browser tests. Install it with:'
say '  sudo apt-get update && sudo apt-get install -y chromium'
say '  (or set CHROMIUM_PATH to a Chromium or Chrome executable)'
exit 1
