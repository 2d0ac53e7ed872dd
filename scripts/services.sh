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
# Usage: services.sh up | down | status | test-redis | needs [test]
#   test-redis: makes sure a redis-server program exists for the tests that stop their own
#   private Redis (test/harness/redis-server.ts), installing Debian's redis-tools when root.
#   needs: for doctor.sh, decides as `up` would and starts or installs nothing: prints one line
#   "PACKAGE<tab>why" per Debian package the plan lacks (with `test`: also the tests' redis-server
#   program), names on stderr whatever no package fixes (a configured URL that does not answer,
#   a port taken), and exits 1 when there is any such thing.
# Idempotent. Every failure says what failed and stops there; `up` names every such problem at once.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOCAL=$ROOT/.local
ENV_OUT=$LOCAL/services.env
PG_PORT=${LOCAL_PG_PORT:-55432}
REDIS_PORT=${LOCAL_REDIS_PORT:-56379}
# Where to look when no URL is set (FC_DEFAULT_*: the doctor's test points them at closed ports).
DEFAULT_DB=${FC_DEFAULT_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/flashcart}
DEFAULT_REDIS=${FC_DEFAULT_REDIS_URL:-redis://127.0.0.1:6379}
COMMAND=${1:-up}

say() { [[ -n ${QUIET:-} ]] || printf '[services] %s\n' "$*" >&2; }
# shellcheck source=lib/debian-program.sh
source scripts/lib/debian-program.sh

# Where each URL comes from: the environment, .env, or nobody (then project-local is allowed).
db_origin="the environment" redis_origin="the environment"
[[ -n ${DATABASE_URL:-} ]] || db_origin=
[[ -n ${REDIS_URL:-} ]] || redis_origin=
if [[ $COMMAND != needs ]] || FC_NODE_OFFLINE=1 scripts/node.sh >/dev/null 2>&1; then
  # shellcheck source=env.sh
  FC_ENV_FILES=.env source scripts/env.sh
else
  # The doctor, before any Node.js is here to read .env with (it names Node.js as missing): a URL
  # that .env sets counts as set; make services checks that it answers once Node.js is here.
  env_sets() { [[ -f .env ]] && grep -qE "^[[:space:]]*(export[[:space:]]+)?$1=" .env; }
  [[ -z $db_origin ]] && env_sets DATABASE_URL && db_origin=.env
  [[ -z $redis_origin ]] && env_sets REDIS_URL && redis_origin=.env
fi
[[ -z $db_origin && -n ${DATABASE_URL:-} ]] && db_origin=.env
[[ -z $redis_origin && -n ${REDIS_URL:-} ]] && redis_origin=.env

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

# The directory of initdb and pg_ctl (Debian's: /usr/lib/postgresql/<version>/bin), or nothing.
pg_bin() { local p; p=$(find_program initdb) && dirname "$p" || true; }
# Debian's redis-tools ships the Redis server as redis-check-rdb (redis-server is a symlink to it
# in the redis-server package, which also installs a system service). Run with argv[0]
# "redis-server", that binary is the server.
redis_bin() { find_program redis-server redis-check-rdb || true; }

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
# As root, PostgreSQL's programs run as the postgres user, from / : they return to the working
# directory after resolving their own path, and that user cannot enter /root ("could not change
# directory to ...: Permission denied" on every make services-stop there).
as_postgres() { if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# missing_programs: one line "PACKAGE<tab>why" per Debian package that the plan (local_pg,
# local_redis) lacks the programs of.
missing_programs() {
  [[ $local_pg == 1 && -z $(pg_bin) ]] &&
    printf 'postgresql\tPostgreSQL server programs (no PostgreSQL answers at %s, so make services starts a project-local one)\n' "$(where "$DEFAULT_DB")"
  [[ $local_redis == 1 && -z $(redis_bin) ]] &&
    printf 'redis-tools\tthe Redis server program (no Redis answers at %s, so make services starts a project-local one)\n' "$(where "$DEFAULT_REDIS")"
  return 0
}

# Before anything starts: every program the plan needs is installed, or can be, here.
ensure_programs() {
  local lines packages=()
  lines=$(missing_programs)
  [[ -n $lines ]] || return 0
  mapfile -t packages < <(cut -f1 <<<"$lines")
  local status=0
  debian_install "${packages[@]}" || status=$?
  case $status in
    0) return ;;
    2) fail "the packages above did not install" "Fix that, or point DATABASE_URL / REDIS_URL at running servers." ;;
  esac
  local advice=()
  mapfile -t advice < <(debian_install_advice "${packages[@]}")
  local reason="not root, so nothing is installed"
  is_root && reason="no apt-get here"
  local whys
  whys=$(cut -f2 <<<"$lines")
  fail "missing programs ($reason): ${whys//$'\n'/; }" \
    "${advice[@]}" \
    "then: make services   (nothing was started; make doctor lists everything else missing too)" \
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

# What stops the plan and no package fixes, one entry each (a line naming it, then advice).
problems=()
problem() { problems+=("$(printf '%s\n' "$@")"); }

# configured NAME URL ORIGIN VAR CHECK: a URL the user set must answer; nothing replaces it.
configured() {
  local name=$1 url=$2 origin=$3 var=$4 check=$5
  [[ -n $url ]] || return 0 # set in .env, which only Node.js reads (doctor.sh, before Node.js is here)
  if "$check" "$url"; then
    say "$name answers at $(where "$url") (from $origin)"
    return
  fi
  problem "$name does not answer at $(where "$url") ($var, set in $origin); nothing is started in its place" \
    "  Start that server, or fix $var in $origin, or unset it to let make services use the one at" \
    "  the default address or start a project-local one."
}

# plan: decides where each server comes from, starting nothing. Sets local_pg / local_redis (1:
# start a project-local one), out (the URLs of project-local ones already running) and problems.
plan() {
  db_name=flashcart local_pg=0 local_redis=0 out=()
  local_db_base="postgres://postgres@127.0.0.1:$PG_PORT"
  local_redis_url="redis://127.0.0.1:$REDIS_PORT"
  if [[ -n $db_origin ]]; then
    configured PostgreSQL "${DATABASE_URL:-}" "$db_origin" DATABASE_URL pg_answers
  elif pg_answers "$DEFAULT_DB"; then
    say "PostgreSQL answers at $(where "$DEFAULT_DB")"
  elif [[ -f $(pg_data)/postmaster.pid ]] && pg_answers "$local_db_base/$db_name"; then
    say "the project-local PostgreSQL is running on 127.0.0.1:$PG_PORT"
    out+=("DATABASE_URL=$local_db_base/$db_name")
  else
    local_pg=1
    if port_open 127.0.0.1 "$PG_PORT"; then
      problem "port $PG_PORT, where the project-local PostgreSQL would run, is taken by another program" \
        "  Free it, or choose another port: LOCAL_PG_PORT=55433 make services"
    fi
  fi
  if [[ -n $redis_origin ]]; then
    configured Redis "${REDIS_URL:-}" "$redis_origin" REDIS_URL redis_answers
  elif redis_answers "$DEFAULT_REDIS"; then
    say "Redis answers at $(where "$DEFAULT_REDIS")"
  elif [[ -f $LOCAL/redis/redis.pid ]] && redis_answers "$local_redis_url"; then
    say "the project-local Redis is running on 127.0.0.1:$REDIS_PORT"
    out+=("REDIS_URL=$local_redis_url")
  else
    local_redis=1
    if port_open 127.0.0.1 "$REDIS_PORT"; then
      problem "port $REDIS_PORT, where the project-local Redis would run, is taken by another program" \
        "  Free it, or choose another port: LOCAL_REDIS_PORT=56380 make services"
    fi
  fi
}

# Every problem of the plan at once, then exit 1 (when there is any).
fail_on_problems() {
  ((${#problems[@]})) || return 0
  local p
  for p in "${problems[@]}"; do printf '[services] FAILED: %s\n' "$p" >&2; done
  printf '  (nothing was started)\n' >&2
  exit 1
}

up() {
  mkdir -p "$LOCAL"
  # 1. Decide, without starting anything.
  plan
  fail_on_problems

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

# The tests that stop their own private Redis need a redis-server program.
test_redis_missing() {
  [[ -z $(redis_bin) ]] &&
    printf 'redis-tools\ta redis-server program (the tests that start and stop a private Redis; no service is started)\n'
  return 0
}

test_redis() {
  [[ -z $(test_redis_missing) ]] && return 0
  local status=0
  debian_install redis-tools || status=$?
  case $status in
    0) [[ -n $(redis_bin) ]] && return 0 || fail "redis-tools installed but no redis-server or redis-check-rdb program" ;;
    2) fail "redis-tools did not install" ;;
  esac
  local advice=()
  mapfile -t advice < <(debian_install_advice redis-tools)
  fail "the Redis-outage tests need a redis-server program to start and stop a private Redis; none is installed" \
    "${advice[@]}" "then: make test   (make doctor lists everything else missing too)"
}

# needs [test]: see the usage at the top.
needs() {
  QUIET=1
  plan
  missing_programs
  # (a project-local Redis already needs the same program)
  if [[ ${1:-} == test && $local_redis != 1 ]]; then test_redis_missing; fi
  local p
  for p in "${problems[@]}"; do printf '[services] %s\n' "$p" >&2; done
  ((${#problems[@]} == 0))
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

case $COMMAND in
  up) up ;;
  needs) needs "${2:-}" ;;
  down) down ;;
  status) status ;;
  test-redis) test_redis ;;
  *)
    echo "usage: $0 up|down|status|test-redis|needs [test]" >&2
    exit 2
    ;;
esac
