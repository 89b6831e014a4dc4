import type { Context } from './context.js';
import { AppError } from './errors.js';
import type { EndReason, RequestOrigin } from './model.js';
import { type EndTarget, endSessions, withSessionEnding } from './session-ending.js';
import { type Caller, hashRefreshToken, isAdmin } from './tokens.js';

export type LogoutScope = 'current' | 'others' | 'all';

export interface LogoutRequest {
  scope?: LogoutScope;
  sessionId?: string;
  userId?: string;
}

/**
 * POST /auth/logout. Decides which sessions the request names, checks the
 * caller may end them, and ends them in one transaction (SPEC §2).
 */
export async function logout(
  ctx: Context,
  caller: Caller,
  req: LogoutRequest,
  origin: RequestOrigin,
): Promise<{ endedSessionIds: string[] }> {
  const plan = await planLogout(ctx, caller, req);
  const ended = await endSessions(ctx, plan.target, plan.reason, {
    actorUserId: caller.userId,
    origin,
    details: { scope: plan.scope },
  });
  if (ended.length === 0 && plan.mustEnd) {
    // Someone else ended it between our check and our update.
    if (plan.mustEnd === 'current') throw new AppError('UNAUTHORIZED', 'Session has already ended');
    throw new AppError('CONFLICT', 'Session has already ended');
  }
  ctx.metrics.logouts.inc({ scope: plan.scope });
  return { endedSessionIds: ended.map((s) => s.id) };
}

interface LogoutPlan {
  target: EndTarget;
  reason: EndReason;
  scope: string;
  /** Set when ending nothing means the request lost a race. */
  mustEnd?: 'current' | 'named';
}

async function planLogout(ctx: Context, caller: Caller, req: LogoutRequest): Promise<LogoutPlan> {
  if (req.sessionId !== undefined && req.scope !== undefined)
    throw contradiction('/scope', 'scope cannot be combined with sessionId');
  if (req.sessionId !== undefined && req.userId !== undefined)
    throw contradiction('/userId', 'userId cannot be combined with sessionId');
  if (req.userId !== undefined && req.scope !== undefined && req.scope !== 'all')
    throw contradiction('/scope', 'with userId, scope must be "all"');

  if (req.userId !== undefined) {
    const user = await ctx.store.findUserById(req.userId);
    if (!user) throw new AppError('NOT_FOUND', 'User not found');
    const own = user.id === caller.userId;
    if (!own && !isAdmin(caller))
      throw new AppError('FORBIDDEN', "Only an admin can end another user's sessions");
    return { target: { userId: user.id }, reason: own ? 'logout_all' : 'admin', scope: 'all' };
  }

  if (req.sessionId !== undefined) {
    const session = await ctx.store.findSession(req.sessionId);
    if (!session) throw new AppError('NOT_FOUND', 'Session not found');
    const own = session.userId === caller.userId;
    if (!own && !isAdmin(caller))
      throw new AppError('FORBIDDEN', "Only an admin can end another user's session");
    if (session.endedAt || ctx.revocations.isEnded(session.id))
      throw new AppError('CONFLICT', 'Session has already ended');
    if (session.expiresAt.getTime() <= Date.now())
      throw new AppError('CONFLICT', 'Session has already expired');
    return {
      target: { sessionIds: [session.id] },
      reason: own ? 'logout' : 'admin',
      scope: 'session',
      mustEnd: 'named',
    };
  }

  switch (req.scope ?? 'current') {
    case 'current':
      return {
        target: { sessionIds: [caller.sessionId] },
        reason: 'logout',
        scope: 'current',
        mustEnd: 'current',
      };
    case 'others':
      return {
        target: { userId: caller.userId, exceptSessionId: caller.sessionId },
        reason: 'logout_others',
        scope: 'others',
      };
    case 'all':
      return { target: { userId: caller.userId }, reason: 'logout_all', scope: 'all' };
  }
}

const contradiction = (path: string, message: string) =>
  new AppError('VALIDATION_ERROR', `Contradictory logout request: ${message}`, {
    details: [{ path, message }],
  });

/**
 * POST /auth/revoke (RFC 7009): ends the session a refresh token or access
 * token belongs to. Idempotent: unknown, expired and already-revoked tokens
 * are all answered the same, so the endpoint reveals nothing.
 */
export async function revoke(ctx: Context, token: string, origin: RequestOrigin): Promise<void> {
  // An access token is a JWT (has dots); a refresh token is base64url (has none).
  const caller = token.includes('.') ? await ctx.tokens.verify(token) : null;
  await withSessionEnding(ctx, async (tx, end) => {
    const sessionId = caller
      ? caller.sessionId
      : (await tx.lockRefreshToken(hashRefreshToken(token)))?.sessionId;
    if (sessionId)
      await end({ sessionIds: [sessionId] }, 'revoked', { actorUserId: caller?.userId ?? null, origin });
  });
}
