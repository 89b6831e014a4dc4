import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Context } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import type { RequestOrigin } from '../domain/model.js';
import { proveCallerPassword } from '../domain/reauthentication.js';
import type { Queries } from '../domain/store.js';
import type { Caller } from '../domain/tokens.js';
import { verifyPasskeyAssertion } from './passkeys.js';
import { useTotpCode } from './totp.js';

/** One of: the password, a TOTP code, or a passkey assertion (docs/api.md §7, §8). */
export type Proof =
  | { password: string }
  | { code: string }
  | { passkey: { challengeId: string; response: AuthenticationResponseJSON } };

const method = (proof: Proof) => ('password' in proof ? 'password' : 'code' in proof ? 'totp' : 'passkey');

/**
 * POST /auth/reauthenticate: proves it is still the caller, by any factor the
 * account has, and renews the session's authTime. A wrong proof is audited and
 * answered 401 (rate limited and backed off like a wrong password); it changes
 * nothing, except that a passkey's challenge is spent.
 */
export async function reauthenticate(
  ctx: Context,
  caller: Caller,
  proof: Proof,
  origin: RequestOrigin,
): Promise<{ authTime: Date }> {
  let check: ((tx: Queries) => Promise<boolean>) | null = null;
  if ('password' in proof)
    await proveCallerPassword(ctx, caller, proof.password, origin, {
      path: '/password',
      failedAction: 'session.reauthentication_failed',
      wrong: 'Password is incorrect',
    });
  else if ('code' in proof) check = (tx) => useTotpCode(tx, caller.userId, proof.code);
  else {
    const { passkey, verified } = await verifyPasskeyAssertion(ctx, proof.passkey);
    if (!verified || passkey?.userId !== caller.userId) check = async () => false;
  }
  const authTime = new Date();
  const outcome = await ctx.store.transaction(async (tx) => {
    // The code's step is recorded as used in this transaction, with the new authTime.
    if (check && !(await check(tx))) return 'wrong' as const;
    // The proof replaces the login's as what the session was proven by (auth_time and amr go
    // together in an ID token): a TOTP code alone is one factor, whatever the login proved.
    if (!(await tx.setAuthTime(caller.sessionId, authTime, [method(proof)]))) return 'ended' as const;
    await tx.insertAuditEvent({
      action: 'session.reauthenticated',
      reason: method(proof),
      actorUserId: caller.userId,
      targetUserId: caller.userId,
      sessionIds: [caller.sessionId],
      ...origin,
      details: {},
    });
    return 'ok' as const;
  });
  if (outcome === 'ended') throw new AppError('UNAUTHORIZED', 'Session has ended');
  if (outcome === 'wrong') {
    await ctx.store.insertAuditEvent({
      action: 'session.reauthentication_failed',
      reason: 'bad_credentials',
      actorUserId: caller.userId,
      targetUserId: caller.userId,
      sessionIds: [caller.sessionId],
      ...origin,
      details: { method: method(proof) },
    });
    throw new AppError(
      'UNAUTHORIZED',
      'code' in proof ? 'The code is wrong, expired or already used' : 'The passkey could not be verified',
    );
  }
  return { authTime };
}
