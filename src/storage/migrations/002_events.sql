-- Gatehouse schema, version 2: session-ended events for operators (docs/events.md).
-- Webhook endpoints, and the outbox the ending transaction writes to, so that an
-- event exists exactly when the ending committed.

CREATE TABLE webhook_endpoints (
  id          uuid PRIMARY KEY,
  url         text NOT NULL,
  -- The HMAC-SHA256 key. Kept in clear because signing needs it; guard the database accordingly.
  secret      text NOT NULL,
  source      text NOT NULL DEFAULT 'cli',   -- 'env' (WEBHOOK_URL, synced at start) or 'cli'
  description text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz                    -- removed: no new events, pending ones are dropped
);
CREATE UNIQUE INDEX webhook_endpoints_url_key ON webhook_endpoints (url) WHERE disabled_at IS NULL;

-- One row per (event, endpoint). The dispatcher claims due rows with FOR UPDATE SKIP LOCKED and a
-- lease (next_attempt_at moved forward), so several instances never deliver one row at once.
CREATE TABLE event_outbox (
  id              bigserial PRIMARY KEY,
  event_id        uuid NOT NULL,             -- the same for every endpoint; receivers dedupe on it
  endpoint_id     uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  type            text NOT NULL,             -- session.ended
  payload         jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  dead_at         timestamptz,               -- gave up (too many attempts, or endpoint removed)
  last_error      text,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX event_outbox_due_idx ON event_outbox (next_attempt_at)
  WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX event_outbox_endpoint_idx ON event_outbox (endpoint_id, created_at);

-- The expiry sweeper looks for active sessions past their end.
CREATE INDEX sessions_active_expiry_idx ON sessions (expires_at) WHERE ended_at IS NULL;
