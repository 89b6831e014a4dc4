import { randomUUID } from 'node:crypto';
import type { Context } from './context.js';
import { type Device, deviceOf } from './devices.js';
import { AppError } from './errors.js';
import type { RequestOrigin, Session, User } from './model.js';
import { isIdle } from './policy.js';
import { type EndSessions, withSessionEnding } from './session-ending.js';
import { type Caller, hashRefreshToken, newRefreshToken } from './tokens.js';
import { checkCredentials } from './users.js';

export interface TokenGrant {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  session: Pick<Session, 'id' | 'createdAt' | 'expiresAt'>;
  user: User;
  /** False for a "remember": false login: the account page sets browser-session cookies. */
  persistent: boolean;
}

export interface LoginInput {
  email: string;
  password: string;
  /** false: a short lifetime (SESSION_SHORT_TTL) and, in a browser, cookies that end with it. */
  remember?: boolean;
  /** The user's name for this device; shown instead of the parsed User-Agent. */
  deviceName?: string;
}

/**
 * Opens a session for valid credentials; 401 otherwise, the same answer for
 * unknown emails. Over MAX_SESSIONS_PER_USER it ends the least recently used
 * sessions (reason "session_limit") or, with SESSION_LIMIT_POLICY=deny,
 * answers 409. The user row is locked for that, so concurrent logins of one
 * user count one after another and the limit holds exactly.
 */
export async function login(ctx: Context, input: LoginInput, origin: RequestOrigin): Promise<TokenGrant> {
  const user = await checkCredentials(ctx, input.email, input.password);
  if (!user) {
    ctx.metrics.logins.inc({ result: 'failure' });
    await ctx.store.insertAuditEvent({
      action: 'login.failed',
      reason: 'bad_credentials',
      actorUserId: null,
      targetUserId: null,
      sessionIds: [],
      ...origin,
      details: {},
    });
    throw new AppError('UNAUTHORIZED', 'Invalid email or password');
  }
  const policy = ctx.settings.policy;
  const persistent = input.remember !== false;
  const refresh = newRefreshToken();
  const { result: session } = await withSessionEnding(ctx, async (tx, end) => {
    const now = new Date();
    if (policy.maxPerUser !== null) {
      await tx.lockUser(user.id);
      if (!(await makeRoom(ctx, tx, end, user.id, policy.maxPerUser, now.getTime(), origin))) return null;
    }
    const s = await tx.insertSession({
      id: randomUUID(),
      userId: user.id,
      expiresAt: new Date(now.getTime() + (persistent ? policy.absoluteTtl : policy.shortTtl) * 1000),
      ...origin,
      at: now,
      persistent,
      deviceName: input.deviceName ?? null,
    });
    await tx.insertRefreshToken(refresh.hash, s.id, s.expiresAt);
    await tx.insertAuditEvent({
      action: 'session.created',
      reason: 'login',
      actorUserId: user.id,
      targetUserId: user.id,
      sessionIds: [s.id],
      ...origin,
      details: persistent ? {} : { remember: false },
    });
    return s;
  });
  if (!session) {
    ctx.metrics.logins.inc({ result: 'denied' });
    await ctx.store.insertAuditEvent({
      action: 'login.denied',
      reason: 'session_limit',
      actorUserId: user.id,
      targetUserId: user.id,
      sessionIds: [],
      ...origin,
      details: { limit: policy.maxPerUser },
    });
    throw new AppError(
      'CONFLICT',
      `Session limit reached (${policy.maxPerUser} active sessions); sign out of one of them first`,
    );
  }
  ctx.metrics.logins.inc({ result: 'success' });
  return grant(ctx, user, session, refresh.token);
}

/**
 * Makes room for one more session under the limit, inside the login's
 * transaction (the user row locked). Sessions already past their idle limit
 * end as such and do not count. Returns false when the policy is to deny.
 */
async function makeRoom(
  ctx: Context,
  tx: Parameters<Parameters<typeof withSessionEnding>[1]>[0],
  end: EndSessions,
  userId: string,
  limit: number,
  now: number,
  origin: RequestOrigin,
): Promise<boolean> {
  const policy = ctx.settings.policy;
  const audit = { actorUserId: userId, origin };
  const sessions = await tx.listActiveSessions(userId);
  const idle = sessions.filter((s) => isIdle(policy, ctx.activity.lastUse(s), now));
  if (idle.length > 0)
    await end({ sessionIds: idle.map((s) => s.id) }, 'idle_timeout', { ...audit, details: { by: 'login' } });
  const active = sessions.filter((s) => !isIdle(policy, ctx.activity.lastUse(s), now));
  const over = active.length - limit + 1;
  if (over <= 0) return true;
  if (policy.limitPolicy === 'deny') return false;
  // Least recently used first; ties (never used since login) by age, then id, so the choice is stable.
  const lru = active
    .sort(
      (a, b) =>
        ctx.activity.lastUse(a) - ctx.activity.lastUse(b) ||
        a.createdAt.getTime() - b.createdAt.getTime() ||
        (a.id < b.id ? -1 : 1),
    )
    .slice(0, over);
  await end({ sessionIds: lru.map((s) => s.id) }, 'session_limit', { ...audit, details: { limit } });
  return true;
}

/**
 * Exchanges a refresh token for a new pair (rotation). Presenting a token that
 * was already exchanged means it leaked or raced: the whole session ends
 * (RFC 9700 §4.14 reuse detection) and every token of it stops working.
 */
export async function refresh(
  ctx: Context,
  refreshToken: string,
  origin: RequestOrigin,
): Promise<TokenGrant> {
  const hash = hashRefreshToken(refreshToken);
  const next = newRefreshToken();
  const { result } = await withSessionEnding(ctx, async (tx, end) => {
    // Token row, then session row: the session lock serialises us against logout,
    // so a session cannot end between our check and our new token.
    const token = await tx.lockRefreshToken(hash);
    if (!token) return { error: 'Unknown refresh token' } as const;
    const session = await tx.lockSession(token.sessionId);
    if (!session || session.endedAt) return { error: 'Session has ended' } as const;
    if (token.rotatedAt) {
      await end({ sessionIds: [session.id] }, 'refresh_reuse', {
        actorUserId: null,
        origin,
        details: { rotatedAt: token.rotatedAt.toISOString() },
      });
      return { error: 'Refresh token was already used; the session has been ended' } as const;
    }
    const now = Date.now();
    // The absolute lifetime wins over any activity; then the idle timeout. Either ends the
    // session here, through the one ending path, rather than waiting for the sweeper.
    const lapsed = policyEnding(ctx, session, now);
    if (lapsed) {
      await end({ sessionIds: [session.id] }, lapsed, {
        actorUserId: null,
        origin,
        details: { by: 'refresh' },
      });
      return {
        error: lapsed === 'expired' ? 'Session has expired' : 'Session has been idle too long; sign in again',
      } as const;
    }
    if (token.expiresAt.getTime() <= now) return { error: 'Refresh token has expired' } as const;
    const user = await tx.findUserById(session.userId);
    if (!user) return { error: 'Session has ended' } as const;
    await tx.markRefreshTokenRotated(hash);
    await tx.insertRefreshToken(next.hash, session.id, session.expiresAt);
    await tx.touchSession(session.id, new Date(now));
    const { passwordHash: _, ...publicUser } = user;
    return { user: publicUser, session } as const;
  });
  // Thrown only now, so that a reuse detection above has committed its ending.
  if ('error' in result) throw new AppError('UNAUTHORIZED', result.error);
  return grant(ctx, result.user, result.session, next.token);
}

/** Which policy ending, if any, a session has reached at `now`: the absolute lifetime first. */
function policyEnding(ctx: Context, session: Session, now: number): 'expired' | 'idle_timeout' | null {
  if (session.expiresAt.getTime() <= now) return 'expired';
  if (isIdle(ctx.settings.policy, ctx.activity.lastUse(session), now)) return 'idle_timeout';
  return null;
}

async function grant(ctx: Context, user: User, session: Session, refreshToken: string): Promise<TokenGrant> {
  // Issuing is a use: a token expires no later than the idle limit counted from now.
  const access = await ctx.tokens.issue(
    user,
    session,
    new Date(Date.now() + ctx.settings.policy.idleTtl * 1000),
  );
  return {
    accessToken: access.token,
    expiresIn: access.expiresIn,
    refreshToken,
    refreshExpiresIn: Math.max(0, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000)),
    session: { id: session.id, createdAt: session.createdAt, expiresAt: session.expiresAt },
    user,
    persistent: session.persistent,
  };
}

export interface ListedSession extends Session {
  device: Device;
  current: boolean;
}

/**
 * The caller's active sessions, newest first, the current one flagged, each
 * with its device and its last use as this instance knows it (its own
 * unwritten uses included). Sessions past their idle limit are not listed.
 */
export async function listSessions(ctx: Context, caller: Caller): Promise<ListedSession[]> {
  const now = Date.now();
  const sessions = await ctx.store.listActiveSessions(caller.userId);
  return sessions
    .filter((s) => !ctx.revocations.isEnded(s.id) && !policyEnding(ctx, s, now))
    .map((s) => ({
      ...s,
      lastUsedAt: new Date(ctx.activity.lastUse(s)),
      device: deviceOf(s.userAgent),
      current: s.id === caller.sessionId,
    }));
}
