#!/bin/sh
# Starts the api with its runtime settings; every start of the api goes through here:
# `npm run start:api`, `make up` (scripts/run.sh), the Docker image's CMD, docker-compose.yml and
# `make bench` (bench/stack.ts).
#   scripts/start-api.sh [node options...] [entry.js]   (entry: dist/apps/api/src/main.js)
#
# --max-semi-space-size=8: V8's young generation holds at most 2 x 8 MB. Node 24's default on a
# machine with gigabytes of memory is 2 x 64 MB, which a busy api fills, and the pages stay in its
# RSS: 116 MB of young generation after the bench's catalog reads, 16 MB with this, for about
# 5 us more garbage-collection pause per request (docs/benchmarks.md, "Memory").
# Source maps: main.ts turns them on for our own code (not node_modules'), so no flag here.
set -e
for last; do :; done
case ${last:--} in -*) set -- "$@" dist/apps/api/src/main.js ;; esac
exec node --max-semi-space-size=8 "$@"
