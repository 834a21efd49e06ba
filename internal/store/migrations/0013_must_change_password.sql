-- A password reset by a focal point or the secretariat is a one-time password that someone
-- else has seen: the account must choose its own before doing anything else.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT false;
