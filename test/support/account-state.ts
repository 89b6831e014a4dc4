import type { TestApp } from './harness.js';

/**
 * Everything stored about one account: its row, its sessions and their refresh tokens, its
 * second factors, the ceremonies it has under way (mfaTokens, WebAuthn challenges), the
 * tokens and mails sent to it, and its audit trail. A test takes it before and after a
 * refused request and expects them equal: a refusal changes none of it.
 *
 * `addresses`: more mailboxes whose mails count (an email change's new address).
 * A session's last use is left out: the activity flush writes it on its own schedule.
 */
export async function accountState(t: TestApp, userId: string, addresses: readonly string[] = []) {
  const rows = (sql: string, params: unknown[] = [userId]) => t.database.db.query(sql, params);
  const [user] = await rows('SELECT * FROM users WHERE id = $1');
  const mailboxes = [String(user?.email), ...addresses];
  return {
    user,
    sessions: (await rows('SELECT * FROM sessions WHERE user_id = $1 ORDER BY id')).map(
      ({ last_used_at: _, ...session }) => session,
    ),
    refreshTokens: await rows(
      `SELECT r.* FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
       WHERE s.user_id = $1 ORDER BY r.token_hash`,
    ),
    totp: await rows('SELECT * FROM totp_factors WHERE user_id = $1'),
    recoveryCodes: await rows('SELECT * FROM recovery_codes WHERE user_id = $1 ORDER BY code_hash'),
    passkeys: await rows('SELECT * FROM passkeys WHERE user_id = $1 ORDER BY id'),
    mfaTokens: await rows('SELECT * FROM mfa_tokens WHERE user_id = $1 ORDER BY token_hash'),
    challenges: await rows('SELECT * FROM webauthn_challenges WHERE user_id = $1 ORDER BY id_hash'),
    emailTokens: await rows('SELECT * FROM email_tokens WHERE user_id = $1 ORDER BY token_hash'),
    mails: await rows('SELECT id, kind, to_address FROM mail_outbox WHERE to_address = ANY($1) ORDER BY id', [
      mailboxes,
    ]),
    audit: await rows(
      'SELECT id, action, reason FROM audit_events WHERE $1 IN (actor_user_id, target_user_id) ORDER BY id',
    ),
  };
}
