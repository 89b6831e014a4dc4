import type { Context } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import type { RequestOrigin } from '../domain/model.js';
import { requireFreshProof } from '../domain/reauthentication.js';
import type { Caller } from '../domain/tokens.js';
import { normalizeEmail } from '../domain/users.js';
import { emailChangeNotice } from './messages.js';
import { queueChangeConfirmation } from './verification.js';

/**
 * POST /auth/email. A sensitive operation (fresh proof, docs/api.md §7). The
 * account keeps its address until the new one is proved: a link goes to the
 * new address (POST /auth/email/verify completes the change) and a notice to
 * the current one, so its owner learns of a change they did not ask for.
 *
 * A new address another account has is refused with 409. That tells the
 * caller the address is registered; so does POST /auth/register, to anyone,
 * and here the caller has proved a password within FRESH_AUTH_MAX_AGE and is
 * rate limited, so hiding it would protect nothing (docs/api.md §8).
 */
export async function requestEmailChange(
  ctx: Context,
  caller: Caller,
  newEmail: string,
  origin: RequestOrigin,
): Promise<void> {
  await requireFreshProof(ctx, caller);
  const email = normalizeEmail(newEmail);
  const user = await ctx.store.findUserById(caller.userId);
  if (!user || user.disabledAt) throw new AppError('UNAUTHORIZED', 'Session has ended');
  if (email === user.email)
    throw new AppError('VALIDATION_ERROR', 'The new address is the current one', {
      details: [{ path: '/newEmail', message: 'The new address is the current one' }],
    });
  if (await ctx.store.findUserByEmail(email))
    throw new AppError('CONFLICT', 'An account with this email already exists');
  await ctx.store.transaction(async (tx) => {
    await queueChangeConfirmation(ctx, tx, user, email);
    await tx.insertMail({
      kind: 'email_change_notice',
      message: emailChangeNotice(user.email, user.name, email),
    });
    await tx.insertAuditEvent({
      action: 'user.email_change_requested',
      reason: null,
      actorUserId: user.id,
      targetUserId: user.id,
      sessionIds: [caller.sessionId],
      ...origin,
      details: {},
    });
  });
  ctx.outbox.written();
}
