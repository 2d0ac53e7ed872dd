# Sourced by every Makefile recipe (and by scripts/services.sh) before it runs node or npm.
#
# 1. Node.js: the version pinned in .nvmrc goes first on PATH (scripts/node.sh provisions it
#    into .local/node/ when the machine's node is another major, with its npm). The native
#    addons we use (argon2, msgpackr-extract) are Node-API prebuilds, valid on any Node.js.
# 2. Configuration, one rule everywhere: a variable already in the environment wins; then the
#    user's .env; then .local/services.env (the URLs of project-local PostgreSQL/Redis that
#    `make services` started because no URL was configured); then the defaults in libs/config.
#    Node's own parser reads the files, the same one libs/config uses (util.parseEnv).
#    FC_ENV_FILES overrides the list of files (services.sh reads only .env).
_fc_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_fc_node=$("$_fc_root/scripts/node.sh") || return 1
if [[ -n $_fc_node ]]; then
  case ":$PATH:" in *":$_fc_node/bin:"*) ;; *) PATH=$_fc_node/bin:$PATH ;; esac
  export PATH
fi
_fc_vars=$(cd "$_fc_root" && FC_ENV_FILES=${FC_ENV_FILES-.env .local/services.env} node --input-type=module -e '
  import { existsSync, readFileSync } from "node:fs";
  import { parseEnv } from "node:util";
  const set = {};
  for (const file of process.env.FC_ENV_FILES.split(" ").filter(Boolean)) {
    if (!existsSync(file)) continue;
    for (const [k, v] of Object.entries(parseEnv(readFileSync(file, "utf8"))))
      if (!(k in process.env) && !(k in set) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) set[k] = v;
  }
  const q = (v) => `'"'"'${v.replaceAll(`'"'"'`, `'"'"'\\'"'"''"'"'`)}'"'"'`;
  for (const [k, v] of Object.entries(set)) console.log(`export ${k}=${q(v)}`);
') || return 1
eval "$_fc_vars"
unset _fc_root _fc_node _fc_vars
