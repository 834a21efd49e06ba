# shellcheck shell=bash
# Shared by the deploy scripts (sourced, not run): the processes they start and stop.

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

# pidfile_pid PIDFILE PATTERN: the pid in PIDFILE, only while that process is still ours,
# i.e. its command line matches the glob PATTERN. A pidfile outlives a reboot and pids are
# reused: without the check, `down` could stop whatever now has that number.
pidfile_pid() {
  local pid cmdline
  [[ -f $1 ]] || return 1
  pid=$(<"$1")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  # shellcheck disable=SC2053 # $2 is a glob on purpose
  [[ $cmdline == $2 ]] || return 1
  printf '%s\n' "$pid"
}

# start_detached PIDFILE LOGFILE CMD...: run CMD in its own session (setsid + nohup), so it
# outlives the script and the terminal, appending to LOGFILE; its pid goes to PIDFILE.
start_detached() {
  local pidfile=$1 logfile=$2
  shift 2
  setsid nohup "$@" </dev/null >>"$logfile" 2>&1 &
  echo $! >"$pidfile"
  disown
}
