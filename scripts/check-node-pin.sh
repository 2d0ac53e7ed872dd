#!/usr/bin/env bash
# Part of `make lint`: every place that names a Node.js version follows .nvmrc (the pin).
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(tr -d ' \r\nv' <.nvmrc)
major=${want%%.*}
problems=()
engines=$(sed -n 's/.*"node": *"\([^"]*\)".*/\1/p' package.json | head -1)
[[ $engines == ">=$major" ]] || problems+=("package.json engines.node is '$engines', expected '>=$major'")
types=$(sed -n 's/.*"@types\/node": *"\([^"]*\)".*/\1/p' package.json | head -1)
[[ $types == "$major".* ]] || problems+=("@types/node is '$types', expected $major.x")
while read -r image; do
  [[ $image == "node:$want-"* ]] || problems+=("docker/Dockerfile uses $image, expected node:$want-…")
done < <(sed -n 's/^FROM \([^ ]*\).*/\1/p' docker/Dockerfile)
if ((${#problems[@]})); then
  printf 'Node.js pin (.nvmrc = %s): %s\n' "$want" "${problems[@]}" >&2
  exit 1
fi
