-- Session policy (docs/api.md §7): idle timeout, remember-me, device names, fresh proof.

-- The time of the session's last password (or second-factor) proof: login, then
-- POST /auth/reauthenticate. Sensitive operations need it recent.
ALTER TABLE sessions ADD COLUMN auth_time timestamptz NOT NULL DEFAULT now();
-- false for a login with "remember": false: a short lifetime, and a browser-session cookie.
ALTER TABLE sessions ADD COLUMN persistent boolean NOT NULL DEFAULT true;
-- The name the user gave the device at login (the parsed User-Agent is shown otherwise).
ALTER TABLE sessions ADD COLUMN device_name text;

-- The sweeper's two questions, each answered from the active sessions alone:
-- which are past their absolute lifetime, which have been idle too long.
CREATE INDEX sessions_active_expires_idx ON sessions (expires_at) WHERE ended_at IS NULL;
CREATE INDEX sessions_active_last_used_idx ON sessions (last_used_at) WHERE ended_at IS NULL;
