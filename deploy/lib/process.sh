# Shared by the deploy scripts (sourced, not run).

# terminate_pid PID SECONDS: SIGTERM, then SIGKILL if the process still runs after SECONDS.
terminate_pid() {
  local pid=$1 wait=$2 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait * 2; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  printf 'pid %s still running after %ss; sending SIGKILL\n' "$pid" "$wait" >&2
  kill -KILL "$pid" 2>/dev/null || true
}
