import type { Context } from './context.js';
import { AppError } from './errors.js';
import type { EndedSession, EndReason, RequestOrigin, Session } from './model.js';
import { type EndTarget, endSessions, withSessionEnding } from './session-ending.js';
import { type Caller, hashRefreshToken, isAdmin } from './tokens.js';

/** The scopes a logout body may name; the request schema is built from this list. */
export const LOGOUT_SCOPES = ['current', 'others', 'all'] as const;
export type LogoutScope = (typeof LOGOUT_SCOPES)[number];

export interface LogoutRequest {
  scope?: LogoutScope;
  sessionId?: string;
  userId?: string;
}

/**
 * What a logout (or an operator's ending) will do, decided once by `planLogout` or
 * `planAdminEnding`: which sessions, why, and whether it ends the caller's own session. The
 * route keeps it on the request, so the hook that clears the browser's cookies reads this
 * decision instead of reading the body again.
 */
export interface LogoutPlan {
  target: EndTarget;
  reason: EndReason;
  /** As recorded in the audit event and the logout metric. */
  scope: 'current' | 'others' | 'all' | 'session';
  /** Set when ending nothing means the request lost a race. */
  mustEnd?: 'current' | 'named';
  /** The caller's own session is among those named, so a browser's cookies go with it. */
  endsCallerSession: boolean;
}

/**
 * POST /auth/logout: decides which sessions the request names and checks the caller may end
 * them (404, 403, 409, 422), without changing anything (docs/api.md §2).
 */
export async function planLogout(ctx: Context, caller: Caller, req: LogoutRequest): Promise<LogoutPlan> {
  if (req.sessionId !== undefined && req.scope !== undefined)
    throw contradiction('/scope', 'scope cannot be combined with sessionId');
  if (req.sessionId !== undefined && req.userId !== undefined)
    throw contradiction('/userId', 'userId cannot be combined with sessionId');
  if (req.userId !== undefined && req.scope !== undefined && req.scope !== 'all')
    throw contradiction('/scope', 'with userId, scope must be "all"');

  if (req.userId !== undefined) {
    const user = await requireUserById(ctx, req.userId, 'User not found');
    const own = user.id === caller.userId;
    if (!own && !isAdmin(caller))
      throw new AppError('FORBIDDEN', "Only an admin can end another user's sessions");
    return {
      target: { userId: user.id },
      reason: own ? 'logout_all' : 'admin',
      scope: 'all',
      endsCallerSession: own,
    };
  }

  if (req.sessionId !== undefined) {
    const session = await ctx.store.findSession(req.sessionId);
    if (!session) throw new AppError('NOT_FOUND', 'Session not found');
    const own = session.userId === caller.userId;
    if (!own && !isAdmin(caller))
      throw new AppError('FORBIDDEN', "Only an admin can end another user's session");
    return {
      ...namedSessionPlan(ctx, session),
      reason: own ? 'logout' : 'admin',
      endsCallerSession: session.id === caller.sessionId,
    };
  }

  switch (req.scope ?? 'current') {
    case 'current':
      return {
        target: { sessionIds: [caller.sessionId] },
        reason: 'logout',
        scope: 'current',
        mustEnd: 'current',
        endsCallerSession: true,
      };
    case 'others':
      return {
        target: { userId: caller.userId, exceptSessionId: caller.sessionId },
        reason: 'logout_others',
        scope: 'others',
        endsCallerSession: false,
      };
    case 'all':
      return {
        target: { userId: caller.userId },
        reason: 'logout_all',
        scope: 'all',
        endsCallerSession: true,
      };
  }
}

/**
 * What an operator (the admin CLI) names: one session, or every session of a user. The same
 * checks as a logout's (404 for what does not exist, 409 for a session already over).
 */
export async function planAdminEnding(
  ctx: Context,
  target: { sessionId: string } | { userId: string },
): Promise<LogoutPlan> {
  if ('userId' in target) {
    const user = await requireUserById(ctx, target.userId, `User ${target.userId} not found`);
    return { target: { userId: user.id }, reason: 'admin', scope: 'all', endsCallerSession: false };
  }
  const session = await ctx.store.findSession(target.sessionId);
  if (!session) throw new AppError('NOT_FOUND', `Session ${target.sessionId} not found`);
  return { ...namedSessionPlan(ctx, session), reason: 'admin', endsCallerSession: false };
}

/** Ends what a plan names, through the one ending path, in a shared transaction (group commit). */
export async function endPlanned(
  ctx: Context,
  plan: LogoutPlan,
  audit: { actorUserId: string | null; origin: RequestOrigin; details?: Record<string, unknown> },
): Promise<EndedSession[]> {
  const ended = await endSessions(ctx, plan.target, plan.reason, {
    actorUserId: audit.actorUserId,
    origin: audit.origin,
    details: { scope: plan.scope, ...audit.details },
  });
  if (ended.length === 0 && plan.mustEnd) {
    // Someone else ended it between the plan's check and the update.
    if (plan.mustEnd === 'current') throw new AppError('UNAUTHORIZED', 'Session has already ended');
    throw new AppError('CONFLICT', 'Session has already ended');
  }
  return ended;
}

async function requireUserById(ctx: Context, id: string, notFound: string) {
  const user = await ctx.store.findUserById(id);
  if (!user) throw new AppError('NOT_FOUND', notFound);
  return user;
}

/** One named session that must still be active: 409 once it has ended or expired. */
function namedSessionPlan(ctx: Context, session: Session): Pick<LogoutPlan, 'target' | 'scope' | 'mustEnd'> {
  if (session.endedAt || ctx.revocations.isEnded(session.id))
    throw new AppError('CONFLICT', 'Session has already ended');
  if (session.expiresAt.getTime() <= Date.now())
    throw new AppError('CONFLICT', 'Session has already expired');
  return { target: { sessionIds: [session.id] }, scope: 'session', mustEnd: 'named' };
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
