-- REFRESH_REUSE_GRACE (docs/security.md): a rotated refresh token may be
-- presented once more, shortly after, and get the pair it was exchanged for.
-- That pair is kept sealed with a key only the rotated token itself yields
-- (src/domain/refresh-grace.ts): the database never holds a usable token.
ALTER TABLE refresh_tokens
  ADD COLUMN successor_box bytea,         -- the pair it was exchanged for, AES-256-GCM; null when the grace is off
  ADD COLUMN replayed_at   timestamptz;   -- set when that pair was handed out again (once only)
