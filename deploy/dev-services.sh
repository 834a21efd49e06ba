#!/usr/bin/env bash
# Local dev services for contest: PostgreSQL, Redis and a Temporal dev server.
#
#   deploy/dev-services.sh up      install (if needed) and start all three, print addresses
#   deploy/dev-services.sh status  report what is up (exit 1 if anything is down)
#   deploy/dev-services.sh down    stop the Temporal dev server started by this script
#
# Works without systemd (services are started directly) and needs only the
# Debian apt repos and the Go module proxy. Safe to re-run: it only acts on
# what is missing or stopped.
set -euo pipefail

readonly HOST=127.0.0.1
PGPORT="${PGPORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"

readonly DB_NAME=contest DB_USER=contest DB_PASSWORD=contest
readonly DATABASE_URL="postgres://${DB_USER}:${DB_PASSWORD}@${HOST}:${PGPORT}/${DB_NAME}?sslmode=disable"

readonly TEMPORAL_CLI_VERSION=v1.5.1
readonly TEMPORAL_CLI_PKG=github.com/temporalio/cli/cmd/temporal
readonly TEMPORAL_ADDR="${HOST}:${TEMPORAL_PORT}"

# Outside the repo so the Temporal db (in-flight workflows) survives fresh clones.
STATE_DIR="${CONTEST_STATE_DIR:-${HOME:-/root}/.local/state/contest}"
readonly TEMPORAL_DB="$STATE_DIR/temporal.db"
readonly TEMPORAL_LOG="$STATE_DIR/temporal.log"
readonly TEMPORAL_PID="$STATE_DIR/temporal.pid"

APT_UPDATED=0

LOG_TAG=dev-services
LIB_DIR="$(dirname "${BASH_SOURCE[0]}")/lib"
# shellcheck source=lib/log.sh
source "$LIB_DIR/log.sh"
# shellcheck source=lib/wait.sh
source "$LIB_DIR/wait.sh"
# shellcheck source=lib/go.sh
source "$LIB_DIR/go.sh"
# shellcheck source=lib/process.sh
source "$LIB_DIR/process.sh"
# shellcheck source=lib/temporal-dev.sh
source "$LIB_DIR/temporal-dev.sh"

# ---------------------------------------------------------------- helpers

apt_install() {
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    apt-get update -qq >&2
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# Install the package providing a command if the command is missing
# (a minimal Debian image has no procps, i.e. no pgrep).
need_cmd() {
  command -v "$1" >/dev/null 2>&1 || apt_install "$2"
}

# ---------------------------------------------------------------- postgres

pg_server_installed() {
  command -v psql >/dev/null 2>&1 &&
    command -v pg_ctlcluster >/dev/null 2>&1 &&
    compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

pg_ready() {
  pg_isready -q -h "$HOST" -p "$PGPORT"
}

pg_version() {
  local v
  v=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null |
    sort -V | tail -n 1) || true
  [[ -n $v ]] || die "no cluster under /etc/postgresql (try: pg_createcluster <version> main)"
  printf '%s\n' "$v"
}

# Superuser psql over the local socket (peer auth as the postgres OS user).
# cd / because postgres may not be able to read the caller's cwd.
psql_admin() {
  (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 \
    -h /var/run/postgresql -p "$PGPORT" -d postgres "$@")
}

pg_app_login_ok() {
  psql -X -q -tA "$DATABASE_URL" -c 'select 1' >/dev/null 2>&1
}

start_postgres() {
  local ver port
  ver=$(pg_version)
  port=$(pg_conftool -s "$ver" main show port 2>/dev/null || echo 5432)
  [[ $port == "$PGPORT" ]] ||
    die "cluster $ver/main is configured for port $port but PGPORT=$PGPORT; edit /etc/postgresql/$ver/main/postgresql.conf or unset PGPORT"
  log "starting PostgreSQL cluster $ver/main"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start >&2
  wait_for 30 "PostgreSQL on $HOST:$PGPORT" pg_ready
}

ensure_pg_role_and_db() {
  # Only touches the catalogs when something is missing or wrong, so a
  # re-run changes nothing. \gexec runs each generated statement.
  psql_admin -v role="$DB_USER" -v pw="$DB_PASSWORD" -v db="$DB_NAME" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB', :'role')
  FROM pg_roles WHERE rolname = :'role' AND NOT (rolcanlogin AND rolcreatedb) \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'pw')
  FROM pg_authid WHERE rolname = :'role' AND rolpassword IS NULL \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'role')
  FROM pg_database WHERE datname = :'db' AND pg_get_userbyid(datdba) <> :'role' \gexec
SQL
}

ensure_postgres() {
  if ! pg_server_installed; then
    apt_install postgresql
  fi
  pg_ready || start_postgres
  ensure_pg_role_and_db
  if ! pg_app_login_ok; then
    # The role existed with some other password (only matters under scram/md5).
    log "resetting password of role $DB_USER"
    psql_admin -v role="$DB_USER" -v pw="$DB_PASSWORD" <<'SQL'
SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'pw') \gexec
SQL
    psql -X -q -tA "$DATABASE_URL" -c 'select 1' >/dev/null ||
      die "cannot connect with $DATABASE_URL (check pg_hba.conf for host $HOST)"
  fi
  log "PostgreSQL ok: $DATABASE_URL"
}

# ---------------------------------------------------------------- redis

redis_ready() {
  [[ $(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

ensure_redis() {
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  if ! redis_ready; then
    log "starting redis-server on $HOST:$REDIS_PORT"
    mkdir -p /var/lib/redis /var/log/redis
    # Own pidfile per port so we never clobber the Debian service's pidfile.
    redis-server --daemonize yes --bind "$HOST" -::1 --port "$REDIS_PORT" \
      --save "" --appendonly no --dir /var/lib/redis \
      --logfile /var/log/redis/contest.log \
      --pidfile "/var/run/redis-contest-$REDIS_PORT.pid" >&2
    wait_for 30 "Redis on $HOST:$REDIS_PORT" redis_ready
  fi
  log "Redis ok: $HOST:$REDIS_PORT"
}

# ---------------------------------------------------------------- temporal

temporal_bin_path() {
  if [[ -n ${TEMPORAL_BIN:-} ]]; then
    printf '%s\n' "$TEMPORAL_BIN"
  else
    require_go
    printf '%s/bin/temporal\n' "$(go env GOPATH)"
  fi
}

temporal_cli_ok() {
  local want=${TEMPORAL_CLI_VERSION#v} info
  [[ -x $TEMPORAL_BIN ]] || return 1
  # Release binaries report their version, but 'go install' builds print
  # "0.0.0-DEV", so fall back to the module version Go embeds in the binary.
  [[ $("$TEMPORAL_BIN" --version 2>/dev/null) =~ version\ ${want//./\\.}([^0-9]|$) ]] && return 0
  command -v go >/dev/null 2>&1 || return 1
  info=$(go version -m "$TEMPORAL_BIN" 2>/dev/null) || return 1
  [[ $info =~ [[:space:]]mod[[:space:]]+github\.com/temporalio/cli[[:space:]]+${TEMPORAL_CLI_VERSION//./\\.}[[:space:]] ]]
}

build_running() {
  pgrep -f "${TEMPORAL_CLI_PKG}@${TEMPORAL_CLI_VERSION}"
}

ensure_temporal_cli() {
  temporal_cli_ok && return 0
  need_cmd pgrep procps

  local pids waited=0
  if pids=$(build_running); then
    log "a go install of temporal CLI ${TEMPORAL_CLI_VERSION} is already running (pid ${pids//$'\n'/ }); waiting for it (up to 10 min)"
    while build_running >/dev/null && ! temporal_cli_ok; do
      ((waited >= 600)) && die "other temporal CLI build still running after ${waited}s"
      sleep 5
      waited=$((waited + 5))
    done
    log "waited ${waited}s for the other build"
    temporal_cli_ok && return 0
  fi

  require_go
  log "building temporal CLI ${TEMPORAL_CLI_VERSION} with go install (takes ~4 min the first time)"
  local start=$SECONDS bindir
  bindir=$(dirname "$TEMPORAL_BIN")
  mkdir -p "$bindir"
  # GOBIN pins the output to where we look for it (GOBIN may point elsewhere).
  GOBIN="$bindir" GOFLAGS=-mod=mod go install "${TEMPORAL_CLI_PKG}@${TEMPORAL_CLI_VERSION}" >&2 ||
    die "go install ${TEMPORAL_CLI_PKG}@${TEMPORAL_CLI_VERSION} failed"
  if [[ $(basename "$TEMPORAL_BIN") != temporal ]]; then
    mv -f "$bindir/temporal" "$TEMPORAL_BIN"
  fi
  temporal_cli_ok || die "built $TEMPORAL_BIN but it does not report ${TEMPORAL_CLI_VERSION}"
  log "built temporal CLI in $((SECONDS - start))s"
}

temporal_healthy() {
  local out
  out=$("$TEMPORAL_BIN" operator cluster health --address "$TEMPORAL_ADDR" \
    --command-timeout 5s 2>/dev/null) || return 1
  [[ $out == *SERVING* ]]
}

# Pid from our pidfile, only if that process is still our dev server.
temporal_our_pid() {
  pidfile_pid "$TEMPORAL_PID" "*server start-dev*$TEMPORAL_DB*"
}

start_temporal() {
  log "starting Temporal dev server on $TEMPORAL_ADDR (UI :$TEMPORAL_UI_PORT, db $TEMPORAL_DB)"
  printf '=== %s start-dev\n' "$(date -Is)" >>"$TEMPORAL_LOG"
  start_detached "$TEMPORAL_PID" "$TEMPORAL_LOG" "$TEMPORAL_BIN" server start-dev \
    --ip "$HOST" --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" \
    --db-filename "$TEMPORAL_DB" --log-level warn --namespace default "${TEMPORAL_DEV_FLAGS[@]}"
}

# Ours, but started by an earlier version of this script without today's tuning flags.
temporal_outdated() {
  local pid cmdline
  pid=$(temporal_our_pid) || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline != *"${TEMPORAL_DEV_FLAGS[*]}"* ]]
}

ensure_temporal() {
  TEMPORAL_BIN=$(temporal_bin_path)
  ensure_temporal_cli

  if temporal_outdated; then
    log "the running Temporal dev server lacks the current flags (${TEMPORAL_DEV_FLAGS[*]}); restarting it (its state file is kept)"
    stop_temporal
  fi
  if ! temporal_healthy; then
    if ! port_open "$HOST" "$TEMPORAL_PORT" && ! temporal_our_pid >/dev/null; then
      start_temporal
    else
      log "something is on $TEMPORAL_ADDR but not SERVING yet; waiting"
    fi
    local start=$SECONDS
    wait_for 60 "Temporal on $TEMPORAL_ADDR (see $TEMPORAL_LOG)" temporal_healthy
    log "Temporal became healthy in $((SECONDS - start))s"
  fi
  log "Temporal ok: $TEMPORAL_ADDR (pid $(temporal_our_pid || echo 'not ours'))"
}

stop_temporal() {
  local pid
  if ! pid=$(temporal_our_pid); then
    log "no Temporal dev server started by this script is running"
    rm -f "$TEMPORAL_PID"
    return 0
  fi
  log "stopping Temporal dev server (pid $pid)"
  terminate_pid "$pid" 15
  rm -f "$TEMPORAL_PID"
  log "Temporal dev server stopped (db kept at $TEMPORAL_DB)"
}

# ---------------------------------------------------------------- commands

print_addresses() {
  cat <<OUT
DATABASE_URL=$DATABASE_URL
REDIS_ADDR=$HOST:$REDIS_PORT
TEMPORAL_ADDRESS=$TEMPORAL_ADDR
TEMPORAL_NAMESPACE=default
TEMPORAL_UI=http://$HOST:$TEMPORAL_UI_PORT
OUT
}

cmd_up() {
  ensure_postgres
  ensure_redis
  ensure_temporal
  print_addresses
}

cmd_status() {
  local rc=0 pid
  if command -v pg_isready >/dev/null 2>&1 && pg_ready && pg_app_login_ok; then
    echo "postgres: up    $DATABASE_URL"
  else
    echo "postgres: DOWN  $HOST:$PGPORT"; rc=1
  fi
  if command -v redis-cli >/dev/null 2>&1 && redis_ready; then
    echo "redis:    up    $HOST:$REDIS_PORT"
  else
    echo "redis:    DOWN  $HOST:$REDIS_PORT"; rc=1
  fi
  TEMPORAL_BIN=$(temporal_bin_path)
  pid=$(temporal_our_pid || echo "not started by this script")
  if [[ -x $TEMPORAL_BIN ]] && temporal_healthy; then
    echo "temporal: up    $TEMPORAL_ADDR (UI http://$HOST:$TEMPORAL_UI_PORT, pid $pid, db $TEMPORAL_DB)"
  else
    echo "temporal: DOWN  $TEMPORAL_ADDR (pid $pid)"; rc=1
  fi
  return "$rc"
}

main() {
  local cmd=${1:-}
  setup_go
  case $cmd in
    up | down | status) ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
  esac
  [[ $(id -u) -eq 0 ]] || die "run as root (installs packages and starts services)"

  mkdir -p "$STATE_DIR"

  case $cmd in
    up) cmd_up ;;
    down) stop_temporal ;;
    status) cmd_status ;;
  esac
}

main "$@"
