-- Participation and reports: the history of every headcount change, and report exports
-- run in the background.

-- Append-only: every change of an agency's headcount (the denominator of its
-- participation rate), written in the same transaction as the change itself.
CREATE TABLE headcount_changes (
    id            BIGSERIAL PRIMARY KEY,
    agency_id     BIGINT NOT NULL REFERENCES agencies(id),
    old_headcount INT NOT NULL,
    new_headcount INT NOT NULL CHECK (new_headcount >= 0),
    -- The old figure was a seeded placeholder (headcount_is_sample) when it was replaced.
    old_was_sample BOOLEAN NOT NULL DEFAULT false,
    changed_by    BIGINT REFERENCES users(id),
    changed_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    source        TEXT NOT NULL CHECK (source IN ('import', 'correction')),
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX headcount_changes_agency_idx ON headcount_changes(agency_id, changed_at DESC, id DESC);

-- A report built in the background (asynq). The workbook or JSON document is kept in the
-- row, so the API process that serves the download needs no disk shared with the worker.
CREATE TABLE exports (
    id           BIGSERIAL PRIMARY KEY,
    campaign_id  BIGINT NOT NULL REFERENCES campaigns(id),
    kind         TEXT NOT NULL,
    format       TEXT NOT NULL CHECK (format IN ('xlsx', 'json')),
    requested_by BIGINT REFERENCES users(id),
    status       TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress     INT NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    file_name    TEXT NOT NULL DEFAULT '',
    file         BYTEA,
    error        TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (status <> 'done' OR (file IS NOT NULL AND progress = 100))
);
CREATE INDEX exports_campaign_idx ON exports(campaign_id, created_at DESC);
