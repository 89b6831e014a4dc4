-- Gatehouse schema, version 3: accounts an operator disables or deletes (gatehouse users …).

-- A disabled account cannot log in or refresh; its sessions were ended when it was disabled.
ALTER TABLE users ADD COLUMN disabled_at timestamptz;

-- A deleted account's sessions stay, ended, as the record that they ended: an instance that
-- starts later loads every session ended within one token lifetime (sessions.ended_at) to
-- refuse their access tokens, so deleting the user must not delete them. Like audit_events,
-- sessions outlive the account they name; a login orders itself against the delete by locking
-- the user row (FOR SHARE) before it inserts its session.
ALTER TABLE sessions DROP CONSTRAINT sessions_user_id_fkey;
