-- Agency staff rosters (SPEC, fairness rules: only civil servants of listed agencies take
-- part). A roster is the list an agency's focal point or the secretariat imports; a
-- registration is matched against it.
CREATE TABLE roster_members (
    id            BIGSERIAL PRIMARY KEY,
    agency_id     BIGINT NOT NULL REFERENCES agencies(id),
    full_name     TEXT NOT NULL,
    -- The name as matching compares it (NFC, lower case, single spaces): rules.NameKey.
    name_key      TEXT NOT NULL,
    date_of_birth DATE NOT NULL,
    phone         TEXT NOT NULL,
    cccd          TEXT CHECK (cccd ~ '^[0-9]{12}$'),
    imported_by   BIGINT REFERENCES users(id),
    imported_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (agency_id, phone)
);
CREATE INDEX roster_members_match_idx ON roster_members(agency_id, phone, date_of_birth);

-- Where an account stands against its agency's roster:
--   unchecked  registered before the agency had a roster (or for a campaign that does not
--              match): counts as before, and is matched when the agency's roster arrives;
--   matched    on the roster;  pending   not on it, waiting for the focal point;
--   confirmed  not on it, confirmed by the focal point;  rejected   refused by them.
-- Only unchecked, matched and confirmed accounts count for their agency or can win.
ALTER TABLE users
    ADD COLUMN cccd TEXT CHECK (cccd ~ '^[0-9]{12}$'),
    ADD COLUMN roster_status TEXT NOT NULL DEFAULT 'unchecked'
        CHECK (roster_status IN ('unchecked', 'matched', 'pending', 'confirmed', 'rejected')),
    ADD COLUMN roster_decided_by BIGINT REFERENCES users(id),
    ADD COLUMN roster_decided_at TIMESTAMPTZ,
    ADD COLUMN counts_for_agency BOOLEAN GENERATED ALWAYS AS
        (roster_status IN ('unchecked', 'matched', 'confirmed')) STORED;
-- One citizen ID is one person: a second account with it is refused.
CREATE UNIQUE INDEX users_cccd_key ON users(cccd) WHERE cccd IS NOT NULL;
CREATE INDEX users_roster_pending_idx ON users(agency_id) WHERE roster_status = 'pending';
