import type { Context } from '../domain/context.js';
import type { EmailTokenPurpose, Queries } from '../domain/store.js';
import { accountLink } from './messages.js';
import { newMailToken, RESET_TOKEN_TTL_MS, VERIFY_TOKEN_TTL_MS } from './tokens.js';

/**
 * Stores a new single-use token (its hash only) and returns the link that
 * carries it. Call inside the transaction that also queues the mail: the
 * token and its message commit together or not at all.
 */
export async function issueLink(
  ctx: Context,
  tx: Queries,
  t: { userId: string; purpose: EmailTokenPurpose; email: string; passwordStamp?: Buffer },
): Promise<string> {
  const { token, hash } = newMailToken();
  const ttl = t.purpose === 'reset' ? RESET_TOKEN_TTL_MS : VERIFY_TOKEN_TTL_MS;
  await tx.insertEmailToken({
    hash,
    userId: t.userId,
    purpose: t.purpose,
    email: t.email,
    passwordStamp: t.passwordStamp ?? null,
    // The application's clock decides lifetimes (as it does for sessions).
    expiresAt: new Date(Date.now() + ttl),
  });
  return accountLink(ctx.mail.publicUrl, t.purpose === 'reset' ? 'reset' : 'verify', token);
}

/** A token that may be used now: it exists, is unused, unexpired and of one of these purposes. */
export function usable<T extends { usedAt: Date | null; expiresAt: Date; purpose: EmailTokenPurpose }>(
  row: T | null,
  purposes: readonly EmailTokenPurpose[],
): row is T {
  return (
    row !== null &&
    row.usedAt === null &&
    row.expiresAt.getTime() > Date.now() &&
    purposes.includes(row.purpose)
  );
}
