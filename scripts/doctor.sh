#!/usr/bin/env bash
# `make doctor`, also the first step of `make test` and `make up`: before anything else runs,
# checks every program this project needs from the machine and names ALL that are missing at
# once, with the one command that installs them:
#
#   apt-get update && apt-get install -y PACKAGE...
#
# As root on Debian it runs that command (once, for everything); otherwise it prints it and exits
# 1, having changed nothing. It names as well what no package fixes (a DATABASE_URL / REDIS_URL
# that does not answer, a port taken, a CHROMIUM_PATH / HAPROXY_PATH that is not an executable).
# The checks are those of the scripts that later use the programs (services.sh needs,
# chromium.sh and balancer.sh with FC_CHECK_ONLY=1), so the two cannot disagree.
#
# Usage: doctor.sh [up|test]   up: what make up needs (Node.js, curl, PostgreSQL and Redis);
#                              test (default): also the tests' redis-server program, Chromium
#                              and HAProxy.
set -uo pipefail
cd "$(dirname "$0")/.."

say() { printf '[doctor] %s\n' "$*" >&2; }
# shellcheck source=lib/debian-program.sh
source scripts/lib/debian-program.sh

goal=${1:-test}
case $goal in
  up | test) ;;
  *)
    echo "usage: $0 [up|test]" >&2
    exit 2
    ;;
esac

# basics: "PACKAGE...<tab>why" for each program make itself and its recipes run.
basics() {
  command -v make >/dev/null || printf 'make\tGNU make\n'
  command -v curl >/dev/null || printf 'curl\tcurl (make up waits for the health endpoints with it)\n'
  # Any npm will do: it fetches the pinned Node.js into .local/node/ (scripts/node.sh).
  if ! FC_NODE_OFFLINE=1 scripts/node.sh >/dev/null 2>&1 && ! command -v npm >/dev/null; then
    printf 'nodejs npm\tNode.js and npm (any version: npm fetches the pinned Node.js %s into .local/node/)\n' \
      "$(tr -d ' \r\nv' <.nvmrc)"
  fi
}

# check: missing (lines "PACKAGE...<tab>why") and problems (what no package fixes; the checks
# describe those on stderr themselves).
check() {
  missing=() problems=0
  local out
  out=$(basics)
  [[ -n $out ]] && mapfile -t -O "${#missing[@]}" missing <<<"$out"
  out=$(scripts/services.sh needs "$([[ $goal == test ]] && echo test)") || problems=1
  [[ -n $out ]] && mapfile -t -O "${#missing[@]}" missing <<<"$out"
  if [[ $goal == test ]]; then
    local finder rc
    for finder in scripts/chromium.sh scripts/balancer.sh; do
      out=$(FC_CHECK_ONLY=1 "$finder")
      rc=$?
      ((rc == 0 || rc == 3)) || problems=1
      [[ -n $out ]] && mapfile -t -O "${#missing[@]}" missing <<<"$out"
    done
  fi
  packages=()
  local line p
  for line in "${missing[@]}"; do
    for p in ${line%%$'\t'*}; do
      [[ " ${packages[*]} " == *" $p "* ]] || packages+=("$p")
    done
  done
}

check
if ((${#packages[@]})); then
  say "make $goal needs ${#missing[@]} thing(s) this machine lacks:"
  for line in "${missing[@]}"; do say "  - ${line#*$'\t'}   (Debian: ${line%%$'\t'*})"; done
  debian_install "${packages[@]}"
  case $? in
    0)
      check
      if ((${#packages[@]})); then
        say "FAILED: still missing after installing: ${packages[*]}"
        exit 1
      fi
      ;;
    2) exit 1 ;;
    *)
      while IFS= read -r line; do say "$line"; done < <(debian_install_advice "${packages[@]}")
      is_root || say "Not root, so nothing was installed or started."
      say "Then run make $goal again."
      exit 1
      ;;
  esac
fi
if ((problems)); then
  say "FAILED: fix what is named above, then run make $goal again (nothing was started)."
  exit 1
fi
say "everything make $goal needs from this machine is here"
