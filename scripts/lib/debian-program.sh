# Sourced by scripts that need a program from Debian's packages (balancer.sh, chromium.sh).
#
#   debian_program VAR PACKAGE MISSING WHAT CANDIDATE...
#
# Prints the program's path: $VAR when set (it must be executable), else the first executable
# CANDIDATE, else PACKAGE installed first when root on Debian (a CANDIDATE is then the program).
# Otherwise it says MISSING, the one command to run and what VAR may name (WHAT), and returns 1.
# Messages go through `say`, which the sourcing script defines (it prefixes them with its name).
debian_program() {
  local var=$1 package=$2 missing=$3 what=$4
  shift 4
  local given=${!var:-}
  if [[ -n $given ]]; then
    [[ -x $given ]] || { say "FAILED: $var=$given is not an executable"; return 1; }
    echo "$given"
    return
  fi
  first_executable "$@" && return
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing Debian's $package package (once)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "$package" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null && apt-get install -y -qq "$package" >/dev/null; } ||
      { say "FAILED: apt-get install $package"; return 1; }
    first_executable "$@" && return
    say "FAILED: $package installed, but none of $* is there"
    return 1
  fi
  say "FAILED: $missing. Install it with:"
  say "  sudo apt-get update && sudo apt-get install -y $package"
  say "  (or set $var to $what)"
  return 1
}

first_executable() {
  local candidate
  for candidate in "$@"; do
    [[ -x $candidate ]] && { echo "$candidate"; return 0; }
  done
  return 1
}
