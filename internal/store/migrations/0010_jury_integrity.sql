-- Jury integrity (issue 12, path 6): what a staff action changed or overrode, kept in the
-- audit log beside who did it and when; and the clip's author, which a clerk may correct.

-- details is the action's own evidence: a correction's before and after, or an override's
-- comment and the sheets that were missing. Empty for the ordinary request log.
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS details JSONB;

ALTER TABLE video_entries ADD COLUMN IF NOT EXISTS author TEXT NOT NULL DEFAULT '';
ALTER TABLE video_entries ADD COLUMN IF NOT EXISTS updated_at TIMESTAMPTZ;
