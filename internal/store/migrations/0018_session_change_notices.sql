-- Every API process caches the sessions it has resolved (store/session_cache.go). These
-- triggers tell all of them, whoever made the change (another replica, psql), whose
-- sessions to forget: the account's id, or 'all' when a table is truncated. A NOTIFY is
-- delivered on commit, and repeated identical ones in a transaction once.
CREATE FUNCTION notify_session_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_LEVEL = 'STATEMENT' THEN
		PERFORM pg_notify('contest_session_changes', 'all');
	ELSIF TG_TABLE_NAME = 'sessions' THEN
		PERFORM pg_notify('contest_session_changes', OLD.user_id::text);
	ELSE
		PERFORM pg_notify('contest_session_changes', OLD.id::text);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER sessions_changed AFTER UPDATE OR DELETE ON sessions
	FOR EACH ROW EXECUTE FUNCTION notify_session_change();
CREATE TRIGGER sessions_truncated AFTER TRUNCATE ON sessions
	FOR EACH STATEMENT EXECUTE FUNCTION notify_session_change();
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION notify_session_change();
CREATE TRIGGER users_truncated AFTER TRUNCATE ON users
	FOR EACH STATEMENT EXECUTE FUNCTION notify_session_change();
