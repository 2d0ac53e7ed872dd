#!/usr/bin/env bash
# The Node.js this project runs on. The version is pinned in .nvmrc (the one place it is written;
# package.json `engines`, docker/Dockerfile and CI follow it, see scripts/check-node-pin.sh).
#
# Prints the directory to put first on PATH (its bin/node), or nothing when the machine's own
# `node` already has the pinned major version. Otherwise it provisions the pinned version from
# the npm registry (the `node-<os>-<arch>` package that the `node` package itself installs, and
# the npm that package.json's packageManager names), once, into .local/node/v<version>/, and says
# so in one line. With FC_NODE_OFFLINE=1 it fetches nothing: it exits 3 when it would have to.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
want=$(tr -d ' \r\nv' <"$root/.nvmrc")
major=${want%%.*}
have=$(node --version 2>/dev/null || true)
if [[ ${have#v} == "$major".* && -z ${FC_NODE_PROVISION:-} ]]; then exit 0; fi

dir=$root/.local/node/v$want
if [[ -n ${FC_NODE_OFFLINE:-} ]]; then
  [[ -x $dir/bin/node ]] || exit 3
  echo "$dir"
  exit 0
fi
if [[ ! -x $dir/bin/node ]]; then
  case $(uname -s) in Linux) os=linux ;; Darwin) os=darwin ;; *) os=unsupported ;; esac
  case $(uname -m) in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) arch=unsupported ;; esac
  if [[ $os == unsupported || $arch == unsupported ]]; then
    echo "[node] no Node.js $want package for $(uname -s)/$(uname -m): install Node.js $major yourself (see .nvmrc)" >&2
    exit 1
  fi
  if ! command -v npm >/dev/null; then
    echo "[node] npm is needed to fetch Node.js $want (install Node.js and npm, see the README's prerequisites)" >&2
    exit 1
  fi
  echo "[node] this machine's node is ${have:-missing}; provisioning Node.js $want (and its npm) from the npm registry into .local/node/ (once)" >&2
  announced=1
  mkdir -p "$root/.local/node"
  tmp=$(mktemp -d "$root/.local/node/.fetch.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && npm pack --silent "node-$os-$arch@$want" >pack.log 2>&1); then
    grep -m3 'npm error' "$tmp/pack.log" >&2 || tail -n 3 "$tmp/pack.log" >&2
    echo "[node] FAILED: npm pack node-$os-$arch@$want (the npm registry is needed once, to fetch Node.js $want)" >&2
    exit 1
  fi
  tar -xzf "$tmp"/node-"$os-$arch"-*.tgz -C "$tmp"
  got=$("$tmp/package/bin/node" --version)
  if [[ $got != "v$want" ]]; then
    echo "[node] the fetched package runs $got, not v$want" >&2
    exit 1
  fi
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
fi
# npm too, the version package.json's packageManager names: an older npm on a newer Node.js is
# not dependable (npm 10 under Node.js 24 failed `npm ci` with "Exit handler never called!").
npm_want=$(sed -n 's/.*"packageManager": *"npm@\([^"]*\)".*/\1/p' "$root/package.json")
if [[ -n $npm_want && $(cat "$dir/.npm-version" 2>/dev/null) != "$npm_want" ]]; then
  [[ -n ${announced:-} ]] || echo "[node] adding npm $npm_want to .local/node/v$want, from the npm registry" >&2
  tmp=$(mktemp -d "$root/.local/node/.fetch.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && npm pack --silent "npm@$npm_want" >pack.log 2>&1); then
    grep -m3 'npm error' "$tmp/pack.log" >&2 || tail -n 3 "$tmp/pack.log" >&2
    echo "[node] FAILED: npm pack npm@$npm_want" >&2
    exit 1
  fi
  rm -rf "$dir/lib/node_modules/npm"
  mkdir -p "$dir/lib/node_modules"
  tar -xzf "$tmp"/npm-*.tgz -C "$tmp"
  mv "$tmp/package" "$dir/lib/node_modules/npm"
  ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "$dir/bin/npm"
  ln -sfn ../lib/node_modules/npm/bin/npx-cli.js "$dir/bin/npx"
  echo "$npm_want" >"$dir/.npm-version"
fi
echo "$dir"
