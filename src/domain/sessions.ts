import { randomUUID } from 'node:crypto';
import type { Queries, RefreshTokenRow } from '../storage/store.js';
import type { Context } from './context.js';
import { AppError } from './errors.js';
import type { RequestOrigin, Session, User } from './model.js';
import { openPair, type SealedPair, sealPair } from './refresh-grace.js';
import { withSessionEnding } from './session-ending.js';
import { type Caller, hashRefreshToken, newRefreshToken } from './tokens.js';
import { checkCredentials, publicUser } from './users.js';

export interface TokenGrant {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  session: Pick<Session, 'id' | 'createdAt' | 'expiresAt'>;
  user: User;
}

/** Opens a session for valid credentials; 401 otherwise, the same answer for unknown emails. */
export async function login(
  ctx: Context,
  input: { email: string; password: string },
  origin: RequestOrigin,
): Promise<TokenGrant> {
  const check = await checkCredentials(ctx, input.email, input.password);
  if (!check.ok) return refuseLogin(ctx, check.accountId, check.reason, origin);
  const { user } = check;
  const refresh = newRefreshToken();
  const session = await ctx.store.transaction(async (tx) => {
    // The row as it is now, held until commit: an operator who disabled, deleted or
    // re-passworded the account while argon2 ran (or does so now) wins, and one who
    // comes after this commit finds the new session and ends it.
    const now = await tx.lockUser(user.id);
    if (!now || now.disabledAt || now.passwordHash !== check.passwordHash)
      return now?.disabledAt ? ('account_disabled' as const) : ('bad_credentials' as const);
    const s = await tx.insertSession({
      id: randomUUID(),
      userId: user.id,
      expiresAt: new Date(Date.now() + ctx.settings.sessionTtl * 1000),
      ...origin,
    });
    await tx.insertRefreshToken(refresh.hash, s.id, s.expiresAt);
    await tx.insertAuditEvent({
      action: 'session.created',
      reason: 'login',
      actorUserId: user.id,
      targetUserId: user.id,
      sessionIds: [s.id],
      ...origin,
      details: {},
    });
    return s;
  });
  if (typeof session === 'string') return refuseLogin(ctx, user.id, session, origin);
  ctx.metrics.logins.inc({ result: 'success' });
  return grant(ctx, user, session, refresh.token);
}

/**
 * The one answer to a failed login, whatever the cause (unknown email, wrong
 * password, disabled account): 401, the same message. The audit event names
 * the account when there is one, and why.
 */
async function refuseLogin(
  ctx: Context,
  accountId: string | null,
  reason: 'bad_credentials' | 'account_disabled',
  origin: RequestOrigin,
): Promise<never> {
  ctx.metrics.logins.inc({ result: 'failure' });
  await ctx.store.insertAuditEvent({
    action: 'login.failed',
    reason,
    actorUserId: null,
    targetUserId: accountId,
    sessionIds: [],
    ...origin,
    details: {},
  });
  throw new AppError('UNAUTHORIZED', 'Invalid email or password');
}

/**
 * Exchanges a refresh token for a new pair (rotation). Presenting a token that
 * was already exchanged means it leaked or raced: the whole session ends
 * (RFC 9700 §4.14 reuse detection) and every token of it stops working.
 *
 * With a reuse grace (REFRESH_REUSE_GRACE > 0), a rotated token presented
 * again within the grace, for the first time, while the token it was
 * exchanged for is still unused, gets that same pair back (two tabs racing):
 * see replay() below. Anything else is reuse, as without the grace.
 */
export async function refresh(
  ctx: Context,
  refreshToken: string,
  origin: RequestOrigin,
): Promise<TokenGrant> {
  const hash = hashRefreshToken(refreshToken);
  const next = newRefreshToken();
  const graceMs = (ctx.settings.refreshReuseGrace ?? 0) * 1000;
  const { result } = await withSessionEnding(ctx, async (tx, end) => {
    // Token row, then session row: the session lock serialises us against logout,
    // so a session cannot end between our check and our new token.
    const token = await tx.lockRefreshToken(hash);
    if (!token) return { error: 'Unknown refresh token' } as const;
    const session = await tx.lockSession(token.sessionId);
    if (!session || session.endedAt) return { error: 'Session has ended' } as const;
    if (token.rotatedAt) {
      const again = graceMs > 0 ? await replay(tx, refreshToken, token, graceMs) : null;
      if (again) {
        await tx.markRefreshTokenReplayed(hash);
        const user = await tx.findUserById(session.userId);
        if (user && !user.disabledAt) return { user: publicUser(user), session, again } as const;
      }
      await end({ sessionIds: [session.id] }, 'refresh_reuse', {
        actorUserId: null,
        origin,
        details: { rotatedAt: token.rotatedAt.toISOString() },
      });
      return { error: 'Refresh token was already used; the session has been ended' } as const;
    }
    const now = Date.now();
    if (session.expiresAt.getTime() <= now || token.expiresAt.getTime() <= now)
      return { error: 'Refresh token has expired' } as const;
    const user = await tx.findUserById(session.userId);
    // Disabling ends the sessions too; this is for a session that somehow outlived it.
    if (!user || user.disabledAt) return { error: 'Session has ended' } as const;
    const account = publicUser(user);
    // With the grace on, the new pair is made here and kept sealed with the rotated token.
    let sealed: SealedPair | undefined;
    if (graceMs > 0) {
      const access = await ctx.tokens.issue(account, session);
      sealed = {
        refreshToken: next.token,
        accessToken: access.token,
        accessExpiresAt: Date.now() + access.expiresIn * 1000,
      };
    }
    await tx.markRefreshTokenRotated(hash, sealed && sealPair(refreshToken, sealed));
    await tx.insertRefreshToken(next.hash, session.id, session.expiresAt);
    await tx.touchSession(session.id);
    return { user: account, session, sealed } as const;
  });
  // Thrown only now, so that a reuse detection above has committed its ending.
  if ('error' in result) throw new AppError('UNAUTHORIZED', result.error);
  const pair = 'again' in result ? result.again : result.sealed;
  if (pair) return pairGrant(result.user, result.session, pair);
  return grant(ctx, result.user, result.session, next.token);
}

/**
 * The pair a rotated token was exchanged for, when it may be handed out once
 * more: within the grace, not handed out again before, and its refresh token
 * still unused (a tab that already moved on means this is no race). The
 * successor is read without a lock: rotating it needs the session lock, held here.
 */
async function replay(
  tx: Pick<Queries, 'findRefreshToken'>,
  refreshToken: string,
  token: RefreshTokenRow,
  graceMs: number,
): Promise<SealedPair | null> {
  if (!token.rotatedAt || !token.successorBox || token.replayedAt) return null;
  if (Date.now() - token.rotatedAt.getTime() > graceMs) return null;
  const pair = openPair(refreshToken, token.successorBox);
  if (!pair) return null;
  const successor = await tx.findRefreshToken(hashRefreshToken(pair.refreshToken));
  return successor && !successor.rotatedAt ? pair : null;
}

function pairGrant(user: User, session: Session, pair: SealedPair): TokenGrant {
  const now = Date.now();
  return {
    accessToken: pair.accessToken,
    expiresIn: Math.max(0, Math.floor((pair.accessExpiresAt - now) / 1000)),
    refreshToken: pair.refreshToken,
    refreshExpiresIn: Math.max(0, Math.floor((session.expiresAt.getTime() - now) / 1000)),
    session: { id: session.id, createdAt: session.createdAt, expiresAt: session.expiresAt },
    user,
  };
}

async function grant(ctx: Context, user: User, session: Session, refreshToken: string): Promise<TokenGrant> {
  const access = await ctx.tokens.issue(user, session);
  return {
    accessToken: access.token,
    expiresIn: access.expiresIn,
    refreshToken,
    refreshExpiresIn: Math.max(0, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000)),
    session: { id: session.id, createdAt: session.createdAt, expiresAt: session.expiresAt },
    user,
  };
}

/** The caller's active sessions, newest first, the current one flagged. */
export async function listSessions(
  ctx: Context,
  caller: Caller,
): Promise<(Session & { current: boolean })[]> {
  const sessions = await ctx.store.listActiveSessions(caller.userId);
  return sessions
    .filter((s) => !ctx.revocations.isEnded(s.id))
    .map((s) => ({ ...s, current: s.id === caller.sessionId }));
}
