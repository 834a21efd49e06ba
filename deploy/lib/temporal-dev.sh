# shellcheck shell=bash
# Shared by the deploy scripts (sourced, not run): how the Temporal dev server is tuned,
# so that deploy/dev-services.sh (make run, make test) and deploy/bench.sh run the same one.

# Flags for `temporal server start-dev` with a --db-filename.
#  - SQLite in WAL mode with synchronous=NORMAL. In the default rollback-journal mode a
#    write locks readers out and every commit is synced, and one exam is a dozen store
#    calls on the dev server's single history shard: under load the store was the limit
#    (load benchmark, 3,000 deadlines in 50 s: StartWorkflowExecution mean 30 ms → 2.9 ms,
#    auto-close p99 6.4 s → 0.43 s). In WAL mode readers and the writer proceed together
#    and a commit is not synced. WAL keeps every commit across a crash or kill of the server process;
#    an OS crash or power loss can drop the last commits, which the worker's sweeper covers
#    (it closes any attempt still open SWEEP_GRACE after its deadline). Production runs
#    the Temporal server on PostgreSQL instead (deploy/temporal-server.sh).
#  - One task-queue partition, as deploy/temporal-server.sh configures: with a few dozen
#    pollers, four partitions leave workflow tasks waiting in partitions no poller is on.
#  - The search-attribute cache back on (the server's default). The CLI turns it off for
#    the dev server so that a new custom search attribute is usable at once; then every
#    workflow start and update reads the cluster metadata from the store, three reads per
#    exam on its single SQLite connection. We register no custom search attribute.
# shellcheck disable=SC2034 # used by the scripts that source this file
TEMPORAL_DEV_DYNAMIC_FLAGS=(
  --dynamic-config-value matching.numTaskqueueReadPartitions=1
  --dynamic-config-value matching.numTaskqueueWritePartitions=1
  --dynamic-config-value system.forceSearchAttributesCacheRefreshOnRead=false
)
# shellcheck disable=SC2034
TEMPORAL_DEV_FLAGS=(--sqlite-pragma journal_mode=WAL --sqlite-pragma synchronous=NORMAL "${TEMPORAL_DEV_DYNAMIC_FLAGS[@]}")
