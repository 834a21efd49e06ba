#!/usr/bin/env bash
# A production-shaped Temporal server for contest on this machine: the real server
# (go.temporal.io/server v1.32.1, all four services in one process) persisting to its own
# PostgreSQL cluster (not the application's), next to (not instead of) the dev server of
# deploy/dev-services.sh.
#
#   deploy/temporal-server.sh up      build (once), set up its PostgreSQL, start, print addresses
#   deploy/temporal-server.sh status  report what is up (exit 1 if the server is down)
#   deploy/temporal-server.sh env     print TEMPORAL_ADDRESS=… lines for the app and the tests
#   deploy/temporal-server.sh down    stop the server started by this script (data kept)
#   deploy/temporal-server.sh reset   stop it and drop its databases (a new shard count needs that)
#
# `up` first runs deploy/dev-services.sh up (the app's PostgreSQL, Redis, the Temporal CLI,
# which it also uses here). Then, only acting on what is missing or stopped:
#   - builds temporal-server-v1.32.1 and temporal-sql-tool-v1.32.1 into $(go env GOPATH)/bin
#     with go install (several minutes, once; later runs and fresh clones reuse them);
#   - creates a second PostgreSQL cluster for Temporal (pg_createcluster <version> temporal,
#     port 5442, from the same Debian packages as the app's cluster) and starts it: Temporal
#     writes on every workflow step, and on one server the two would share buffers,
#     connections (max_connections) and checkpoints; apart, each is sized and tuned for itself,
#     as on separate hosts in production (docs/production.md);
#   - creates the role temporal (password temporal) and the databases temporal and
#     temporal_visibility there, and brings their schemas to the versions shipped with the
#     server (postgresql/v12 in the module cache) with temporal-sql-tool;
#   - writes the server config under ~/.local/state/contest/temporal-server/, starts the
#     server there (log server.log, pid server.pid) and creates the namespace "default".
#
# Ports (loopback only), chosen not to collide with the dev server (7233, UI 8233, its
# internal services on ephemeral ports) nor with Temporal's stock 6933-6939/7234-7239:
#   frontend gRPC 7243, frontend HTTP 7244, history 7245, matching 7246, worker 7247,
#   membership 6943/6945/6946/6947, Prometheus metrics 7248; PostgreSQL 5442.
#
# The tuning (docs/performance.md, "Temporal server on PostgreSQL", measures each knob) can be
# overridden for an experiment: TEMPORAL_SERVER_SHARDS (fixed once the databases exist:
# `reset` first), TEMPORAL_SERVER_MAX_CONNS, TEMPORAL_SERVER_PARTITIONS,
# TEMPORAL_SERVER_SQL_PLUGIN (postgres12_pgx or postgres12), TEMPORAL_SERVER_GOMAXPROCS,
# TEMPORAL_SERVER_GOGC, TEMPORAL_SERVER_VISIBILITY_WRITE_QPS, TEMPORAL_PG_SYNC_COMMIT,
# TEMPORAL_PG_MAX_WAL_SIZE, TEMPORAL_PG_CHECKPOINT_TIMEOUT; TEMPORAL_SERVER_PPROF_PORT serves the
# server's /debug/pprof on that loopback port (0, the default: off); TEMPORAL_SERVER_PORT, TEMPORAL_PGPORT
# and CONTEST_STATE_DIR move a second instance out of the first one's way.
set -euo pipefail

readonly HOST=127.0.0.1
FRONTEND_PORT="${TEMPORAL_SERVER_PORT:-7243}"
readonly FRONTEND_HTTP_PORT=$((FRONTEND_PORT + 1))
readonly HISTORY_PORT=$((FRONTEND_PORT + 2))
readonly MATCHING_PORT=$((FRONTEND_PORT + 3))
readonly WORKER_PORT=$((FRONTEND_PORT + 4))
readonly METRICS_PORT=$((FRONTEND_PORT + 5))
readonly FRONTEND_MEMBERSHIP_PORT=$((FRONTEND_PORT - 300))
readonly HISTORY_MEMBERSHIP_PORT=$((HISTORY_PORT - 300))
readonly MATCHING_MEMBERSHIP_PORT=$((MATCHING_PORT - 300))
readonly WORKER_MEMBERSHIP_PORT=$((WORKER_PORT - 300))
readonly TEMPORAL_ADDR="${HOST}:${FRONTEND_PORT}"
readonly NAMESPACE=default
LOG_LEVEL="${TEMPORAL_SERVER_LOG_LEVEL:-warn}"

# Temporal's own PostgreSQL cluster (created by `up` when no cluster has this port).
PGPORT="${TEMPORAL_PGPORT:-5442}"
readonly PG_CLUSTER=temporal

# The tuning; each value is measured in docs/performance.md (server-mode section).
NUM_HISTORY_SHARDS="${TEMPORAL_SERVER_SHARDS:-16}"
MAX_CONNS="${TEMPORAL_SERVER_MAX_CONNS:-50}"
readonly VISIBILITY_MAX_CONNS=10
PARTITIONS="${TEMPORAL_SERVER_PARTITIONS:-1}"
SERVER_GOMAXPROCS="${TEMPORAL_SERVER_GOMAXPROCS:-}"
SERVER_GOGC="${TEMPORAL_SERVER_GOGC:-}"
PPROF_PORT="${TEMPORAL_SERVER_PPROF_PORT:-0}"
# postgres12_pgx, not postgres12 (lib/pq): pgx keeps each connection's statements prepared,
# so PostgreSQL does not parse and plan every one of Temporal's queries again; on this
# machine that took Temporal's cluster from ~44 to 26–31 CPU seconds in the expiry profile
# (docs/performance.md, "Temporal server on PostgreSQL", measures each setting here).
SQL_PLUGIN="${TEMPORAL_SERVER_SQL_PLUGIN:-postgres12_pgx}"
# Visibility writes (the list of workflows the CLI and UI show; the application never reads
# it) capped at 40/s, from Temporal's default of 9,000: each is an upsert into a table with
# ~70 indexes, the costliest statement Temporal runs here. Over the cap a visibility task
# is retried with backoff: in a rush the list lags (for minutes after a large one) while
# the deadlines' own writes get the CPU, and it catches up afterwards.
VISIBILITY_WRITE_QPS="${TEMPORAL_SERVER_VISIBILITY_WRITE_QPS:-40}"
PG_SYNC_COMMIT="${TEMPORAL_PG_SYNC_COMMIT:-on}"
# A benchmark run writes ~400 MB of WAL (those indexes again): with PostgreSQL's 1GB
# max_wal_size a checkpoint started every 3–4 minutes, each followed by full-page images.
PG_MAX_WAL_SIZE="${TEMPORAL_PG_MAX_WAL_SIZE:-4GB}"
PG_CHECKPOINT_TIMEOUT="${TEMPORAL_PG_CHECKPOINT_TIMEOUT:-15min}"

readonly SERVER_VERSION=v1.32.1
readonly SERVER_MODULE=go.temporal.io/server
readonly DB_USER=temporal DB_PASSWORD=temporal
readonly DB_MAIN=temporal DB_VISIBILITY=temporal_visibility

# Outside the repo, next to the dev server's state, so data survives fresh clones.
STATE_DIR="${CONTEST_STATE_DIR:-${HOME:-/root}/.local/state/contest}"
readonly SERVER_DIR="$STATE_DIR/temporal-server"
readonly SERVER_CONFIG="$SERVER_DIR/config.yaml"
readonly SERVER_DYNCONFIG="$SERVER_DIR/dynamicconfig.yaml"
readonly SERVER_LOG="$SERVER_DIR/server.log"
readonly SERVER_PID="$SERVER_DIR/server.pid"
readonly SCHEMA_LOG="$SERVER_DIR/schema.log"

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SCRIPT_DIR

LOG_TAG=temporal-server
# shellcheck source=lib/log.sh
source "$SCRIPT_DIR/lib/log.sh"
# shellcheck source=lib/wait.sh
source "$SCRIPT_DIR/lib/wait.sh"
# shellcheck source=lib/go.sh
source "$SCRIPT_DIR/lib/go.sh"
# shellcheck source=lib/process.sh
source "$SCRIPT_DIR/lib/process.sh"

# Where the binaries are; needs go on the PATH (setup_go).
locate_binaries() {
  require_go
  BIN_DIR=$(go env GOPATH)/bin
  SERVER_BIN="$BIN_DIR/temporal-server-$SERVER_VERSION"
  SQL_TOOL="$BIN_DIR/temporal-sql-tool-$SERVER_VERSION"
  TEMPORAL_CLI="${TEMPORAL_BIN:-$BIN_DIR/temporal}"
  # Beside the binaries, not in the state dir: every instance shares them.
  BUILD_LOCK="$BIN_DIR/.temporal-server-$SERVER_VERSION.lock"
}

# ---------------------------------------------------------------- binaries

# A binary is ours when Go's build info names the server module at the pinned version.
built_from_pinned_module() {
  local info
  [[ -x $1 ]] || return 1
  info=$(go version -m "$1" 2>/dev/null) || return 1
  [[ $info =~ [[:space:]]mod[[:space:]]+go\.temporal\.io/server[[:space:]]+${SERVER_VERSION//./\\.}[[:space:]] ]]
}

binaries_ok() {
  built_from_pinned_module "$SERVER_BIN" && built_from_pinned_module "$SQL_TOOL"
}

ensure_binaries() {
  binaries_ok && return 0
  mkdir -p "$BIN_DIR" "$SERVER_DIR"
  # One build at a time: a second `up` (another shell, CI step) waits for the first.
  exec 8>"$BUILD_LOCK"
  if ! flock -n 8; then
    log "another build of the Temporal server is running; waiting for it (up to 20 min)"
    flock -w 1200 8 || die "other Temporal server build still running after 20 min"
  fi
  if binaries_ok; then
    exec 8>&-
    return 0
  fi

  log "building temporal server and sql tool $SERVER_VERSION with go install (several minutes, once)"
  local start=$SECONDS tmp
  tmp=$(mktemp -d "$BIN_DIR/.temporal-server-build.XXXXXX")
  # cd / so no go.mod around us is consulted or touched; GOBIN pins the output directory.
  if ! (cd / && GOBIN="$tmp" GOFLAGS=-mod=mod go install \
    "$SERVER_MODULE/cmd/server@$SERVER_VERSION" \
    "$SERVER_MODULE/cmd/tools/sql@$SERVER_VERSION") >&2; then
    rm -rf "$tmp"
    die "go install $SERVER_MODULE/cmd/server@$SERVER_VERSION failed"
  fi
  mv -f "$tmp/server" "$SERVER_BIN"
  mv -f "$tmp/sql" "$SQL_TOOL"
  rm -rf "$tmp"
  exec 8>&-
  binaries_ok || die "built $SERVER_BIN but its build info does not name $SERVER_MODULE $SERVER_VERSION"
  log "built $SERVER_BIN and $SQL_TOOL in $((SECONDS - start))s"
}

# The versioned schema files that ship with the server module.
schema_root() {
  local dir
  dir="$(go env GOMODCACHE)/$SERVER_MODULE@$SERVER_VERSION/schema/postgresql/v12"
  if [[ ! -d $dir/temporal/versioned ]]; then
    log "go mod download $SERVER_MODULE@$SERVER_VERSION (for its schema files)"
    (cd / && GOFLAGS=-mod=mod go mod download "$SERVER_MODULE@$SERVER_VERSION") >&2
  fi
  [[ -d $dir/temporal/versioned && -d $dir/visibility/versioned ]] ||
    die "no schema files under $dir"
  printf '%s\n' "$dir"
}

# ---------------------------------------------------------------- postgres

# Superuser psql over the local socket of Temporal's cluster (peer auth as postgres).
# cd / because postgres may not be able to read the caller's cwd.
psql_admin() {
  (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 \
    -h /var/run/postgresql -p "$PGPORT" "$@")
}

pg_ready() {
  pg_isready -q -h "$HOST" -p "$PGPORT"
}

# "VERSION NAME" of the cluster configured for $PGPORT, if any (pg_lsclusters: ver cluster port …).
cluster_on_port() {
  pg_lsclusters -h 2>/dev/null | awk -v port="$PGPORT" '$3 == port { print $1, $2; exit }'
}

# The server settings of Temporal's cluster, in a conf.d file of its own (Debian's
# postgresql.conf includes conf.d). max_connections: (4 services × maxConns) default store
# + 4 × 10 visibility + the schema tool and psql, with room for a second server during a
# restart. synchronous_commit: see docs/performance.md before turning it off.
cluster_settings() {
  cat <<CONF
# Written by deploy/temporal-server.sh; edits are overwritten by the next \`up\`.
listen_addresses = '$HOST'
max_connections = $((2 * (4 * MAX_CONNS + 4 * VISIBILITY_MAX_CONNS) + 20))
shared_buffers = 256MB
synchronous_commit = $PG_SYNC_COMMIT
max_wal_size = $PG_MAX_WAL_SIZE
checkpoint_timeout = $PG_CHECKPOINT_TIMEOUT
CONF
}

ensure_temporal_cluster() {
  local found ver name conf
  command -v pg_createcluster >/dev/null 2>&1 ||
    die "pg_createcluster not found (postgresql-common; deploy/dev-services.sh up installs it)"
  found=$(cluster_on_port)
  if [[ -z $found ]]; then
    ver=$(pg_lsclusters -h | awk '{ print $1 }' | sort -V | tail -n 1)
    [[ -n $ver ]] || ver=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
    [[ -n $ver ]] || die "no PostgreSQL installed under /usr/lib/postgresql"
    log "creating PostgreSQL cluster $ver/$PG_CLUSTER on port $PGPORT for Temporal"
    pg_createcluster "$ver" "$PG_CLUSTER" --port "$PGPORT" --start-conf manual >&2 ||
      die "pg_createcluster $ver $PG_CLUSTER failed"
    found="$ver $PG_CLUSTER"
  fi
  read -r ver name <<<"$found"
  conf="/etc/postgresql/$ver/$name/conf.d/contest-temporal.conf"
  if ! cluster_settings | cmp -s - "$conf"; then
    mkdir -p "$(dirname "$conf")"
    cluster_settings >"$conf.tmp" && mv -f "$conf.tmp" "$conf"
    if pg_ready; then
      # shared_buffers and max_connections take effect only on a restart.
      log "settings of cluster $ver/$name changed; restarting it"
      pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" restart >&2
    fi
  fi
  if ! pg_ready; then
    log "starting PostgreSQL cluster $ver/$name (port $PGPORT)"
    pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >&2
  fi
  wait_for 30 "PostgreSQL for Temporal on $HOST:$PGPORT" pg_ready
  log "PostgreSQL for Temporal ok: cluster $ver/$name on $HOST:$PGPORT"
}

ensure_temporal_databases() {
  psql_admin -d postgres -v role="$DB_USER" -v pw="$DB_PASSWORD" \
    -v db1="$DB_MAIN" -v db2="$DB_VISIBILITY" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'role', :'pw')
  FROM pg_roles WHERE rolname = :'role' AND NOT rolcanlogin \gexec
SELECT format('CREATE DATABASE %I OWNER %I', d, :'role')
  FROM unnest(ARRAY[:'db1', :'db2']) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d) \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', datname, :'role')
  FROM pg_database WHERE datname IN (:'db1', :'db2') AND pg_get_userbyid(datdba) <> :'role' \gexec
SQL
  # The visibility schema creates btree_gin itself (a trusted extension for the owner on
  # PostgreSQL 13+); creating it as superuser first also covers older servers.
  psql_admin -d "$DB_VISIBILITY" <<'SQL'
SELECT 'CREATE EXTENSION btree_gin' WHERE NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gin') \gexec
SQL
}

sql_tool() {
  SQL_PASSWORD="$DB_PASSWORD" "$SQL_TOOL" --endpoint "$HOST" --port "$PGPORT" \
    --user "$DB_USER" --plugin postgres12 "$@"
}

schema_version() {
  psql_admin -d "$1" -tA -c \
    "SELECT curr_version FROM schema_version WHERE version_partition = 0 AND db_name = '$1'" 2>/dev/null
}

# setup-schema -v 0.0 only creates the version tables (a no-op once they exist);
# update-schema then applies the versioned directories above the recorded version.
# The tool logs every statement at debug level: that goes to schema.log, not the terminal.
ensure_schema() {
  local db=$1 dir=$2 before after
  before=$(schema_version "$db" || true)
  printf '=== %s %s (at %s) from %s\n' "$(date -Is)" "$db" "${before:-none}" "$dir" >>"$SCHEMA_LOG"
  if [[ -z $before ]]; then
    sql_tool --database "$db" setup-schema -v 0.0 >>"$SCHEMA_LOG" 2>&1 ||
      { tail -n 20 "$SCHEMA_LOG" >&2; die "temporal-sql-tool setup-schema failed for $db (see $SCHEMA_LOG)"; }
  fi
  sql_tool --database "$db" update-schema -d "$dir" >>"$SCHEMA_LOG" 2>&1 ||
    { tail -n 20 "$SCHEMA_LOG" >&2; die "temporal-sql-tool update-schema failed for $db (see $SCHEMA_LOG)"; }
  after=$(schema_version "$db")
  if [[ $before == "$after" ]]; then
    log "schema of $db is at $after"
  else
    log "schema of $db: ${before:-none} -> $after"
  fi
}

# The shard count is written into Temporal's database at the server's first start and can
# never change (docs/production.md). The comment on the database records the count this
# script set it up with, so that `up` with another count stops with the way out instead of
# a server that exits at start-up.
check_shard_count() {
  local recorded want="numHistoryShards=$NUM_HISTORY_SHARDS"
  recorded=$(psql_admin -d postgres -tA -c \
    "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = '$DB_MAIN'")
  if [[ -z $recorded ]]; then
    psql_admin -d postgres -c "COMMENT ON DATABASE $DB_MAIN IS '$want'"
  elif [[ $recorded != "$want" ]]; then
    die "database $DB_MAIN on port $PGPORT was set up with ${recorded#*=} history shards, not $NUM_HISTORY_SHARDS; the count cannot change: \`$0 reset\` drops Temporal's databases (every workflow in them is lost)"
  fi
}

drop_temporal_databases() {
  pg_ready || { log "no PostgreSQL on $HOST:$PGPORT: nothing to drop"; return 0; }
  log "dropping databases $DB_MAIN and $DB_VISIBILITY on $HOST:$PGPORT"
  psql_admin -d postgres -c "DROP DATABASE IF EXISTS $DB_MAIN WITH (FORCE)"
  psql_admin -d postgres -c "DROP DATABASE IF EXISTS $DB_VISIBILITY WITH (FORCE)"
}

# ---------------------------------------------------------------- server

write_config() {
  mkdir -p "$SERVER_DIR"
  local tmp="$SERVER_CONFIG.tmp"
  # Keys as in the module's config/development-postgres12.yaml and
  # common/config/config_template_embedded.yaml (server v1.32.1).
  cat >"$tmp" <<YAML
# Written by deploy/temporal-server.sh; edits are overwritten by the next \`up\`.
# Started with GOMAXPROCS=${SERVER_GOMAXPROCS:-default} GOGC=${SERVER_GOGC:-default} (a change here restarts the server).
log:
  stdout: true
  level: $LOG_LEVEL

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: $NUM_HISTORY_SHARDS
  datastores:
    postgres-default:
      sql:
        pluginName: $SQL_PLUGIN
        databaseName: $DB_MAIN
        connectAddr: "$HOST:$PGPORT"
        connectProtocol: tcp
        user: $DB_USER
        password: $DB_PASSWORD
        maxConns: $MAX_CONNS
        maxIdleConns: $MAX_CONNS
        maxConnLifetime: 1h
    postgres-visibility:
      sql:
        pluginName: $SQL_PLUGIN
        databaseName: $DB_VISIBILITY
        connectAddr: "$HOST:$PGPORT"
        connectProtocol: tcp
        user: $DB_USER
        password: $DB_PASSWORD
        maxConns: $VISIBILITY_MAX_CONNS
        maxIdleConns: $VISIBILITY_MAX_CONNS
        maxConnLifetime: 1h

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "$HOST"
  pprof:
    port: $PPROF_PORT
  metrics:
    prometheus:
      timerType: histogram
      listenAddress: "$HOST:$METRICS_PORT"

services:
  frontend:
    rpc:
      grpcPort: $FRONTEND_PORT
      httpPort: $FRONTEND_HTTP_PORT
      membershipPort: $FRONTEND_MEMBERSHIP_PORT
      bindOnIP: "$HOST"
  history:
    rpc:
      grpcPort: $HISTORY_PORT
      membershipPort: $HISTORY_MEMBERSHIP_PORT
      bindOnIP: "$HOST"
  matching:
    rpc:
      grpcPort: $MATCHING_PORT
      membershipPort: $MATCHING_MEMBERSHIP_PORT
      bindOnIP: "$HOST"
  worker:
    rpc:
      grpcPort: $WORKER_PORT
      membershipPort: $WORKER_MEMBERSHIP_PORT
      bindOnIP: "$HOST"

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "$HOST:$FRONTEND_PORT"
      httpAddress: "$HOST:$FRONTEND_HTTP_PORT"

dcRedirectionPolicy:
  policy: noop

dynamicConfigClient:
  filepath: "$SERVER_DYNCONFIG"
  pollInterval: 10s
YAML
  mv -f "$tmp" "$SERVER_CONFIG"
  cat >"$SERVER_DYNCONFIG.tmp" <<YAML
# Dynamic config of the local Temporal server (written by deploy/temporal-server.sh).
# Production defaults otherwise; the server re-reads this file every 10 s.
# Nexus callbacks go to this server's own HTTP port (as in config/dynamicconfig/development-sql.yaml).
component.nexusoperations.callback.endpoint.template:
  - value: http://$HOST:$FRONTEND_HTTP_PORT/namespaces/{{.NamespaceName}}/nexus/callback
# One partition per task queue: with a handful of pollers, four partitions (the default)
# left workflow tasks waiting ~20 s in partitions no poller was on when deadlines bunched
# up (load benchmark, expiry profile). Partitions pay off with hundreds of pollers.
matching.numTaskqueueReadPartitions:
  - value: $PARTITIONS
matching.numTaskqueueWritePartitions:
  - value: $PARTITIONS
system.visibilityPersistenceMaxWriteQPS:
  - value: $VISIBILITY_WRITE_QPS
YAML
  mv -f "$SERVER_DYNCONFIG.tmp" "$SERVER_DYNCONFIG"
}

server_healthy() {
  local out
  out=$("$TEMPORAL_CLI" operator cluster health --address "$TEMPORAL_ADDR" \
    --command-timeout 5s 2>/dev/null) || return 1
  [[ $out == *SERVING* ]]
}

# Pid from our pidfile, only if that process is still our server.
server_our_pid() {
  pidfile_pid "$SERVER_PID" "*temporal-server-*--config-file $SERVER_CONFIG*"
}

start_server() {
  log "starting Temporal server $SERVER_VERSION on $TEMPORAL_ADDR (log $SERVER_LOG)"
  printf '=== %s start %s\n' "$(date -Is)" "$SERVER_VERSION" >>"$SERVER_LOG"
  local envs=()
  [[ -n $SERVER_GOMAXPROCS ]] && envs+=("GOMAXPROCS=$SERVER_GOMAXPROCS")
  [[ -n $SERVER_GOGC ]] && envs+=("GOGC=$SERVER_GOGC")
  start_detached "$SERVER_PID" "$SERVER_LOG" env "${envs[@]}" \
    "$SERVER_BIN" --config-file "$SERVER_CONFIG" --allow-no-auth start
}

# `namespace describe` reads the namespace table; counting workflows also goes through the
# frontend's namespace registry and the visibility store. Wait for both.
namespace_ready() {
  "$TEMPORAL_CLI" operator namespace describe --address "$TEMPORAL_ADDR" \
    --command-timeout 5s --namespace "$NAMESPACE" >/dev/null 2>&1 &&
    "$TEMPORAL_CLI" workflow count --address "$TEMPORAL_ADDR" \
      --command-timeout 5s --namespace "$NAMESPACE" >/dev/null 2>&1
}

ensure_namespace() {
  if ! "$TEMPORAL_CLI" operator namespace describe --address "$TEMPORAL_ADDR" \
    --command-timeout 5s --namespace "$NAMESPACE" >/dev/null 2>&1; then
    log "creating namespace $NAMESPACE"
    "$TEMPORAL_CLI" operator namespace create --address "$TEMPORAL_ADDR" \
      --command-timeout 10s --retention 72h --namespace "$NAMESPACE" >&2 ||
      die "cannot create namespace $NAMESPACE"
  fi
  wait_for 60 "namespace $NAMESPACE on $TEMPORAL_ADDR" namespace_ready
}

ensure_server() {
  local pid
  write_config
  if pid=$(server_our_pid) && ! cmp -s "$SERVER_CONFIG" "$SERVER_DIR/config.running.yaml"; then
    log "config changed since pid $pid started; restarting it"
    stop_server
  fi
  if ! server_healthy; then
    if ! port_open "$HOST" "$FRONTEND_PORT" && ! server_our_pid >/dev/null; then
      cp -f "$SERVER_CONFIG" "$SERVER_DIR/config.running.yaml"
      start_server
    else
      log "something is on $TEMPORAL_ADDR but not SERVING yet; waiting"
    fi
    local start=$SECONDS
    until server_healthy; do
      # Only "gone" counts: right after the fork /proc/PID/cmdline is still this script's.
      if [[ -f $SERVER_PID ]] && ! kill -0 "$(<"$SERVER_PID")" 2>/dev/null; then
        tail -n 20 "$SERVER_LOG" >&2
        die "Temporal server exited during start-up (see $SERVER_LOG)"
      fi
      ((SECONDS - start < 90)) || die "Temporal server on $TEMPORAL_ADDR not ready after 90s (see $SERVER_LOG)"
      sleep 1
    done
    log "Temporal server became healthy in $((SECONDS - start))s"
  fi
  ensure_namespace
  log "Temporal server ok: $TEMPORAL_ADDR (pid $(server_our_pid || echo 'not ours'))"
}

stop_server() {
  local pid
  if ! pid=$(server_our_pid); then
    log "no Temporal server started by this script is running"
    rm -f "$SERVER_PID"
    return 0
  fi
  log "stopping Temporal server (pid $pid)"
  terminate_pid "$pid" 30
  rm -f "$SERVER_PID"
  log "Temporal server stopped (data kept in databases $DB_MAIN and $DB_VISIBILITY)"
}

# ---------------------------------------------------------------- commands

print_env() {
  cat <<OUT
TEMPORAL_ADDRESS=$TEMPORAL_ADDR
TEMPORAL_NAMESPACE=$NAMESPACE
TEMPORAL_SERVER_METRICS=http://$HOST:$METRICS_PORT/metrics
OUT
}

cmd_up() {
  # PostgreSQL, Redis and the Temporal CLI; its address lines would only confuse ours.
  "$SCRIPT_DIR/dev-services.sh" up >/dev/null
  ensure_binaries
  ensure_temporal_cluster
  ensure_temporal_databases
  local schemas
  schemas=$(schema_root)
  ensure_schema "$DB_MAIN" "$schemas/temporal/versioned"
  ensure_schema "$DB_VISIBILITY" "$schemas/visibility/versioned"
  check_shard_count
  ensure_server
  print_env
}

cmd_status() {
  local pid rss=""
  pid=$(server_our_pid || echo "not started by this script")
  if [[ $pid =~ ^[0-9]+$ ]]; then
    rss=$(awk '/^VmRSS:/ {printf ", RSS %d MiB", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || true)
  fi
  if [[ -x $TEMPORAL_CLI ]] && server_healthy; then
    echo "temporal-server: up    $TEMPORAL_ADDR ($SERVER_VERSION, pid $pid$rss, $NUM_HISTORY_SHARDS shards, postgres $HOST:$PGPORT $DB_MAIN/$DB_VISIBILITY, log $SERVER_LOG)"
  else
    echo "temporal-server: DOWN  $TEMPORAL_ADDR (pid $pid, log $SERVER_LOG)"
    return 1
  fi
}

main() {
  local cmd=${1:-}
  case $cmd in
    up | down | env | status | reset) ;;
    *) echo "usage: $0 up|down|env|status|reset" >&2; exit 2 ;;
  esac
  if [[ $cmd == env ]]; then print_env; return 0; fi
  setup_go
  locate_binaries
  if [[ $cmd == status ]]; then cmd_status; return; fi
  [[ $(id -u) -eq 0 ]] || die "run as root (installs packages and starts services)"
  mkdir -p "$SERVER_DIR"
  case $cmd in
    up) cmd_up ;;
    down) stop_server ;;
    reset) stop_server && drop_temporal_databases ;;
  esac
}

main "$@"
