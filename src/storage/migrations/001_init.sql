-- Gatehouse schema, version 1. Plain PostgreSQL: runs unchanged on a
-- PostgreSQL server and on the embedded PGlite store.

CREATE TABLE users (
  id            uuid PRIMARY KEY,
  email         text NOT NULL,
  name          text,
  password_hash text NOT NULL,
  roles         text[] NOT NULL DEFAULT ARRAY['user'],
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- Emails are stored lower-cased by the domain; the index enforces uniqueness.
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE sessions (
  id           uuid PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ended_at     timestamptz,
  end_reason   text,
  ip           text,
  user_agent   text
);
CREATE INDEX sessions_user_active_idx ON sessions (user_id) WHERE ended_at IS NULL;
-- The revocation feed: instances load "sessions ended since T" on start and
-- after a lost connection.
CREATE INDEX sessions_ended_at_idx ON sessions (ended_at) WHERE ended_at IS NOT NULL;

CREATE TABLE refresh_tokens (
  token_hash  bytea PRIMARY KEY,          -- SHA-256 of the token; the token itself is never stored
  session_id  uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  rotated_at  timestamptz                 -- set when exchanged; presenting it again is reuse
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

CREATE TABLE audit_events (
  id             bigserial PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  action         text NOT NULL,           -- e.g. session.ended, user.registered, login.failed
  reason         text,                    -- for session.ended: logout, logout_others, revoked, ...
  actor_user_id  uuid,                    -- who did it (null for the system or an anonymous caller)
  target_user_id uuid,                    -- whose sessions / account
  session_ids    uuid[] NOT NULL DEFAULT '{}',
  ip             text,
  user_agent     text,
  details        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_target_idx ON audit_events (target_user_id, at);

CREATE TABLE signing_keys (
  kid         text PRIMARY KEY,
  alg         text NOT NULL,
  public_jwk  jsonb NOT NULL,
  private_jwk jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- After retirement a key still verifies until every token it signed has expired.
  retired_at  timestamptz
);
