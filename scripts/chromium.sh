#!/usr/bin/env bash
# Makes a headless Chromium available for the browser tests (test/pages.e2e-spec.ts), as
# services.sh does for PostgreSQL and Redis: CHROMIUM_PATH when set, else Debian's chromium
# (/usr/bin/chromium), installing the package first when run as root. Otherwise it fails and names
# the one command to run. Prints the executable's path.
set -euo pipefail

say() { printf '[chromium] %s\n' "$*" >&2; }

# shellcheck source=lib/debian-program.sh
source "$(dirname "$0")/lib/debian-program.sh"
debian_program CHROMIUM_PATH chromium 'no Chromium for the browser tests' \
  'a Chromium or Chrome executable' /usr/bin/chromium /usr/bin/chromium-browser
