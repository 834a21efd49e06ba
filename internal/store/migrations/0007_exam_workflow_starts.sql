-- An exam's workflow is started after the attempt is committed, outside the participant's
-- request, so that a rush of starts queues at Temporal's pace instead of failing. A NULL
-- here marks an attempt whose workflow has not been confirmed started; any API replica
-- starts those it finds old enough (a replica that died with starts still queued).
ALTER TABLE attempts ADD COLUMN workflow_started_at timestamptz;
UPDATE attempts SET workflow_started_at = started_at;
CREATE INDEX attempts_awaiting_workflow_idx ON attempts(started_at)
    WHERE workflow_started_at IS NULL AND status = 'in_progress';
