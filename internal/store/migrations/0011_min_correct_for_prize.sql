-- A weekly prize needs at least one correct answer (SPEC, fairness rules). The campaign's
-- minimum lives in its settings; the database refuses a stored minimum below 1 (or one
-- that is not a number), whatever wrote it, so no path can make 0 correct answers a prize.
ALTER TABLE campaigns ADD CONSTRAINT campaigns_min_correct_for_prize_at_least_1 CHECK (
    CASE coalesce(jsonb_typeof(settings -> 'min_correct_for_prize'), 'null')
        WHEN 'null' THEN true
        WHEN 'number' THEN (settings ->> 'min_correct_for_prize')::numeric >= 1
        ELSE false
    END
);
