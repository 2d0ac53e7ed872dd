#!/usr/bin/env bash
# Makes a headless Chromium available for the browser tests (test/pages.e2e-spec.ts), as
# services.sh does for PostgreSQL and Redis: CHROMIUM_PATH when set, else the chromium (Debian's
# package) or chromium-browser program, installing the package first when run as root. Otherwise
# it fails and names the one command to run. Prints the executable's path. make doctor checks it
# with everything else first (FC_CHECK_ONLY=1).
set -euo pipefail

say() { printf '[chromium] %s\n' "$*" >&2; }

# shellcheck source=lib/debian-program.sh
source "$(dirname "$0")/lib/debian-program.sh"
debian_program CHROMIUM_PATH chromium 'Chromium (the browser tests)' \
  'a Chromium or Chrome executable' chromium chromium-browser
