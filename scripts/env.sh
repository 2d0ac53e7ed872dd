# Sourced by the Makefile's recipes: the user's .env, then the services chosen by services.sh.
# Variables already set in the environment win over .env.
set -a
if [[ -f .env ]]; then
  while IFS='=' read -r key value; do
    [[ $key =~ ^[A-Z_][A-Z0-9_]*$ && -z ${!key+x} ]] && eval "$key=\$value"
  done < <(grep -E '^[A-Z_][A-Z0-9_]*=' .env)
fi
[[ -f .local/services.env ]] && . .local/services.env
set +a
