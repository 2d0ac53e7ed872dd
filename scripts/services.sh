#!/usr/bin/env bash
# Makes PostgreSQL and Redis available to FlashCart.
#
#   - DATABASE_URL / REDIS_URL set (in the environment or in .env): that server must answer;
#     nothing is started in its place.
#   - Not set: the default (127.0.0.1:5432 / 127.0.0.1:6379) when it answers; otherwise a
#     project-local server (ports 55432 / 56379, data in .local/) started from the system's
#     PostgreSQL / Redis programs, installing Debian's packages first when run as root. Its URL
#     goes to .local/services.env, which every entry point reads after the environment and .env.
#
# Usage: services.sh up | down | status | test-redis
#   test-redis: makes sure a redis-server program exists for the tests that stop their own
#   private Redis (test/harness/redis-server.ts), installing Debian's redis-tools when root.
# Idempotent. Every failure says what failed and stops there.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOCAL=$ROOT/.local
ENV_OUT=$LOCAL/services.env
PG_PORT=${LOCAL_PG_PORT:-55432}
REDIS_PORT=${LOCAL_REDIS_PORT:-56379}
DEFAULT_DB=postgres://postgres@127.0.0.1:5432/flashcart
DEFAULT_REDIS=redis://127.0.0.1:6379

# Where each URL comes from: the environment, .env, or nobody (then project-local is allowed).
db_origin="the environment" redis_origin="the environment"
[[ -n ${DATABASE_URL:-} ]] || db_origin=
[[ -n ${REDIS_URL:-} ]] || redis_origin=
# shellcheck source=env.sh
FC_ENV_FILES=.env source scripts/env.sh
[[ -z $db_origin && -n ${DATABASE_URL:-} ]] && db_origin=.env
[[ -z $redis_origin && -n ${REDIS_URL:-} ]] && redis_origin=.env

say() { printf '[services] %s\n' "$*" >&2; }
# fail WHAT [ADVICE...]: one line naming what failed, then advice lines; exit 1.
fail() {
  printf '[services] FAILED: %s\n' "$1" >&2
  shift
  local line
  for line in "$@"; do printf '  %s\n' "$line" >&2; done
  exit 1
}

# host:port/db of a URL, without user or password (for messages)
where() { local h=${1#*://}; h=${h#*@}; echo "${h%%\?*}"; }
host_of() { local h=${1#*://}; h=${h#*@}; h=${h%%/*}; h=${h%%\?*}; echo "${h%:*}"; }
port_of() { local h=${1#*://}; h=${h#*@}; h=${h%%/*}; h=${h%%\?*}; [[ $h == *:* ]] && echo "${h##*:}" || echo "$2"; }
port_open() { timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }
is_root() { [[ $(id -u) -eq 0 ]]; }

# PostgreSQL answers and (when psql is installed) lets this user in.
pg_answers() {
  if command -v psql >/dev/null; then
    local server=${1%/*}/postgres
    PGCONNECT_TIMEOUT=3 psql -d "$server" -XAtqc 'SELECT 1' >/dev/null 2>&1
    return
  fi
  if command -v pg_isready >/dev/null; then pg_isready -q -d "$1" -t 3; return; fi
  port_open "$(host_of "$1")" "$(port_of "$1" 5432)"
}

redis_answers() {
  if command -v redis-cli >/dev/null; then
    [[ $(timeout 3 redis-cli -u "$1" ping 2>/dev/null) == PONG ]]
    return
  fi
  timeout 3 bash -c "exec 3<>/dev/tcp/$(host_of "$1")/$(port_of "$1" 6379); printf 'PING\r\n' >&3; read -r l <&3; [[ \$l == +PONG* ]]" 2>/dev/null
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true; }
# Debian's redis-tools ships the Redis server as redis-check-rdb (redis-server is a symlink to it
# in the redis-server package, which also installs a system service). Run with argv[0]
# "redis-server", that binary is the server.
redis_bin() { command -v redis-server || command -v redis-check-rdb || true; }

# PostgreSQL refuses to run as root: as root, the project-local one runs as the postgres user,
# which cannot enter a private directory such as /root. Then its data lives under the postgres
# user's home instead, one directory per checkout (named after a hash of the checkout's path).
pg_data() {
  if is_root && ! runuser -u postgres -- test -x "$LOCAL" 2>/dev/null && [[ ! -f $LOCAL/postgres/PG_VERSION ]]; then
    echo "/var/lib/postgresql/flashcart-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
  else
    echo "$LOCAL/postgres"
  fi
}
as_postgres() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

install_hint() {
  if command -v apt-get >/dev/null; then
    echo "sudo apt-get install -y $*"
  else
    echo "install $* with your system's package manager"
  fi
}

# apt_install PACKAGE...: as root on Debian only; stops with the reason otherwise.
apt_install() {
  say "installing Debian's $* (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  local log=$LOCAL/apt.log
  if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "$@"; } >"$log" 2>&1; then
    tail -n 15 "$log" >&2
    fail "apt-get install $* (full log: .local/apt.log)" \
      "Fix the package installation above, or point DATABASE_URL / REDIS_URL at running servers."
  fi
}

# Before anything starts: every program the plan needs is installed, or can be, here.
ensure_programs() {
  local need_pg=$1 need_redis=$2 missing=()
  [[ $need_pg == 1 && -z $(pg_bin) ]] && missing+=(postgresql)
  [[ $need_redis == 1 && -z $(redis_bin) ]] && missing+=(redis-tools)
  ((${#missing[@]})) || return 0
  if is_root && command -v apt-get >/dev/null; then
    apt_install "${missing[@]}"
    return
  fi
  local what=
  [[ $need_pg == 1 ]] && what="PostgreSQL answers at $(where "$DEFAULT_DB")"
  [[ $need_pg == 1 && $need_redis == 1 ]] && what+=" and no "
  [[ $need_redis == 1 ]] && what+="Redis answers at $(where "$DEFAULT_REDIS")"
  local reason="not root, so nothing is installed"
  is_root && reason="no apt-get here"
  fail "no $what, and the programs to start project-local ones are missing: ${missing[*]} ($reason)" \
    "Run:  $(install_hint "${missing[@]}")" \
    "then: make services   (nothing was started)" \
    "Or run your own servers and set DATABASE_URL / REDIS_URL (see .env.example)."
}

start_local_pg() {
  local bin data log
  bin=$(pg_bin)
  data=$(pg_data)
  if [[ -f $data/postmaster.pid ]] && as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    fail "a PostgreSQL of this checkout runs from $data but does not answer on 127.0.0.1:$PG_PORT" \
      "See $data/server.log; make services-stop, then make services."
  fi
  if port_open 127.0.0.1 "$PG_PORT"; then
    fail "port $PG_PORT is taken by another program (not this checkout's PostgreSQL)" \
      "Free it, or choose another port: LOCAL_PG_PORT=55433 make services"
  fi
  if [[ $data != "$LOCAL/postgres" ]]; then
    say "the postgres user cannot enter $ROOT, so the project-local PostgreSQL keeps its data in $data"
  fi
  if [[ ! -f $data/PG_VERSION ]]; then
    say "initialising a project-local PostgreSQL in $data"
    mkdir -p "$data"
    if is_root; then chown postgres: "$data"; fi
    chmod 700 "$data"
    log=$LOCAL/initdb.log
    if ! as_postgres "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >"$log" 2>&1; then
      tail -n 5 "$log" >&2
      fail "initdb -D $data (log: .local/initdb.log)" "Nothing was started."
    fi
  fi
  say "starting the project-local PostgreSQL on 127.0.0.1:$PG_PORT"
  if ! as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 \
    -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null 2>&1; then
    tail -n 5 "$data/server.log" >&2 || true
    fail "pg_ctl start (PostgreSQL data in $data, log: $data/server.log)"
  fi
}

start_local_redis() {
  local bin
  bin=$(redis_bin)
  if port_open 127.0.0.1 "$REDIS_PORT"; then
    fail "port $REDIS_PORT is taken by another program (not this checkout's Redis)" \
      "Free it, or choose another port: LOCAL_REDIS_PORT=56380 make services"
  fi
  mkdir -p "$LOCAL/redis"
  say "starting the project-local Redis on 127.0.0.1:$REDIS_PORT"
  # AOF on and noeviction, as BullMQ requires.
  if ! (exec -a redis-server "$bin" --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" \
    --dir "$LOCAL/redis" --appendonly yes --maxmemory-policy noeviction \
    --pidfile "$LOCAL/redis/redis.pid" --logfile "$LOCAL/redis/redis.log" >/dev/null 2>&1); then
    fail "$bin did not start (log: .local/redis/redis.log)"
  fi
  for _ in $(seq 50); do
    redis_answers "redis://127.0.0.1:$REDIS_PORT" && return
    sleep 0.1
  done
  tail -n 5 "$LOCAL/redis/redis.log" >&2 || true
  fail "the project-local Redis does not answer on 127.0.0.1:$REDIS_PORT (log: .local/redis/redis.log)"
}

# configured NAME URL ORIGIN CHECK: a URL the user set must answer; nothing replaces it.
configured() {
  local name=$1 url=$2 origin=$3 check=$4
  if "$check" "$url"; then
    say "$name answers at $(where "$url") (from $origin)"
    return
  fi
  fail "$name does not answer at $(where "$url") (set in $origin)" \
    "Start that server, or fix ${5} in $origin, or unset it to let make services use the one at" \
    "the default address or start a project-local one."
}

up() {
  mkdir -p "$LOCAL"
  local db_name=flashcart db_url redis_url local_pg=0 local_redis=0 out=()
  local local_db_base="postgres://postgres@127.0.0.1:$PG_PORT"
  local local_redis_url="redis://127.0.0.1:$REDIS_PORT"

  # 1. Decide, without starting anything.
  if [[ -n $db_origin ]]; then
    configured PostgreSQL "$DATABASE_URL" "$db_origin" pg_answers DATABASE_URL
  elif pg_answers "$DEFAULT_DB"; then
    say "PostgreSQL answers at $(where "$DEFAULT_DB")"
  elif [[ -f $(pg_data)/postmaster.pid ]] && pg_answers "$local_db_base/$db_name"; then
    say "the project-local PostgreSQL is running on 127.0.0.1:$PG_PORT"
    out+=("DATABASE_URL=$local_db_base/$db_name")
  else
    local_pg=1
    port_open 127.0.0.1 "$PG_PORT" && fail "port $PG_PORT, where the project-local PostgreSQL would run, is taken by another program" \
      "Free it, or choose another port: LOCAL_PG_PORT=55433 make services   (nothing was started)"
  fi
  if [[ -n $redis_origin ]]; then
    configured Redis "$REDIS_URL" "$redis_origin" redis_answers REDIS_URL
  elif redis_answers "$DEFAULT_REDIS"; then
    say "Redis answers at $(where "$DEFAULT_REDIS")"
  elif [[ -f $LOCAL/redis/redis.pid ]] && redis_answers "$local_redis_url"; then
    say "the project-local Redis is running on 127.0.0.1:$REDIS_PORT"
    out+=("REDIS_URL=$local_redis_url")
  else
    local_redis=1
    port_open 127.0.0.1 "$REDIS_PORT" && fail "port $REDIS_PORT, where the project-local Redis would run, is taken by another program" \
      "Free it, or choose another port: LOCAL_REDIS_PORT=56380 make services   (nothing was started)"
  fi

  # 2. Every program needed is here (or installed now) before anything starts.
  ensure_programs "$local_pg" "$local_redis"

  # 3. Start what is missing, each step checked.
  if [[ $local_pg == 1 ]]; then
    start_local_pg
    out+=("DATABASE_URL=$local_db_base/$db_name")
  fi
  if [[ $local_redis == 1 ]]; then
    start_local_redis
    out+=("REDIS_URL=$local_redis_url")
  fi

  if ((${#out[@]})); then
    { echo "# written by scripts/services.sh: project-local servers, used only where neither the"
      echo "# environment nor .env sets the variable"
      printf '%s\n' "${out[@]}"; } >"$ENV_OUT"
  else
    rm -f "$ENV_OUT"
  fi
}

test_redis() {
  local bin
  bin=$(redis_bin)
  if [[ -n $bin ]]; then return 0; fi
  if is_root && command -v apt-get >/dev/null; then
    mkdir -p "$LOCAL"
    apt_install redis-tools
    [[ -n $(redis_bin) ]] || fail "redis-tools installed but no redis-check-rdb on PATH"
    return 0
  fi
  fail "the Redis-outage tests need a redis-server program to start and stop a private Redis; none is installed" \
    "Run:  $(install_hint redis-tools)   (the server program only; no service is started)" \
    "then: make test"
}

down() {
  local bin data
  bin=$(pg_bin)
  data=$(pg_data)
  if [[ -f $data/postmaster.pid && -n $bin ]]; then
    say "stopping the project-local PostgreSQL ($data)"
    as_postgres "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null ||
      fail "pg_ctl stop -D $data (see $data/server.log)"
  fi
  if [[ -f $LOCAL/redis/redis.pid ]]; then
    say "stopping the project-local Redis"
    local pid
    pid=$(cat "$LOCAL/redis/redis.pid")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$LOCAL/redis/redis.pid"
  fi
  rm -f "$ENV_OUT"
}

status() {
  if [[ -f $ENV_OUT ]]; then grep -v '^#' "$ENV_OUT"; else say "no project-local servers in use"; fi
  say "PostgreSQL data of this checkout (when local): $(pg_data)"
}

case ${1:-up} in
  up) up ;;
  down) down ;;
  status) status ;;
  test-redis) test_redis ;;
  *)
    echo "usage: $0 up|down|status|test-redis" >&2
    exit 2
    ;;
esac
