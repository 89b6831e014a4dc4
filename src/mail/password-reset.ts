import type { Context } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import type { EndedSession, RequestOrigin, UserRecord } from '../domain/model.js';
import { hashPassword, passwordWeakness, refuseIllFormed } from '../domain/passwords.js';
import { withSessionEnding } from '../domain/session-ending.js';
import type { EmailTokenRow } from '../domain/store.js';
import { normalizeEmail } from '../domain/users.js';
import type { WorkLog } from './deferred.js';
import { issueLink, usable } from './links.js';
import { passwordResetMessage } from './messages.js';
import { hashMailToken, passwordStamp } from './tokens.js';

/**
 * POST /auth/password/forgot. The answer (202) is sent before the address is
 * looked up, so it is the same, in the same time, whether or not an account
 * has it. Then, for an enabled account: a reset token (30 min) and its mail,
 * in one transaction. Every request is audited, the unknown ones without a target.
 */
export function requestPasswordReset(ctx: Context, email: string, origin: RequestOrigin, log: WorkLog): void {
  ctx.mail.afterResponse.run(
    async () => {
      const user = await ctx.store.findUserByEmail(normalizeEmail(email));
      const refused = !user ? 'unknown_account' : user.disabledAt ? 'account_disabled' : null;
      await ctx.store.transaction(async (tx) => {
        if (user && !refused) {
          const link = await issueLink(ctx, tx, {
            userId: user.id,
            purpose: 'reset',
            email: user.email,
            passwordStamp: passwordStamp(user.passwordHash),
          });
          await tx.insertMail({
            kind: 'password_reset',
            message: passwordResetMessage(user.email, user.name, link),
          });
        }
        await tx.insertAuditEvent({
          action: 'password.reset_requested',
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
    'a password reset request',
  );
}

/**
 * POST /auth/password/reset. A reset token works once, for 30 minutes, and
 * only while the password and address are those it was issued for (any
 * password change since, by any path, makes it invalid: tokens.ts#passwordStamp).
 * The token is checked first (400 INVALID_TOKEN), then the new password (422,
 * the token still usable), then, in one transaction: the new password, the
 * token used, the address marked proved (the link reached it), and every
 * session of the user ended through the one ending path (reason
 * "password_reset": audit, webhook, barrier).
 */
export async function resetPassword(
  ctx: Context,
  input: { token: string; newPassword: string },
  origin: RequestOrigin,
): Promise<{ endedSessions: EndedSession[] }> {
  const hash = hashMailToken(input.token);
  // A first look (outside a transaction, so no lock is held), to answer a bad token before
  // spending argon2 on the new password.
  const row = await ctx.store.lockEmailToken(hash);
  const first = row && (await ctx.store.findUserById(row.userId));
  if (!resettable(row, first)) throw new AppError('INVALID_TOKEN');
  refuseIllFormed(input.newPassword, '/newPassword');
  const weakness = passwordWeakness(input.newPassword, first.email);
  if (weakness)
    throw new AppError('VALIDATION_ERROR', weakness, {
      details: [{ path: '/newPassword', message: weakness }],
    });
  const newHash = await hashPassword(input.newPassword);

  const { result, ended } = await withSessionEnding(ctx, async (tx, end) => {
    // Again under the locks: a concurrent reset with the same token, or a password change, wins once.
    const row = await tx.lockEmailToken(hash);
    const user = row ? await tx.lockUser(row.userId) : null;
    if (!resettable(row, user)) return 'invalid' as const;
    await tx.setPasswordHash(user.id, newHash);
    await tx.markEmailTokenUsed(hash);
    await tx.setEmailVerified(user.id);
    await tx.insertAuditEvent({
      action: 'user.password_reset',
      reason: null,
      actorUserId: user.id,
      targetUserId: user.id,
      sessionIds: [],
      ...origin,
      details: {},
    });
    await end({ userId: user.id }, 'password_reset', { actorUserId: user.id, origin });
    return 'reset' as const;
  });
  if (result === 'invalid') throw new AppError('INVALID_TOKEN');
  return { endedSessions: ended };
}

/** The token may reset this account's password now: usable, and issued for its current address and password. */
function resettable(row: EmailTokenRow | null, user: UserRecord | null | undefined): user is UserRecord {
  return (
    usable(row, ['reset']) &&
    !!user &&
    !user.disabledAt &&
    user.email === row.email &&
    // Both sides are ours (the caller chose only the token), so a plain comparison leaks nothing.
    row.passwordStamp?.equals(passwordStamp(user.passwordHash)) === true
  );
}
