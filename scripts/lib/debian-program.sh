# Sourced by the scripts that need programs from Debian's packages (doctor.sh, services.sh,
# balancer.sh, chromium.sh): where programs are looked for, the one command that installs
# packages, running it when root, and saying it otherwise. Messages go through `say`, which the
# sourcing script defines (it prefixes them with its name).
_fc_lib_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Where programs are looked for: the newest PostgreSQL's bin directory (Debian keeps initdb and
# pg_ctl there, off PATH), PATH, then the system directories a non-root PATH lacks (Debian's
# haproxy is /usr/sbin/haproxy). FC_PROGRAM_PATH replaces the whole list (the doctor's test
# simulates a bare machine with it).
program_path() {
  if [[ -n ${FC_PROGRAM_PATH:-} ]]; then
    echo "$FC_PROGRAM_PATH"
    return
  fi
  local pg
  pg=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  echo "${pg:+$pg:}$PATH:/usr/local/sbin:/usr/sbin:/sbin"
}

# find_program NAME...: the path of the first NAME found on program_path; status 1 when none is.
find_program() {
  local name found
  for name in "$@"; do
    found=$(PATH=$(program_path) && command -v "$name") && [[ $found == /* ]] && {
      echo "$found"
      return 0
    }
  done
  return 1
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# The one command that installs PACKAGE... on Debian, as printed to a user and as run when root.
debian_install_command() { echo "apt-get update && apt-get install -y $*"; }

# debian_install PACKAGE...: as root with apt-get, runs debian_install_command (log:
# .local/apt.log). Status 1 when not root or not Debian (nothing tried), 2 when apt-get failed.
debian_install() {
  is_root && command -v apt-get >/dev/null || return 1
  local log=$_fc_lib_root/.local/apt.log
  mkdir -p "$_fc_lib_root/.local"
  say "installing Debian's $*: $(debian_install_command "$@")   (log: .local/apt.log)"
  if ! DEBIAN_FRONTEND=noninteractive bash -c "$(debian_install_command "$@")" >"$log" 2>&1; then
    tail -n 15 "$log" >&2
    say "FAILED: $(debian_install_command "$@")   (full log: .local/apt.log)"
    return 2
  fi
}

# debian_install_advice PACKAGE...: the lines telling a user who is not root the one command to run.
debian_install_advice() {
  if ! command -v apt-get >/dev/null; then
    echo "Install them with your system's package manager (Debian's names): $*"
    return
  fi
  echo "Install with this one command, as root:"
  echo "  $(debian_install_command "$@")"
  if command -v sudo >/dev/null; then
    echo "  (from this account: sudo sh -c '$(debian_install_command "$@")')"
  else
    echo "  (from this account: su -c '$(debian_install_command "$@")', with root's password)"
  fi
}

#   debian_program VAR PACKAGE MISSING WHAT NAME...
#
# Prints the program's path: $VAR when set (it must be executable), else the first NAME found on
# program_path, else PACKAGE installed first when root on Debian (a NAME is then the program).
# Otherwise it says MISSING (what the program is, for what), the one command to run and what VAR may name (WHAT), and returns 1.
# With FC_CHECK_ONLY=1 (doctor.sh) it installs and prints nothing when the program is here, and
# when it is missing prints "PACKAGE<tab>MISSING" and returns 3; a bad $VAR still returns 1.
debian_program() {
  local var=$1 package=$2 missing=$3 what=$4
  shift 4
  local given=${!var:-}
  if [[ -n $given ]]; then
    [[ -x $given ]] || { say "FAILED: $var=$given is not an executable"; return 1; }
    [[ -n ${FC_CHECK_ONLY:-} ]] || echo "$given"
    return
  fi
  if [[ -n ${FC_CHECK_ONLY:-} ]]; then
    find_program "$@" >/dev/null && return
    printf '%s\t%s\n' "$package" "$missing"
    return 3
  fi
  find_program "$@" && return
  local status=0
  debian_install "$package" || status=$?
  case $status in
    0)
      find_program "$@" && return
      say "FAILED: $package installed, but none of $* is there"
      return 1
      ;;
    2) return 1 ;;
  esac
  say "FAILED: missing $missing."
  local line
  while IFS= read -r line; do say "$line"; done < <(debian_install_advice "$package")
  say "(or set $var to $what; make doctor lists everything missing at once)"
  return 1
}
