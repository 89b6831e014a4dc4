-- Mail and account recovery (docs/api.md §8): verified addresses, single-use
-- tokens mailed to the user, and the mail outbox.

-- When the address was last proved (a verification link, or a password reset
-- mailed to it). NULL: never proved. Accounts from before this migration stay
-- unverified; they can ask for a link (POST /auth/email/verify/resend).
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;

-- The tokens a mail carries, by SHA-256 only: the raw token exists in the mail
-- (and its outbox row until delivered), never here.
CREATE TABLE email_tokens (
  token_hash     bytea PRIMARY KEY,
  user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose        text NOT NULL CHECK (purpose IN ('verify', 'change', 'reset')),
  -- verify: the account's address it proves; change: the new address; reset: the address it was sent to.
  email          text NOT NULL,
  -- reset: SHA-256 of the password hash when the token was issued. Any later password change
  -- (reset, POST /auth/password, the CLI) makes it differ, so outstanding reset tokens stop working.
  password_stamp bytea,
  created_at     timestamptz NOT NULL DEFAULT now(),
  -- Set by the application's clock: the lifetime (24 h, 30 min) is the domain's rule.
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz
);
CREATE INDEX email_tokens_user_idx ON email_tokens (user_id, purpose);
CREATE INDEX email_tokens_expires_idx ON email_tokens (expires_at);

-- Mails on their way out, written in the transaction that made what they carry (a token), and
-- delivered by a background job with retries (src/jobs/mail-dispatcher.ts): claimed with
-- FOR UPDATE SKIP LOCKED and a lease, like event_outbox.
CREATE TABLE mail_outbox (
  id              bigserial PRIMARY KEY,
  kind            text NOT NULL,            -- verify_email, email_change, email_change_notice, password_reset
  to_address      text NOT NULL,
  subject         text NOT NULL,
  -- {text, html, link}: the rendered message, which holds the raw single-use link. Cleared
  -- once the message is sent or given up, so the link outlives its delivery nowhere here.
  body            jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  dead_at         timestamptz,
  last_error      text
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND dead_at IS NULL;
CREATE INDEX mail_outbox_created_idx ON mail_outbox (created_at);
