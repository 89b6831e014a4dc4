import type { Context } from './context.js';
import { AppError } from './errors.js';
import type { RequestOrigin, UserRecord } from './model.js';
import { refuseIllFormed, verifyPassword } from './passwords.js';
import { isFresh } from './policy.js';
import type { Caller } from './tokens.js';

/**
 * Sensitive operations (today the password change; email and second-factor
 * changes later) need a recent proof of the password on this session, counted
 * from the session's authTime (login or POST /auth/reauthenticate), never from
 * when the session was created or last refreshed. Read from the database, not
 * from the token: a reauthentication counts at once, without a new token.
 */
export async function requireFreshProof(ctx: Context, caller: Caller): Promise<void> {
  const session = await ctx.store.findSession(caller.sessionId);
  if (!session || session.endedAt) throw new AppError('UNAUTHORIZED', 'Session has ended');
  if (!isFresh(ctx.settings.policy, session.authTime.getTime(), Date.now()))
    throw new AppError(
      'REAUTHENTICATION_REQUIRED',
      `Your last password proof on this session is over ${ctx.settings.policy.freshAuthMaxAge} seconds old; confirm your password at POST /auth/reauthenticate and retry`,
    );
}

/**
 * The caller's own password, proved again (reauthentication, password change): the account
 * must still exist, the password be well-formed Unicode (422) and right. A wrong one is
 * audited as `failedAction` and answered 401 with `wrong`; it changes nothing else.
 */
export async function proveCallerPassword(
  ctx: Context,
  caller: Caller,
  password: string,
  origin: RequestOrigin,
  how: { path: string; failedAction: string; wrong: string },
): Promise<UserRecord> {
  const user = await ctx.store.findUserById(caller.userId);
  if (!user) throw new AppError('UNAUTHORIZED', 'Session has ended');
  refuseIllFormed(password, how.path);
  if (!(await verifyPassword(user.passwordHash, password))) {
    await ctx.store.insertAuditEvent({
      action: how.failedAction,
      reason: 'bad_credentials',
      actorUserId: user.id,
      targetUserId: user.id,
      sessionIds: [caller.sessionId],
      ...origin,
      details: {},
    });
    throw new AppError('UNAUTHORIZED', how.wrong);
  }
  return user;
}
