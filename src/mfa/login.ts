import type { Context } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import type { RequestOrigin } from '../domain/model.js';
import { openSession, type TokenGrant } from '../domain/sessions.js';
import type { Queries } from '../domain/store.js';
import { publicUser } from '../domain/users.js';
import { MFA_TOKEN_MAX_FAILURES } from './challenge.js';
import { hashRecoveryCode } from './recovery-codes.js';
import { sha256 } from './secrets.js';
import { useTotpCode } from './totp.js';

export interface SecondFactorInput {
  mfaToken: string;
  /** Exactly one of code and recoveryCode. */
  code?: string;
  recoveryCode?: string;
  remember?: boolean;
  deviceName?: string;
}

/**
 * The email of the account an mfaToken belongs to, or null: the second step
 * is rate limited and backed off per account, like the password it follows.
 */
export async function mfaTokenAccount(ctx: Context, mfaToken: string): Promise<string | null> {
  const pending = await ctx.store.findMfaToken(sha256(mfaToken));
  return pending ? ((await ctx.store.findUserById(pending.userId))?.email ?? null) : null;
}

const EXPIRED = 'The login has expired or was already completed; sign in with your password again';

/**
 * POST /auth/login/mfa: the second step. In one transaction with the session
 * it opens, it locks the mfaToken's row, checks it has not expired, checks
 * the code and consumes the token, the TOTP step or the recovery code. A wrong
 * code is counted on the token; the fifth kills it. Either way the answer is 401.
 */
export async function completeSecondFactor(
  ctx: Context,
  input: SecondFactorInput,
  origin: RequestOrigin,
): Promise<TokenGrant> {
  if ((input.code === undefined) === (input.recoveryCode === undefined)) {
    const message =
      input.code === undefined ? 'needs code or recoveryCode' : 'takes code or recoveryCode, not both';
    throw new AppError('VALIDATION_ERROR', `/: ${message}`, { details: [{ path: '/', message }] });
  }
  const hash = sha256(input.mfaToken);
  // Read first to learn whose login this is; locked and checked again inside the transaction.
  const pending = await ctx.store.findMfaToken(hash);
  const user = pending && (await ctx.store.findUserById(pending.userId));
  if (!pending || !user) throw new AppError('UNAUTHORIZED', EXPIRED);
  const method = input.code !== undefined ? ('totp' as const) : ('recovery_code' as const);
  return openSession(
    ctx,
    publicUser(user),
    {
      method,
      remember: input.remember ?? pending.remember,
      deviceName: input.deviceName ?? pending.deviceName,
      secondStep: async (tx) => {
        const token = await tx.lockMfaToken(hash);
        if (!token || token.userId !== user.id) return EXPIRED;
        if (token.expiresAt.getTime() <= Date.now()) {
          await tx.deleteMfaToken(hash);
          return EXPIRED;
        }
        if (await checkFactor(tx, user.id, input)) {
          await tx.deleteMfaToken(hash);
          if (method === 'recovery_code')
            await tx.insertAuditEvent({
              action: 'mfa.recovery_code_used',
              reason: null,
              actorUserId: user.id,
              targetUserId: user.id,
              sessionIds: [],
              ...origin,
              details: { remaining: await tx.countRecoveryCodes(user.id) },
            });
          return null;
        }
        const failures = await tx.countMfaFailure(hash);
        const killed = failures >= MFA_TOKEN_MAX_FAILURES;
        if (killed) await tx.deleteMfaToken(hash);
        await tx.insertAuditEvent({
          action: 'login.failed',
          reason: 'bad_second_factor',
          actorUserId: null,
          targetUserId: user.id,
          sessionIds: [],
          ...origin,
          details: { method, failures, ...(killed ? { mfaTokenEnded: true } : {}) },
        });
        return killed
          ? 'Too many wrong codes; this login has ended: sign in with your password again'
          : 'The code is wrong, expired or already used';
      },
    },
    origin,
  );
}

const checkFactor = async (tx: Queries, userId: string, input: SecondFactorInput): Promise<boolean> =>
  input.code !== undefined
    ? useTotpCode(tx, userId, input.code)
    : tx.useRecoveryCode(userId, hashRecoveryCode(input.recoveryCode ?? ''));
