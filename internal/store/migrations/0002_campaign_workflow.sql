-- Campaign workflow: committee decisions, stage history, round states, weekly rankings,
-- publications and the notification outbox.

ALTER TABLE campaigns ADD COLUMN live_at TIMESTAMPTZ;
ALTER TABLE campaigns ADD COLUMN stage TEXT NOT NULL DEFAULT 'not_started';
ALTER TABLE campaigns ADD COLUMN waiting_for TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN rehearsal_of BIGINT REFERENCES campaigns(id);

ALTER TABLE rounds ADD COLUMN state TEXT NOT NULL DEFAULT 'scheduled'
    CHECK (state IN ('scheduled', 'open', 'closed', 'ranked', 'approved', 'published'));
ALTER TABLE rounds ADD COLUMN question_set_status TEXT NOT NULL DEFAULT 'draft'
    CHECK (question_set_status IN ('draft', 'ready', 'sent_back', 'approved'));
ALTER TABLE rounds ADD COLUMN perfect_count INT;
ALTER TABLE rounds ADD COLUMN ranked_at TIMESTAMPTZ;

-- Every decision the plan gives to people: who, when, what, why. Append-only.
CREATE TABLE decisions (
    id           BIGSERIAL PRIMARY KEY,
    campaign_id  BIGINT NOT NULL REFERENCES campaigns(id),
    kind         TEXT NOT NULL,
    round_number INT,
    outcome      TEXT NOT NULL CHECK (outcome IN ('approved', 'sent_back', 'done')),
    decided_by   BIGINT REFERENCES users(id),
    decided_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    comment      TEXT NOT NULL DEFAULT '',
    -- The workflow's update id: a retried activity records the decision once.
    request_id   TEXT NOT NULL UNIQUE
);
CREATE INDEX decisions_campaign_idx ON decisions(campaign_id, decided_at);

CREATE TABLE campaign_stages (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    seq         INT NOT NULL,
    stage       TEXT NOT NULL,
    waiting_for TEXT NOT NULL DEFAULT '',
    entered_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (campaign_id, seq)
);

-- Derived from results and rewritten whole on every ranking, so it carries no foreign
-- keys to users and attempts: checking 200,000 of them doubled the time to rank a
-- round of 100,000 attempts.
CREATE TABLE round_rankings (
    round_id            BIGINT NOT NULL REFERENCES rounds(id),
    participant_id      BIGINT NOT NULL,
    attempt_id          BIGINT NOT NULL,
    rank                INT NOT NULL,
    correct_count       INT NOT NULL,
    prediction          INT,
    prediction_distance BIGINT,
    time_used_ms        BIGINT NOT NULL,
    finished_at         TIMESTAMPTZ NOT NULL,
    prize               TEXT CHECK (prize IN ('first', 'second', 'third')),
    unresolved_tie      BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (round_id, participant_id)
);
CREATE INDEX round_rankings_rank_idx ON round_rankings(round_id, rank);

-- The published results of a round, frozen at publication.
CREATE TABLE publications (
    round_id     BIGINT PRIMARY KEY REFERENCES rounds(id),
    published_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    payload      JSONB NOT NULL
);

-- Outbox: a row per message to send; sent_at is set once it has gone out.
CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    kind       TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    user_id    BIGINT REFERENCES users(id),
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at    TIMESTAMPTZ,
    tries      INT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_unsent_idx ON notifications(created_at) WHERE sent_at IS NULL;
