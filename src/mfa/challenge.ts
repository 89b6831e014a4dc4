import type { Context } from '../domain/context.js';
import type { RequestOrigin, User } from '../domain/model.js';
import { newOpaqueToken } from './secrets.js';

/** How long the second step may wait for, and how many wrong codes it may take. */
export const MFA_TOKEN_TTL_MS = 5 * 60 * 1000;
export const MFA_TOKEN_MAX_FAILURES = 5;

/** The password step's answer for an account with a second factor: no session yet. */
export interface SecondFactorRequired {
  mfaRequired: true;
  mfaToken: string;
  methods: ('totp' | 'recovery_code')[];
}

/**
 * After a right password: null when the account has no TOTP enabled (the
 * login goes on), else an mfaToken for POST /auth/login/mfa. Only its hash is
 * stored, with the login's remember and deviceName, to be carried to the session.
 */
export async function secondFactorChallenge(
  ctx: Context,
  user: User,
  input: { remember?: boolean; deviceName?: string },
  origin: RequestOrigin,
): Promise<SecondFactorRequired | null> {
  const totp = await ctx.store.findTotp(user.id);
  if (!totp?.confirmedAt) return null;
  const { token, hash } = newOpaqueToken();
  await ctx.store.transaction(async (tx) => {
    await tx.insertMfaToken(hash, {
      userId: user.id,
      remember: input.remember !== false,
      deviceName: input.deviceName ?? null,
      failures: 0,
      expiresAt: new Date(Date.now() + MFA_TOKEN_TTL_MS),
    });
    await tx.insertAuditEvent({
      action: 'login.mfa_required',
      reason: null,
      actorUserId: user.id,
      targetUserId: user.id,
      sessionIds: [],
      ...origin,
      details: {},
    });
  });
  return { mfaRequired: true, mfaToken: token, methods: ['totp', 'recovery_code'] };
}
