# shellcheck shell=bash
# Shared by the deploy scripts (sourced, not run; needs lib/log.sh): is something listening,
# and waiting until it is.

# port_open HOST PORT: a TCP connect succeeds (bash's /dev/tcp, so no nc or ss needed).
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# wait_for SECONDS DESCRIPTION CMD...: poll CMD once a second; die when it never succeeds.
wait_for() {
  local timeout=$1 what=$2
  shift 2
  local i
  for ((i = 0; i < timeout; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  die "$what not ready after ${timeout}s"
}
