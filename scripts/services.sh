#!/usr/bin/env bash
# Makes PostgreSQL and Redis available to FlashCart, in this order of preference:
#   1. the servers at DATABASE_URL / REDIS_URL, when they answer;
#   2. project-local servers (data in .local/, ports 55432 / 56379) started from the system's
#      postgres / redis-server binaries, installing Debian's packages first when root;
#   3. otherwise: a message that says exactly what to do.
# Writes the URLs in use to .local/services.env (read by the Makefile's scripts).
# Usage: services.sh up | down | status        Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOCAL=$ROOT/.local
ENV_OUT=$LOCAL/services.env
PG_PORT=${LOCAL_PG_PORT:-55432}
REDIS_PORT=${LOCAL_REDIS_PORT:-56379}
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/flashcart}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}

say() { printf '[services] %s\n' "$*" >&2; }

# host and port of a URL such as postgres://user:pw@host:5432/db
host_of() { local h=${1#*://}; h=${h#*@}; h=${h%%/*}; h=${h%%\?*}; echo "${h%:*}"; }
port_of() { local h=${1#*://}; h=${h#*@}; h=${h%%/*}; h=${h%%\?*}; [[ $h == *:* ]] && echo "${h##*:}" || echo "$2"; }

pg_answers() {
  if command -v pg_isready >/dev/null; then pg_isready -q -d "$1" -t 3; return; fi
  timeout 3 bash -c "exec 3<>/dev/tcp/$(host_of "$1")/$(port_of "$1" 5432)" 2>/dev/null
}

redis_answers() {
  if command -v redis-cli >/dev/null; then
    [[ $(timeout 3 redis-cli -u "$1" ping 2>/dev/null) == PONG ]]; return
  fi
  timeout 3 bash -c "exec 3<>/dev/tcp/$(host_of "$1")/$(port_of "$1" 6379); printf 'PING\r\n' >&3; read -r l <&3; [[ \$l == +PONG* ]]" 2>/dev/null
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

install_packages() {
  local missing=()
  [[ -n $(pg_bin) ]] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  ((${#missing[@]})) || return 0
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then return 1; fi
  say "installing ${missing[*]} from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

start_local_pg() {
  local bin; bin=$(pg_bin)
  local data=$LOCAL/postgres
  local as=()
  # PostgreSQL refuses to run as root: run it as the postgres system user.
  if [[ $(id -u) -eq 0 ]]; then as=(runuser -u postgres --); fi
  mkdir -p "$data"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$data" && chmod 700 "$data"
  if [[ ! -f $data/PG_VERSION ]]; then
    say "initialising a local PostgreSQL in .local/postgres"
    "${as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  say "starting local PostgreSQL on 127.0.0.1:$PG_PORT"
  "${as[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 \
    -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
}

start_local_redis() {
  mkdir -p "$LOCAL/redis"
  say "starting local Redis on 127.0.0.1:$REDIS_PORT"
  # AOF on and noeviction, as BullMQ requires.
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$LOCAL/redis" \
    --appendonly yes --maxmemory-policy noeviction --pidfile "$LOCAL/redis/redis.pid" \
    --logfile "$LOCAL/redis/redis.log" >/dev/null
  for _ in $(seq 50); do redis_answers "redis://127.0.0.1:$REDIS_PORT" && return; sleep 0.1; done
  return 1
}

cannot() {
  cat >&2 <<MSG
[services] No $1 is reachable at $2 and none could be started here.
  Do one of:
    - install it:            sudo apt-get install postgresql redis-server   (then run: make services)
    - run it in Docker:      docker compose up -d postgres redis
                             then export DATABASE_URL=postgres://flashcart:flashcart@127.0.0.1:5432/flashcart
    - point FlashCart at one: export $3=...   (see .env.example)
MSG
  exit 1
}

up() {
  mkdir -p "$LOCAL"
  local db_url=$DATABASE_URL redis_url=$REDIS_URL
  local local_db="postgres://postgres@127.0.0.1:$PG_PORT/${DATABASE_URL##*/}"
  local local_redis="redis://127.0.0.1:$REDIS_PORT"
  if pg_answers "$db_url"; then
    say "PostgreSQL answers at $(host_of "$db_url"):$(port_of "$db_url" 5432)"
  elif pg_answers "$local_db"; then
    db_url=$local_db; say "project-local PostgreSQL already running on $PG_PORT"
  else
    install_packages || true
    [[ -n $(pg_bin) ]] || cannot PostgreSQL "$db_url" DATABASE_URL
    start_local_pg || cannot PostgreSQL "$db_url" DATABASE_URL
    db_url=$local_db
  fi
  if redis_answers "$redis_url"; then
    say "Redis answers at $(host_of "$redis_url"):$(port_of "$redis_url" 6379)"
  elif redis_answers "$local_redis"; then
    redis_url=$local_redis; say "project-local Redis already running on $REDIS_PORT"
  else
    install_packages || true
    command -v redis-server >/dev/null || cannot Redis "$redis_url" REDIS_URL
    start_local_redis || cannot Redis "$redis_url" REDIS_URL
    redis_url=$local_redis
  fi
  printf 'DATABASE_URL=%s\nREDIS_URL=%s\n' "$db_url" "$redis_url" >"$ENV_OUT"
}

down() {
  local bin; bin=$(pg_bin)
  if [[ -f $LOCAL/postgres/postmaster.pid && -n $bin ]]; then
    say "stopping project-local PostgreSQL"
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$bin/pg_ctl" -D "$LOCAL/postgres" -m fast stop >/dev/null
    else "$bin/pg_ctl" -D "$LOCAL/postgres" -m fast stop >/dev/null; fi
  fi
  if [[ -f $LOCAL/redis/redis.pid ]]; then
    say "stopping project-local Redis"
    kill "$(cat "$LOCAL/redis/redis.pid")" 2>/dev/null || true
    rm -f "$LOCAL/redis/redis.pid"
  fi
  rm -f "$ENV_OUT"
}

case ${1:-up} in
  up) up ;;
  down) down ;;
  status) cat "$ENV_OUT" 2>/dev/null || say "not set up: run make services" ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
