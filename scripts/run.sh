#!/usr/bin/env bash
# `make up`: runs the api and the worker in the foreground. SIGINT (Ctrl-C, or kill -INT to the
# process group) or SIGTERM stops both gracefully, and this script exits 0. On a terminal, `make up`
# exits 0 too; a signal sent to make itself makes make report it (exit 130 / 143) after the same
# clean stop.
set -uo pipefail
cd "$(dirname "$0")/.."

# On a terminal, run in our own foreground process group so that Ctrl-C reaches this script
# and the apps but not make (make would report "Interrupt" and exit 130 after a clean stop).
if [[ -t 0 && -z ${FC_RUN_FOREGROUND:-} ]]; then
  export FC_RUN_FOREGROUND=1
  exec bash -m -c 'scripts/run.sh; exit $?'
fi
PORT=${PORT:-3000}
WORKER_HEALTH_PORT=${WORKER_HEALTH_PORT:-3001}
export NODE_ENV=${NODE_ENV:-development}

scripts/start-api.sh & api=$!
node dist/apps/worker/src/main.js & worker=$!

stop() {
  trap - INT TERM
  echo "[up] stopping api and worker..." >&2
  kill -TERM "$api" "$worker" 2>/dev/null
  wait "$api" "$worker" 2>/dev/null
  echo "[up] stopped" >&2
  exit 0
}
trap stop INT TERM

for _ in $(seq 120); do
  if curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 &&
    curl -fsS "http://127.0.0.1:$WORKER_HEALTH_PORT/health/ready" >/dev/null 2>&1; then
    cat >&2 <<MSG

  FlashCart is up
    API          http://localhost:$PORT/v1/products   (every route: the Swagger UI)
    Swagger UI   http://localhost:$PORT/docs   (OpenAPI JSON: /docs-json)
    Health       http://localhost:$PORT/health/ready   worker: http://localhost:$WORKER_HEALTH_PORT/health/ready
    Ops board    http://localhost:$PORT/admin/board   (demo admin: admin@flashcart.local / flashcart-admin; orders move by themselves)
  Ctrl-C stops both.

MSG
    break
  fi
  if ! kill -0 "$api" 2>/dev/null || ! kill -0 "$worker" 2>/dev/null; then
    echo "[up] a process exited during start-up; see the log above" >&2
    kill -TERM "$api" "$worker" 2>/dev/null
    wait
    exit 1
  fi
  sleep 0.5
done

# Either process dying ends the session (and stops the other).
wait -n "$api" "$worker"
code=$?
kill -TERM "$api" "$worker" 2>/dev/null
wait
exit $code
