-- Question revisions. A question that sits in a set sent to the committee (ready) or
-- approved by it, or that an attempt has drawn, is never edited in place: a change makes
-- a new row (revision + 1) that takes its place in the sets, while attempts keep pointing
-- at the row they drew. The superseded row keeps its id and content under the code
-- "<code>~r<revision>", so (campaign_id, code) stays unique over the current bank.
ALTER TABLE questions ADD COLUMN revision INT NOT NULL DEFAULT 1 CHECK (revision >= 1);
ALTER TABLE questions ADD COLUMN superseded_by BIGINT REFERENCES questions(id);

-- A set's revision grows each time a set the committee had been sent or had approved
-- changes; such a change puts the set back to 'ready' for the committee.
ALTER TABLE rounds ADD COLUMN question_set_revision INT NOT NULL DEFAULT 1 CHECK (question_set_revision >= 1);

-- Every change of a question: before, after, who. Append-only.
CREATE TABLE question_revisions (
    id                   BIGSERIAL PRIMARY KEY,
    campaign_id          BIGINT NOT NULL REFERENCES campaigns(id),
    code                 TEXT NOT NULL,
    action               TEXT NOT NULL CHECK (action IN ('created', 'updated_in_place', 'new_revision', 'added_to_set')),
    question_id          BIGINT NOT NULL REFERENCES questions(id), -- the row holding "after"
    previous_question_id BIGINT REFERENCES questions(id),          -- the row holding "before", when it differs
    before               JSONB,
    after                JSONB NOT NULL,
    -- Rounds whose set this change gave a new revision (sent back to the committee).
    sets_revised         INT[] NOT NULL DEFAULT '{}',
    changed_by           BIGINT REFERENCES users(id),
    changed_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    source               TEXT NOT NULL CHECK (source IN ('import', 'seed', 'command'))
);
CREATE INDEX question_revisions_code_idx ON question_revisions(campaign_id, code, id);

CREATE FUNCTION question_revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'question_revisions is append-only';
END $$;
CREATE TRIGGER question_revisions_no_change BEFORE UPDATE OR DELETE ON question_revisions
    FOR EACH ROW EXECUTE FUNCTION question_revisions_append_only();

-- The database refuses an in-place change of what a participant reads or is graded on,
-- whatever code path asks, once the question is frozen.
CREATE FUNCTION questions_frozen_content() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.source_document, NEW.text, NEW.options, NEW.correct_option)
       IS DISTINCT FROM (OLD.source_document, OLD.text, OLD.options, OLD.correct_option)
       AND (EXISTS (SELECT 1 FROM attempt_questions WHERE question_id = OLD.id)
            OR EXISTS (SELECT 1 FROM round_questions rq JOIN rounds r ON r.id = rq.round_id
                       WHERE rq.question_id = OLD.id AND r.question_set_status IN ('ready', 'approved'))) THEN
        RAISE EXCEPTION 'question % is in a submitted or approved set or was drawn: make a new revision', OLD.id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER questions_frozen BEFORE UPDATE ON questions
    FOR EACH ROW EXECUTE FUNCTION questions_frozen_content();
