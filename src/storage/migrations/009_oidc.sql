-- Gatehouse as an OpenID Provider (docs/api.md §9, docs/oidc.md): clients registered by the
-- CLI, the grants a Gatehouse session gives them, one-time authorization codes, refresh
-- tokens, and Back-Channel Logout through the existing outbox.

CREATE TABLE oidc_clients (
  id                        text PRIMARY KEY,           -- client_id
  name                      text NOT NULL,
  -- SHA-256 of the secret (256 random bits: a fast hash is enough, as for refresh tokens);
  -- NULL for a public client, which must use PKCE and has no secret.
  secret_hash               bytea,
  redirect_uris             text[] NOT NULL,            -- each matched exactly
  post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
  backchannel_logout_uri    text,
  created_at                timestamptz NOT NULL DEFAULT now(),
  secret_rotated_at         timestamptz,
  removed_at                timestamptz                 -- kept, so grants and the audit trail still name it
);

-- What one Gatehouse session gave one client: created when an authorization code is issued.
-- Its session is the OIDC `sid`; ending the session ends every grant of it.
CREATE TABLE oidc_grants (
  id          uuid PRIMARY KEY,
  client_id   text NOT NULL REFERENCES oidc_clients (id),
  session_id  uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  user_id     uuid NOT NULL,
  scope       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz                              -- a reused code, a reused refresh token
);
CREATE INDEX oidc_grants_session_idx ON oidc_grants (session_id);

CREATE TABLE oidc_codes (
  code_hash       bytea PRIMARY KEY,                   -- SHA-256; the code itself is never stored
  grant_id        uuid NOT NULL REFERENCES oidc_grants (id) ON DELETE CASCADE,
  redirect_uri    text NOT NULL,
  code_challenge  text,                                -- S256 only; NULL only for a confidential client that sent none
  nonce           text,
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz                          -- presenting it again revokes its grant
);

CREATE TABLE oidc_refresh_tokens (
  token_hash  bytea PRIMARY KEY,
  grant_id    uuid NOT NULL REFERENCES oidc_grants (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  rotated_at  timestamptz
);
CREATE INDEX oidc_refresh_tokens_grant_idx ON oidc_refresh_tokens (grant_id);

-- Back-Channel Logout rides the webhook outbox: a row is for a webhook endpoint or for a
-- client's back-channel URI, never both. The dispatcher signs the logout_token when it sends it.
ALTER TABLE event_outbox ALTER COLUMN endpoint_id DROP NOT NULL;
ALTER TABLE event_outbox ADD COLUMN client_id text REFERENCES oidc_clients (id);
ALTER TABLE event_outbox ADD CONSTRAINT event_outbox_one_target
  CHECK ((endpoint_id IS NULL) <> (client_id IS NULL));
CREATE UNIQUE INDEX event_outbox_client_event_key ON event_outbox (event_id, client_id)
  WHERE client_id IS NOT NULL;

-- Every ending of a session, whatever path wrote it (the transaction of withSessionEnding, the
-- embedded store's one-statement logout, the sweeper), queues one logout_token per client the
-- session signed in to that has a back-channel URI: in the ending's own statement, so a
-- rolled-back ending queues none and a committed one cannot lose them. A trigger rather than
-- code in each path because a path added later cannot forget it.
CREATE FUNCTION oidc_queue_backchannel_logouts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event_outbox (event_id, client_id, type, payload)
  SELECT gen_random_uuid(), c.id, 'oidc.backchannel_logout',
         jsonb_build_object('sub', NEW.user_id, 'sid', NEW.id, 'reason', NEW.end_reason)
  FROM (SELECT DISTINCT client_id FROM oidc_grants WHERE session_id = NEW.id) g
  JOIN oidc_clients c ON c.id = g.client_id
  WHERE c.backchannel_logout_uri IS NOT NULL AND c.removed_at IS NULL;
  RETURN NULL;
END $$;

CREATE TRIGGER sessions_ended_backchannel_logout
  AFTER UPDATE OF ended_at ON sessions
  FOR EACH ROW WHEN (OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL)
  EXECUTE FUNCTION oidc_queue_backchannel_logouts();
