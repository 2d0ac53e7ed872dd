#!/usr/bin/env bash
# `make install`: npm ci on the project's Node.js, only when package-lock.json, package.json or
# the Node.js version changed since the last install (native addons are built per Node.js).
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.installed
key="node $(node --version) npm $(npm --version) $(cat package.json package-lock.json | cksum)"
if [[ -f $stamp && $(cat "$stamp") == "$key" ]]; then exit 0; fi
echo "[install] npm ci on Node.js $(node --version), npm $(npm --version)" >&2
npm ci --no-audit --no-fund
echo "$key" >"$stamp"
