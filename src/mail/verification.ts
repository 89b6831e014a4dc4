import type { Context } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import type { RequestOrigin, User } from '../domain/model.js';
import type { Queries } from '../domain/store.js';
import { normalizeEmail, publicUser } from '../domain/users.js';
import type { WorkLog } from './deferred.js';
import { issueLink, usable } from './links.js';
import { emailChangeMessage, verifyEmailMessage } from './messages.js';
import { hashMailToken } from './tokens.js';

/**
 * Queues the verification mail of a new account, inside its registration
 * transaction: the account, its token and the mail commit together.
 */
export async function queueVerification(
  ctx: Context,
  tx: Queries,
  user: Pick<User, 'id' | 'email' | 'name'>,
): Promise<void> {
  const link = await issueLink(ctx, tx, { userId: user.id, purpose: 'verify', email: user.email });
  await tx.insertMail({ kind: 'verify_email', message: verifyEmailMessage(user.email, user.name, link) });
}

/**
 * POST /auth/email/verify/resend. Answers before anything is looked up (202,
 * always the same): a new link goes out only to an unverified, enabled
 * account with this address; anything else is audited and nothing is sent.
 */
export function resendVerification(ctx: Context, email: string, origin: RequestOrigin, log: WorkLog): void {
  ctx.mail.afterResponse.run(
    async () => {
      const user = await ctx.store.findUserByEmail(normalizeEmail(email));
      const refused = !user
        ? 'unknown_account'
        : user.disabledAt
          ? 'account_disabled'
          : user.emailVerified
            ? 'already_verified'
            : null;
      await ctx.store.transaction(async (tx) => {
        if (user && !refused) await queueVerification(ctx, tx, user);
        await tx.insertAuditEvent({
          action: 'email.verification_requested',
          reason: refused,
          actorUserId: null,
          targetUserId: user?.id ?? null,
          sessionIds: [],
          ...origin,
          details: {},
        });
      });
      if (!refused) ctx.outbox.written();
    },
    log,
    'resending a verification mail',
  );
}

/**
 * POST /auth/email/verify: uses a verification link. A link from registration
 * (or a resend) proves the account's current address; a link from an email
 * change moves the account to the new address, now proved. Single use: the
 * token row is locked and marked used in the same transaction. 400
 * INVALID_TOKEN for an unknown, used or expired token, or one whose address
 * is no longer the account's; 409 when the new address was taken meanwhile.
 */
export async function verifyEmail(ctx: Context, token: string, origin: RequestOrigin): Promise<User> {
  const hash = hashMailToken(token);
  const outcome = await ctx.store.transaction(async (tx) => {
    const row = await tx.lockEmailToken(hash);
    if (!usable(row, ['verify', 'change'])) return 'invalid' as const;
    const user = await tx.lockUser(row.userId);
    // A registration link proves the address it was sent to, only while the account still has it.
    if (!user || user.disabledAt || (row.purpose === 'verify' && user.email !== row.email))
      return 'invalid' as const;
    if (row.purpose === 'change') {
      if (!(await tx.setVerifiedEmail(user.id, row.email))) return 'taken' as const;
    } else await tx.setEmailVerified(user.id);
    await tx.markEmailTokenUsed(hash);
    await tx.insertAuditEvent({
      action: row.purpose === 'change' ? 'user.email_changed' : 'user.email_verified',
      reason: null,
      actorUserId: user.id,
      targetUserId: user.id,
      sessionIds: [],
      ...origin,
      details: {},
    });
    return publicUser({ ...user, email: row.email, emailVerified: true });
  });
  if (outcome === 'invalid') throw new AppError('INVALID_TOKEN');
  if (outcome === 'taken') throw new AppError('CONFLICT', 'Another account now uses this email address');
  return outcome;
}

/** The confirmation mail of an email change (email-change.ts), inside its transaction. */
export async function queueChangeConfirmation(
  ctx: Context,
  tx: Queries,
  user: Pick<User, 'id' | 'name'>,
  newEmail: string,
): Promise<void> {
  const link = await issueLink(ctx, tx, { userId: user.id, purpose: 'change', email: newEmail });
  await tx.insertMail({ kind: 'email_change', message: emailChangeMessage(newEmail, user.name, link) });
}
