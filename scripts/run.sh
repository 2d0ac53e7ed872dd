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

# Email: an SMTP_URL of your own is used as it is; otherwise maildev (SMTP on 1025, its web inbox
# on 1080), or whatever SMTP server already listens on 1025. maildev failing is not fatal: the
# worker keeps retrying the emails (docs/operations.md, "Email").
MAILDEV_SMTP_PORT=${MAILDEV_SMTP_PORT:-1025}
MAILDEV_WEB_PORT=${MAILDEV_WEB_PORT:-1080}
maildev=
mail_line="    Email        via ${SMTP_URL:-}"
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ -z ${SMTP_URL:-} && ${EMAIL_ENABLED:-true} != false ]]; then
  export SMTP_URL="smtp://127.0.0.1:$MAILDEV_SMTP_PORT"
  if port_open "$MAILDEV_SMTP_PORT"; then
    mail_line="    Email        an SMTP server already on port $MAILDEV_SMTP_PORT receives them"
  else
    node node_modules/maildev/dist/bin/maildev.js -s "$MAILDEV_SMTP_PORT" -w "$MAILDEV_WEB_PORT" \
      --ip 127.0.0.1 --web-ip 127.0.0.1 >/dev/null 2>&1 & maildev=$!
    # It takes a few seconds to start (about 8 s on a loaded 2-core machine).
    for _ in $(seq 60); do
      port_open "$MAILDEV_WEB_PORT" && port_open "$MAILDEV_SMTP_PORT" && break
      kill -0 "$maildev" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$maildev" 2>/dev/null && port_open "$MAILDEV_WEB_PORT"; then
      mail_line="    Email inbox  http://localhost:$MAILDEV_WEB_PORT/index.html   (maildev: every email the app sends)"
    else
      kill "$maildev" 2>/dev/null
      maildev=
      echo "[up] maildev did not start; emails wait (and are retried) until an SMTP server answers on port $MAILDEV_SMTP_PORT" >&2
      mail_line="    Email        maildev did not start: nothing receives email (see above)"
    fi
  fi
elif [[ ${EMAIL_ENABLED:-true} == false ]]; then
  mail_line="    Email        off (EMAIL_ENABLED=false)"
fi

scripts/start-api.sh & api=$!
node dist/apps/worker/src/main.js & worker=$!

stop() {
  trap - INT TERM
  echo "[up] stopping api and worker..." >&2
  kill -TERM "$api" "$worker" 2>/dev/null
  wait "$api" "$worker" 2>/dev/null
  [[ -n $maildev ]] && kill -TERM "$maildev" 2>/dev/null
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
$mail_line
  Ctrl-C stops both.

MSG
    break
  fi
  if ! kill -0 "$api" 2>/dev/null || ! kill -0 "$worker" 2>/dev/null; then
    echo "[up] a process exited during start-up; see the log above" >&2
    kill -TERM "$api" "$worker" 2>/dev/null
    [[ -n $maildev ]] && kill -TERM "$maildev" 2>/dev/null
    wait
    exit 1
  fi
  sleep 0.5
done

# Either process dying ends the session (and stops the other).
wait -n "$api" "$worker"
code=$?
kill -TERM "$api" "$worker" 2>/dev/null
[[ -n $maildev ]] && kill -TERM "$maildev" 2>/dev/null
wait
exit $code
