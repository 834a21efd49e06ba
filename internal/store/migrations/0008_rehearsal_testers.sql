-- Rehearsals run on the real question sets, so only staff and the participant accounts the
-- committee explicitly marks as testers may sit their rounds (issue 12, path 1).
ALTER TABLE users ADD COLUMN is_tester BOOLEAN NOT NULL DEFAULT false;
