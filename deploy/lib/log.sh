# shellcheck shell=bash
# Shared by the deploy scripts (sourced, not run): one line format for what they report.
# The sourcing script sets LOG_TAG (e.g. dev-services) first; LOG_CLOCK=1 adds the time of
# day, for the long runs (bench) where it tells which step took the minutes.

log() {
  if [[ ${LOG_CLOCK:-0} == 1 ]]; then
    printf '[%s %s] %s\n' "${LOG_TAG:-deploy}" "$(date +%H:%M:%S)" "$*" >&2
  else
    printf '[%s] %s\n' "${LOG_TAG:-deploy}" "$*" >&2
  fi
}

die() {
  log "ERROR: $*"
  exit 1
}
