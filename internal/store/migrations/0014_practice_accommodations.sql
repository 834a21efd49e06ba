-- Practice (thi thử): a campaign of its own, one round, attached to the real campaign it
-- lets people practise for. Everything public, ranked or counted is read per campaign, so
-- a separate campaign keeps practice out of results, feed, standings, participation and
-- the collective rules without a filter in each of those queries.
ALTER TABLE campaigns ADD COLUMN practice_of BIGINT UNIQUE REFERENCES campaigns(id);
ALTER TABLE campaigns ADD CONSTRAINT campaigns_practice_not_rehearsal
    CHECK (practice_of IS NULL OR rehearsal_of IS NULL);

-- Accommodations the committee grants one participant in one round: extra minutes on the
-- exam timer, or one extra attempt. Append-only: every grant keeps who, when and why.
CREATE TABLE accommodations (
    id             BIGSERIAL PRIMARY KEY,
    round_id       BIGINT NOT NULL REFERENCES rounds(id),
    participant_id BIGINT NOT NULL REFERENCES users(id),
    extra_minutes  INT NOT NULL DEFAULT 0 CHECK (extra_minutes BETWEEN 0 AND 120),
    extra_attempt  BOOLEAN NOT NULL DEFAULT false,
    reason         TEXT NOT NULL CHECK (length(btrim(reason)) > 0),
    granted_by     BIGINT NOT NULL REFERENCES users(id),
    granted_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (extra_minutes > 0 OR extra_attempt)
);
CREATE INDEX accommodations_round_participant_idx ON accommodations(round_id, participant_id);
-- One extra attempt per participant and round, whoever asks twice.
CREATE UNIQUE INDEX accommodations_one_extra_attempt ON accommodations(round_id, participant_id) WHERE extra_attempt;

CREATE FUNCTION accommodations_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'accommodations is append-only';
END $$;
CREATE TRIGGER accommodations_no_change BEFORE UPDATE OR DELETE ON accommodations
    FOR EACH ROW EXECUTE FUNCTION accommodations_append_only();
