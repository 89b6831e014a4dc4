import type { ClaimedMail, MailMessage, MailQueries, MailRecord } from '../domain/store.js';
import type { Sql } from './db.js';

type Row = Record<string, unknown>;

const count = (rows: Row[]) => (rows[0]?.n as number | undefined) ?? 0;

/** The SQL of mail and recovery tokens (docs/api.md §8); the interface is the domain's (MailQueries). */
export function mailQueries(sql: Sql): MailQueries {
  // Only a row still waiting may change: a late outcome of an attempt whose lease ran out is ignored.
  const outcome = async (set: string, params: unknown[]) => {
    await sql.query(
      `UPDATE mail_outbox SET ${set}
       WHERE id = $1 AND attempts = $2 AND sent_at IS NULL AND dead_at IS NULL`,
      params,
    );
  };
  return {
    setEmailVerified: async (userId) => {
      await sql.query(
        'UPDATE users SET email_verified_at = now(), updated_at = now() WHERE id = $1 AND email_verified_at IS NULL',
        [userId],
      );
    },
    setVerifiedEmail: async (userId, email) =>
      (
        await sql.query<Row>(
          `UPDATE users SET email = $2, email_verified_at = now(), updated_at = now()
           WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM users WHERE email = $2 AND id <> $1)
           RETURNING id`,
          [userId, email],
        )
      ).length === 1,

    insertEmailToken: async (t) => {
      await sql.query(
        `INSERT INTO email_tokens (token_hash, user_id, purpose, email, password_stamp, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [t.hash, t.userId, t.purpose, t.email, t.passwordStamp, t.expiresAt],
      );
    },
    lockEmailToken: async (hash) => {
      const rows = await sql.query<Row>(
        `SELECT token_hash, user_id, purpose, email, password_stamp, expires_at, used_at
         FROM email_tokens WHERE token_hash = $1 FOR UPDATE`,
        [hash],
      );
      const r = rows[0];
      if (!r) return null;
      return {
        hash: Buffer.from(r.token_hash as Uint8Array),
        userId: r.user_id as string,
        purpose: r.purpose as 'verify' | 'change' | 'reset',
        email: r.email as string,
        passwordStamp: r.password_stamp ? Buffer.from(r.password_stamp as Uint8Array) : null,
        expiresAt: r.expires_at as Date,
        usedAt: (r.used_at as Date | null) ?? null,
      };
    },
    markEmailTokenUsed: async (hash) => {
      await sql.query('UPDATE email_tokens SET used_at = now() WHERE token_hash = $1', [hash]);
    },
    pruneEmailTokens: async (before) =>
      count(
        await sql.query<Row>(
          `WITH pruned AS (DELETE FROM email_tokens WHERE expires_at < $1 RETURNING 1)
           SELECT count(*)::int AS n FROM pruned`,
          [before],
        ),
      ),

    insertMail: async ({ kind, message }) => {
      await sql.query('INSERT INTO mail_outbox (kind, to_address, subject, body) VALUES ($1, $2, $3, $4)', [
        kind,
        message.to,
        message.subject,
        JSON.stringify({ text: message.text, html: message.html, link: message.link }),
      ]);
    },
    claimMails: async (limit, leaseMs) =>
      (
        await sql.query<Row>(
          `WITH due AS (
             SELECT id FROM mail_outbox
             WHERE sent_at IS NULL AND dead_at IS NULL AND next_attempt_at <= now()
             ORDER BY next_attempt_at, id
             LIMIT $1
             FOR UPDATE SKIP LOCKED
           )
           UPDATE mail_outbox o
           SET attempts = o.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
           FROM due WHERE o.id = due.id
           RETURNING o.id::text AS id, o.kind, o.to_address, o.subject, o.body, o.attempts`,
          [limit, leaseMs],
        )
      ).map((r): ClaimedMail => {
        const body = r.body as Pick<MailMessage, 'text' | 'html' | 'link'>;
        return {
          id: r.id as string,
          kind: r.kind as string,
          message: {
            to: r.to_address as string,
            subject: r.subject as string,
            text: body.text,
            html: body.html,
            link: body.link ?? null,
          },
          attempts: r.attempts as number,
        };
      }),
    markMailSent: (id, attempts) =>
      outcome('sent_at = now(), body = NULL, last_error = NULL', [id, attempts]),
    scheduleMailRetry: (id, attempts, delayMs, error) =>
      outcome(`next_attempt_at = now() + $3 * interval '1 millisecond', last_error = $4`, [
        id,
        attempts,
        delayMs,
        error,
      ]),
    markMailDead: (id, attempts, error) =>
      outcome('dead_at = now(), body = NULL, last_error = $3', [id, attempts, error]),
    listMails: async (limit) =>
      (
        await sql.query<Row>(
          `SELECT id::text AS id, kind, to_address, subject, created_at, attempts, next_attempt_at,
                  sent_at, dead_at, last_error
           FROM mail_outbox ORDER BY created_at DESC, id DESC LIMIT $1`,
          [limit],
        )
      ).map(
        (r): MailRecord => ({
          id: r.id as string,
          kind: r.kind as string,
          to: r.to_address as string,
          subject: r.subject as string,
          createdAt: r.created_at as Date,
          attempts: r.attempts as number,
          nextAttemptAt: r.next_attempt_at as Date,
          sentAt: (r.sent_at as Date | null) ?? null,
          deadAt: (r.dead_at as Date | null) ?? null,
          lastError: (r.last_error as string | null) ?? null,
          state: r.sent_at ? 'sent' : r.dead_at ? 'dead' : 'queued',
        }),
      ),
    pruneMails: async (before) =>
      count(
        await sql.query<Row>(
          `WITH pruned AS (
             DELETE FROM mail_outbox
             WHERE created_at < $1 AND (sent_at IS NOT NULL OR dead_at IS NOT NULL) RETURNING 1
           ) SELECT count(*)::int AS n FROM pruned`,
          [before],
        ),
      ),
  };
}
