-- Cost that stays flat at a million users (docs/performance.md, "At scale"), and session policy
-- set by the operator (docs/api.md §7).

-- GET /auth/sessions pages through one user's active sessions, newest first, by keyset on
-- (created_at, id): this index answers a page by reading just that page. Its leading column
-- also serves every other "active sessions of this user" question (a login's session limit,
-- logout scope "others"/"all"), so the index that held user_id alone is no longer needed:
-- dropping it saves a write on every login and ending.
CREATE INDEX sessions_user_active_created_idx ON sessions (user_id, created_at DESC, id DESC)
  WHERE ended_at IS NULL;
DROP INDEX sessions_user_active_idx;

-- `gatehouse audit --user` matches the actor as well as the target; the target had an index
-- (001), the actor had none, so that filter read the whole log. With both, the query reads the
-- newest entries of each index and merges them.
CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, at, id);
-- `gatehouse audit` with no user: the newest entries of the whole log, which without an index on
-- the time meant reading and sorting all of it (EXPLAIN on the scale run's database).
CREATE INDEX audit_events_at_idx ON audit_events (at, id);

-- Session policy set by `gatehouse policy set`: each row overrides the environment variable of
-- the same name on every instance (the value is the text the variable would hold, validated by
-- the same rules). No row: the instance's environment, or the default.
CREATE TABLE policy_settings (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- The operating-system account that ran the CLI (the audit event has the rest).
  updated_by text
);
