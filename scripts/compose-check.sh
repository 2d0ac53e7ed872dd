#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine (the compose CLI only parses here), and the
# load balancer's docker/haproxy.cfg it mounts (haproxy -c, as compose and scripts/balancer.sh run it).
set -euo pipefail
cd "$(dirname "$0")/.."
export JWT_ACCESS_SECRET=${JWT_ACCESS_SECRET:-compose-check-placeholder-secret-0000000000}
export JWT_REFRESH_SECRET=${JWT_REFRESH_SECRET:-compose-check-placeholder-secret-1111111111}
export METRICS_TOKEN=${METRICS_TOKEN:-compose-check-placeholder-metrics-token}
export STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY:-sk_test_compose_check_placeholder}
export STRIPE_WEBHOOK_SECRET=${STRIPE_WEBHOOK_SECRET:-whsec_compose_check_placeholder}
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "compose-check: installing Debian's docker-compose" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
  else
    echo "compose-check: install docker-compose (apt-get install docker-compose) or the compose plugin" >&2
    exit 1
  fi
fi
if docker compose version >/dev/null 2>&1; then docker compose config -q; else docker-compose config -q; fi
echo "docker-compose.yml is valid"
scripts/balancer.sh check
