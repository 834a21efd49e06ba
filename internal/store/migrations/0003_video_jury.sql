-- Video contest (plan II.3.b, II.4): entries delivered on USB and recorded by the
-- secretariat, and the jury's scores.

CREATE TABLE video_entries (
    id               BIGSERIAL PRIMARY KEY,
    campaign_id      BIGINT NOT NULL REFERENCES campaigns(id),
    agency_id        BIGINT NOT NULL REFERENCES agencies(id),
    title            TEXT NOT NULL,
    format           TEXT NOT NULL CHECK (format IN ('commentary_graphics', 'report', 'sketch', 'other')),
    duration_seconds INT NOT NULL CHECK (duration_seconds > 0),
    received_at      TIMESTAMPTZ NOT NULL,
    file_name        TEXT,
    file_path        TEXT,
    file_size        BIGINT,
    file_sha256      TEXT,
    recorded_by      BIGINT REFERENCES users(id),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX video_entries_campaign_idx ON video_entries(campaign_id, agency_id);

-- One score sheet per juror per clip: a second one is refused, not merged.
CREATE TABLE jury_scores (
    entry_id  BIGINT NOT NULL REFERENCES video_entries(id),
    juror_id  BIGINT NOT NULL REFERENCES users(id),
    points    JSONB NOT NULL,
    total     NUMERIC(10, 3) NOT NULL,
    comment   TEXT NOT NULL DEFAULT '',
    scored_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (entry_id, juror_id)
);
