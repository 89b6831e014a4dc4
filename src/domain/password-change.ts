import type { Context } from './context.js';
import { AppError } from './errors.js';
import type { EndedSession, RequestOrigin } from './model.js';
import { hashPassword, passwordWeakness } from './passwords.js';
import { proveCallerPassword, requireFreshProof } from './reauthentication.js';
import { withSessionEnding } from './session-ending.js';
import type { Caller } from './tokens.js';

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/**
 * POST /auth/password. Proves the caller knows the current password (a
 * stolen access token alone cannot take the account over), refuses a weak
 * new one, then in one transaction stores the new hash and ends every other
 * session of the user (reason "password_changed"): whoever knew the old
 * password is signed out everywhere but here.
 */
export async function changePassword(
  ctx: Context,
  caller: Caller,
  input: PasswordChange,
  origin: RequestOrigin,
): Promise<{ endedSessions: EndedSession[] }> {
  // A sensitive operation (docs/api.md §7): without a recent proof on this session it is refused
  // before any password is checked, so a stale session cannot use it to guess passwords.
  await requireFreshProof(ctx, caller);
  const user = await proveCallerPassword(ctx, caller, input.currentPassword, origin, {
    path: '/currentPassword',
    failedAction: 'password.change_failed',
    wrong: 'Current password is incorrect',
  });
  const weakness =
    passwordWeakness(input.newPassword, user.email) ??
    (input.newPassword.normalize('NFC') === input.currentPassword.normalize('NFC')
      ? 'New password must differ from the current one'
      : null);
  if (weakness)
    throw new AppError('VALIDATION_ERROR', weakness, {
      details: [{ path: '/newPassword', message: weakness }],
    });

  const passwordHash = await hashPassword(input.newPassword);
  const { result, ended } = await withSessionEnding(ctx, async (tx, end) => {
    // The caller's session row lock orders us against a logout racing this request:
    // a session that has just ended may not change the password.
    const session = await tx.lockSession(caller.sessionId);
    if (!session || session.endedAt) return 'ended' as const;
    await tx.setPasswordHash(user.id, passwordHash);
    await tx.insertAuditEvent({
      action: 'user.password_changed',
      reason: null,
      actorUserId: user.id,
      targetUserId: user.id,
      sessionIds: [caller.sessionId],
      ...origin,
      details: {},
    });
    await end({ userId: user.id, exceptSessionId: caller.sessionId }, 'password_changed', {
      actorUserId: user.id,
      origin,
    });
    return 'changed' as const;
  });
  if (result === 'ended') throw new AppError('UNAUTHORIZED', 'Session has ended');
  return { endedSessions: ended };
}
