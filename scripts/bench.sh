#!/usr/bin/env bash
# `make bench`: builds for production, then runs bench/run.ts (see the README's Benchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
npx tsc -p tsconfig.bench.json
node dist-bench/bench/run.js
# The docs' table was rewritten from bench/results/latest.json: keep it in the house format.
npx prettier --write --log-level warn docs/benchmarks.md
