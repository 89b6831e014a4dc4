import { type SecondFactorRequired, secondFactorChallenge } from '../mfa/challenge.js';
import type { Context } from './context.js';
import { AppError } from './errors.js';
import type { ProofMethod, RequestOrigin, Session, User } from './model.js';
import { isIdle } from './policy.js';
import { openPair, type SealedPair, sealPair } from './refresh-grace.js';
import { type EndSessions, withSessionEnding } from './session-ending.js';
import { newSessionId } from './session-ids.js';
import type { Queries, RefreshTokenRow } from './store.js';
import { hashRefreshToken, newRefreshToken } from './tokens.js';
import { checkCredentials, publicUser } from './users.js';

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

/** How a login proved who it is: the audit event of its session says which. */
export type LoginMethod = 'password' | 'totp' | 'recovery_code' | 'passkey';

/** What each way of logging in proved, recorded on its session (an ID token's `amr`). */
const PROVEN_BY: Record<LoginMethod, readonly ProofMethod[]> = {
  password: ['password'],
  // The second step of POST /auth/login/mfa follows a password step.
  totp: ['password', 'totp'],
  recovery_code: ['password', 'recovery_code'],
  passkey: ['passkey'],
};

/**
 * The second step of a login, run first inside the transaction that opens
 * the session (it consumes an mfaToken, a recovery code, a TOTP step). It
 * returns null to go on, or why the login is refused: that refusal commits
 * (failure counts, audit) and is answered 401 with its text.
 */
export type SecondStep = (tx: Queries, user: User) => Promise<string | null>;

export interface SessionOpening {
  remember?: boolean;
  deviceName?: string | null;
  method: LoginMethod;
  /** A password login: the hash the password was checked against, which must still be the account's. */
  passwordHash?: string;
  secondStep?: SecondStep;
}

/**
 * Checks the credentials, then either opens a session or, for an account with
 * TOTP enabled, answers that a second factor is required (no session yet).
 * 401 otherwise, the same answer for unknown emails.
 */
export async function login(
  ctx: Context,
  input: LoginInput,
  origin: RequestOrigin,
): Promise<TokenGrant | SecondFactorRequired> {
  const check = await checkCredentials(ctx, input.email, input.password);
  if (!check.ok) return refuseLogin(ctx, check.accountId, check.reason, origin);
  // Only now, with the password proved, may the answer say anything about the account.
  await requireVerifiedEmail(ctx, check.user, origin);
  const challenge = await secondFactorChallenge(ctx, check.user, input, origin);
  if (challenge) return challenge;
  return openSession(
    ctx,
    check.user,
    { ...input, method: 'password', passwordHash: check.passwordHash },
    origin,
  );
}

/**
 * Opens a session for a user whose proof has been checked (a password, a
 * second factor, a passkey). Over MAX_SESSIONS_PER_USER it ends the least
 * recently used sessions (reason "session_limit") or, with
 * SESSION_LIMIT_POLICY=deny, answers 409. The user row is locked for that, so
 * concurrent logins of one user count one after another and the limit holds exactly.
 */
export async function openSession(
  ctx: Context,
  user: User,
  opening: SessionOpening,
  origin: RequestOrigin,
): Promise<TokenGrant> {
  const policy = ctx.settings.policy;
  const persistent = opening.remember !== false;
  const refresh = newRefreshToken();
  const { result: session } = await withSessionEnding(ctx, async (tx, end) => {
    // The row as it is now, held until commit: an operator who disabled, deleted or
    // re-passworded the account while argon2 ran (or does so now) wins, and one who
    // comes after this commit finds the new session and ends it. The same lock makes
    // concurrent logins of one user count one after another against the session limit.
    const locked = await tx.lockUser(user.id);
    if (
      !locked ||
      locked.disabledAt ||
      (opening.passwordHash !== undefined && locked.passwordHash !== opening.passwordHash)
    )
      return locked?.disabledAt ? ('account_disabled' as const) : ('bad_credentials' as const);
    const now = new Date();
    if (opening.secondStep) {
      // A login the session limit will deny keeps its code and mfaToken for later.
      if (policy.maxPerUser !== null && policy.limitPolicy === 'deny') {
        const active = (await tx.listActiveSessions(user.id)).filter(
          (s) => !isIdle(policy, ctx.activity.lastUse(s), now.getTime()),
        );
        if (active.length >= policy.maxPerUser) return null;
      }
      const refused = await opening.secondStep(tx, user);
      if (refused) return { refused };
    }
    if (
      policy.maxPerUser !== null &&
      !(await makeRoom(ctx, tx, end, user.id, policy.maxPerUser, now.getTime(), origin))
    )
      return null;
    const s = await tx.insertSession({
      id: newSessionId(now.getTime()),
      userId: user.id,
      expiresAt: new Date(now.getTime() + (persistent ? policy.absoluteTtl : policy.shortTtl) * 1000),
      ...origin,
      at: now,
      persistent,
      deviceName: opening.deviceName ?? null,
      authMethods: PROVEN_BY[opening.method],
    });
    await tx.insertRefreshToken(refresh.hash, s.id, s.expiresAt);
    await tx.insertAuditEvent({
      action: 'session.created',
      reason: 'login',
      actorUserId: user.id,
      targetUserId: user.id,
      sessionIds: [s.id],
      ...origin,
      details: {
        ...(persistent ? {} : { remember: false }),
        ...(opening.method === 'password' ? {} : { method: opening.method }),
      },
    });
    return s;
  });
  if (typeof session === 'string') return refuseLogin(ctx, user.id, session, origin);
  if (session && 'refused' in session) {
    ctx.metrics.logins.inc({ result: 'failure' });
    throw new AppError('UNAUTHORIZED', session.refused);
  }
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
 * REQUIRE_VERIFIED_EMAIL, for every way of signing in (a password, a passkey): an account whose
 * address is not proved yet gets 403 EMAIL_NOT_VERIFIED and no session, audited. Call it only
 * once the proof has been checked: before that, the answer would tell anyone whether an address
 * is verified. (A login's second step needs no check: its password step made it.)
 */
export async function requireVerifiedEmail(
  ctx: Context,
  user: Pick<User, 'id' | 'emailVerified'>,
  origin: RequestOrigin,
): Promise<void> {
  if (ctx.mail.requireVerifiedEmail && !user.emailVerified) await refuseUnverified(ctx, user.id, origin);
}

async function refuseUnverified(ctx: Context, userId: string, origin: RequestOrigin): Promise<never> {
  ctx.metrics.logins.inc({ result: 'denied' });
  await ctx.store.insertAuditEvent({
    action: 'login.denied',
    reason: 'email_not_verified',
    actorUserId: userId,
    targetUserId: userId,
    sessionIds: [],
    ...origin,
    details: {},
  });
  throw new AppError('EMAIL_NOT_VERIFIED');
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
    await tx.touchSession(session.id, new Date(now));
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
    persistent: session.persistent,
  };
}

/** Which policy ending, if any, a session has reached at `now`: the absolute lifetime first. */
export function policyEnding(ctx: Context, session: Session, now: number): 'expired' | 'idle_timeout' | null {
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
