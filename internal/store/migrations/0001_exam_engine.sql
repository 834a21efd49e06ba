-- Exam engine: agencies, accounts, campaigns, rounds, question bank, attempts and results.

CREATE TABLE agencies (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    parent_id   BIGINT REFERENCES agencies(id),
    name        TEXT NOT NULL,
    category    TEXT NOT NULL CHECK (category IN ('city_department', 'central', 'district', 'commune')),
    headcount   INT  NOT NULL CHECK (headcount >= 0),
    -- Seeded figures are placeholders until each agency reports its real headcount.
    headcount_is_sample BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX agencies_parent_idx ON agencies(parent_id);

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    full_name     TEXT NOT NULL,
    date_of_birth DATE,
    phone         TEXT NOT NULL UNIQUE,
    email         TEXT,
    agency_id     BIGINT REFERENCES agencies(id),
    position      TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('participant', 'agency', 'secretariat', 'jury', 'committee', 'admin')),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX users_agency_idx ON users(agency_id);

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX sessions_user_idx ON sessions(user_id);

CREATE TABLE campaigns (
    id                    BIGSERIAL PRIMARY KEY,
    code                  TEXT NOT NULL UNIQUE,
    name                  TEXT NOT NULL,
    timezone              TEXT NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
    questions_per_attempt INT  NOT NULL DEFAULT 10 CHECK (questions_per_attempt BETWEEN 1 AND 100),
    time_limit_seconds    INT  NOT NULL DEFAULT 630 CHECK (time_limit_seconds > 0),
    attempts_per_round    INT  NOT NULL DEFAULT 1 CHECK (attempts_per_round >= 1),
    prediction_question   TEXT NOT NULL,
    -- Thresholds, prize counts, tie-break order and later-stage dates live here so that
    -- nothing about one city's plan is compiled into the code.
    settings              JSONB NOT NULL DEFAULT '{}',
    is_default            BOOLEAN NOT NULL DEFAULT false,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX campaigns_one_default ON campaigns(is_default) WHERE is_default;

CREATE TABLE rounds (
    id          BIGSERIAL PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    number      INT NOT NULL CHECK (number >= 1),
    opens_at    TIMESTAMPTZ NOT NULL,
    closes_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (campaign_id, number),
    CHECK (closes_at > opens_at)
);

CREATE TABLE questions (
    id              BIGSERIAL PRIMARY KEY,
    campaign_id     BIGINT NOT NULL REFERENCES campaigns(id),
    code            TEXT NOT NULL,
    source_document TEXT NOT NULL,
    text            TEXT NOT NULL,
    options         TEXT[] NOT NULL CHECK (cardinality(options) = 4),
    correct_option  SMALLINT NOT NULL CHECK (correct_option BETWEEN 0 AND 3),
    is_sample       BOOLEAN NOT NULL DEFAULT false,
    UNIQUE (campaign_id, code)
);

CREATE TABLE round_questions (
    round_id    BIGINT NOT NULL REFERENCES rounds(id),
    question_id BIGINT NOT NULL REFERENCES questions(id),
    PRIMARY KEY (round_id, question_id)
);

CREATE TABLE attempts (
    id             BIGSERIAL PRIMARY KEY,
    round_id       BIGINT NOT NULL REFERENCES rounds(id),
    participant_id BIGINT NOT NULL REFERENCES users(id),
    seq            INT NOT NULL CHECK (seq >= 1),
    status         TEXT NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'submitted', 'auto_submitted')),
    started_at     TIMESTAMPTZ NOT NULL,
    deadline       TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ,
    prediction     INT CHECK (prediction >= 0),
    UNIQUE (round_id, participant_id, seq),
    CHECK (deadline > started_at)
);
-- The database, not the application, guarantees one open attempt per participant,
-- so two devices racing to start cannot both win.
CREATE UNIQUE INDEX attempts_one_open ON attempts(participant_id) WHERE status = 'in_progress';
CREATE INDEX attempts_round_idx ON attempts(round_id);

CREATE TABLE attempt_questions (
    attempt_id   BIGINT NOT NULL REFERENCES attempts(id),
    no           SMALLINT NOT NULL CHECK (no >= 1),
    question_id  BIGINT NOT NULL REFERENCES questions(id),
    -- option_order[k] is the index into questions.options shown under key k (A=0 … D=3).
    option_order SMALLINT[] NOT NULL CHECK (cardinality(option_order) = 4),
    choice       SMALLINT CHECK (choice BETWEEN 0 AND 3),
    answered_at  TIMESTAMPTZ,
    is_correct   BOOLEAN,
    PRIMARY KEY (attempt_id, no)
);

-- One row per finished attempt; the primary key is what makes a second finalization a no-op.
CREATE TABLE results (
    attempt_id     BIGINT PRIMARY KEY REFERENCES attempts(id),
    round_id       BIGINT NOT NULL REFERENCES rounds(id),
    participant_id BIGINT NOT NULL REFERENCES users(id),
    agency_id      BIGINT REFERENCES agencies(id),
    correct_count  INT NOT NULL CHECK (correct_count >= 0),
    question_count INT NOT NULL CHECK (question_count >= 1),
    prediction     INT,
    time_used_ms   BIGINT NOT NULL CHECK (time_used_ms >= 0),
    finished_at    TIMESTAMPTZ NOT NULL,
    auto_submitted BOOLEAN NOT NULL
);
CREATE INDEX results_round_idx ON results(round_id, correct_count DESC, time_used_ms, finished_at);
CREATE INDEX results_participant_idx ON results(participant_id);

-- Identifies this database. Workflow ids include it, so that two databases sharing one
-- Temporal namespace (a test run, a restored backup, a reset dev stack) never address
-- each other's exams.
CREATE TABLE installation (
    singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    id        UUID NOT NULL DEFAULT gen_random_uuid()
);
INSERT INTO installation DEFAULT VALUES;
