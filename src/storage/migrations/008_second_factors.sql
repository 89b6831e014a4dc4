-- Second factors (docs/api.md §8): TOTP with recovery codes, passkeys, and the
-- short-lived state between a login's password step and its second step.

-- At most one TOTP factor per user. confirmed_at NULL: an enrolment waiting for its
-- first code; it counts for nothing (login, GET /auth/factors) until confirmed.
CREATE TABLE totp_factors (
  user_id        uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  -- Base32, as authenticator apps take it. Not encrypted: Gatehouse has no key
  -- outside the database to encrypt it with (docs/security.md, "Second factors").
  secret         text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  confirmed_at   timestamptz,
  -- The RFC 6238 time step of the last code accepted: a code of that step or an
  -- earlier one is refused (replay), by one conditional UPDATE.
  last_used_step bigint
);

-- Single-use recovery codes, stored only as SHA-256 hashes; a used one is deleted.
CREATE TABLE recovery_codes (
  code_hash  bytea PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);

CREATE TABLE passkeys (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  credential_id text NOT NULL,            -- base64url, as WebAuthn names it
  public_key    bytea NOT NULL,           -- COSE
  counter       bigint NOT NULL DEFAULT 0,
  transports    text[] NOT NULL DEFAULT '{}',
  device_type   text NOT NULL,            -- singleDevice | multiDevice
  backed_up     boolean NOT NULL,
  name          text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz
);
CREATE UNIQUE INDEX passkeys_credential_key ON passkeys (credential_id);
CREATE INDEX passkeys_user_idx ON passkeys (user_id);

-- A login whose password was right, waiting for its second factor. Only the
-- token's SHA-256 hash is kept; the row is deleted when used, and wrong codes
-- are counted on it.
CREATE TABLE mfa_tokens (
  token_hash  bytea PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  remember    boolean NOT NULL,
  device_name text,
  failures    integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX mfa_tokens_user_idx ON mfa_tokens (user_id);

-- WebAuthn challenges, server side: one per ceremony, found by the SHA-256 of
-- the challengeId handed to the client, deleted when used (whatever the outcome).
CREATE TABLE webauthn_challenges (
  id_hash    bytea PRIMARY KEY,
  purpose    text NOT NULL,               -- registration | authentication
  challenge  text NOT NULL,
  user_id    uuid REFERENCES users (id) ON DELETE CASCADE,  -- registration only
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX webauthn_challenges_expires_idx ON webauthn_challenges (expires_at);
