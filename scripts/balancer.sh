#!/usr/bin/env bash
# HAProxy in front of api instances, with the one configuration that ships: docker/haproxy.cfg
# (docker-compose.yml mounts the same file). docs/operations.md, "Scale-out behind a load balancer".
#
#   balancer.sh                        make the haproxy program available, as chromium.sh and
#                                      services.sh do for theirs: HAPROXY_PATH when set, else the
#                                      one on PATH or in /usr/sbin, else Debian's haproxy package
#                                      installed first when root; otherwise name the command to run
#                                      and exit 1.
#                                      Prints the executable's path.
#   balancer.sh run PORT API...
#                                      HAProxy in the foreground on 127.0.0.1:PORT in front of up
#                                      to 8 api instances (API: a port on 127.0.0.1, or host:port).
#                                      It replaces this script's process (exec), so SIGTERM to the
#                                      spawned child stops it. Ready when a request through it to
#                                      /health/ready answers 200. Logs (notice level) on stdout.
#   balancer.sh check                  validate docker/haproxy.cfg as docker compose uses it (its
#                                      default environment) and as `run` does.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CONFIG=$ROOT/docker/haproxy.cfg

say() { printf '[balancer] %s\n' "$*" >&2; }

# shellcheck source=lib/debian-program.sh
source "$ROOT/scripts/lib/debian-program.sh"
haproxy_path() {
  debian_program HAPROXY_PATH haproxy \
    'HAProxy (the load balancer of the scale-out test and the benchmark)' \
    'a haproxy 2.6 or later executable' haproxy
}

address() { [[ $1 == *:* ]] && echo "$1" || echo "127.0.0.1:$1"; }

case ${1:-} in
  '')
    haproxy_path
    ;;
  run)
    shift
    usage='usage: scripts/balancer.sh run PORT API... (API: a port on 127.0.0.1 or host:port; at most 8)'
    (($# >= 2 && $# <= 9)) || { say "$usage"; exit 2; }
    haproxy=$(haproxy_path)
    export BALANCER_BIND
    BALANCER_BIND=$(address "$1")
    shift
    i=0
    for api in "$@"; do
      i=$((i + 1))
      export "BALANCER_API_$i=$(address "$api")"
    done
    say "listening on $BALANCER_BIND, in front of $*"
    exec "$haproxy" -db -f "$CONFIG"
    ;;
  check)
    haproxy=$(haproxy_path)
    # As docker-compose.yml runs it: only the cookie key set, so server-template over Docker's DNS.
    (
      for name in $(compgen -e | grep '^BALANCER_' || true); do unset "$name"; done
      BALANCER_COOKIE_KEY=compose-check "$haproxy" -c -q -f "$CONFIG"
    )
    # As `run` does.
    BALANCER_BIND=127.0.0.1:3000 BALANCER_API_1=127.0.0.1:3001 BALANCER_API_2=127.0.0.1:3002 \
      "$haproxy" -c -q -f "$CONFIG"
    echo "docker/haproxy.cfg is valid (docker compose, and scripts/balancer.sh run)"
    ;;
  *)
    say 'usage: scripts/balancer.sh [run PORT API... | check]'
    exit 2
    ;;
esac
