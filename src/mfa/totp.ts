import { generateSecret, generateURI, verify } from 'otplib';
import type { Context } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import type { RequestOrigin } from '../domain/model.js';
import { requireFreshProof } from '../domain/reauthentication.js';
import type { Queries } from '../domain/store.js';
import type { Caller } from '../domain/tokens.js';
import { newRecoveryCodes } from './recovery-codes.js';

/**
 * TOTP as RFC 6238 and every authenticator app have it: SHA-1, 6 digits, 30 s
 * steps (otplib's defaults, which the otpauth URI leaves implicit). A code is
 * accepted one step either side of now, for clocks that drift.
 */
const PERIOD = 30;
const TOLERANCE_SECONDS = PERIOD; // ±1 step

/**
 * The time step of a right code, or null. `after`: the last step used; a code
 * of that step or before is refused, so a code cannot be used twice (nor an
 * older one after a newer). The caller records the step with `useTotpStep`,
 * whose conditional UPDATE settles a race between two requests with one code.
 */
export async function verifyTotp(secret: string, code: string, after: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(Date.now() / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    ...(after === null ? {} : { afterTimeStep: after }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

/**
 * A code from the user's confirmed TOTP, checked and its step recorded as used
 * in `tx`. False for no TOTP, a wrong code or a replay.
 */
export async function useTotpCode(tx: Queries, userId: string, code: string): Promise<boolean> {
  const factor = await tx.findTotp(userId);
  if (!factor?.confirmedAt) return false;
  const step = await verifyTotp(factor.secret, code, factor.lastUsedStep);
  return step !== null && (await tx.useTotpStep(userId, step));
}

const audit = (
  caller: Caller,
  origin: RequestOrigin,
  action: string,
  details: Record<string, unknown> = {},
) => ({
  action,
  reason: null,
  actorUserId: caller.userId,
  targetUserId: caller.userId,
  sessionIds: [caller.sessionId],
  ...origin,
  details,
});

/**
 * POST /auth/totp/enroll (fresh proof): a new secret, pending until a code
 * confirms it; a new enrolment replaces a pending one. 409 once TOTP is enabled.
 */
export async function enrollTotp(
  ctx: Context,
  caller: Caller,
  origin: RequestOrigin,
): Promise<{ secret: string; otpauthUri: string }> {
  await requireFreshProof(ctx, caller);
  const secret = generateSecret();
  const started = await ctx.store.transaction(async (tx) => {
    // The account may have been deleted while this token lives (its sessions outlive it).
    if (!(await tx.lockUser(caller.userId))) throw new AppError('UNAUTHORIZED', 'Session has ended');
    if (!(await tx.putPendingTotp(caller.userId, secret))) return false;
    await tx.insertAuditEvent(audit(caller, origin, 'mfa.totp_enrolment_started'));
    return true;
  });
  if (!started) throw new AppError('CONFLICT', 'TOTP is already enabled; disable it first to enrol again');
  const { totpIssuer } = ctx.settings.secondFactors;
  return { secret, otpauthUri: generateURI({ issuer: totpIssuer, label: caller.email, secret }) };
}

/**
 * POST /auth/totp/confirm: the first code enables TOTP and returns 10 recovery
 * codes, shown this once. A wrong code (400 INVALID_CODE) changes nothing: the
 * enrolment stays pending, and no factor is enabled.
 */
export async function confirmTotp(
  ctx: Context,
  caller: Caller,
  code: string,
  origin: RequestOrigin,
): Promise<{ recoveryCodes: string[] }> {
  const { codes, hashes } = newRecoveryCodes();
  const outcome = await ctx.store.transaction(async (tx) => {
    const factor = await tx.findTotp(caller.userId);
    if (!factor) return 'none' as const;
    if (factor.confirmedAt) return 'enabled' as const;
    const step = await verifyTotp(factor.secret, code, null);
    if (step === null || !(await tx.confirmTotp(caller.userId, step))) return 'wrong' as const;
    await tx.replaceRecoveryCodes(caller.userId, hashes);
    await tx.insertAuditEvent(audit(caller, origin, 'mfa.totp_enabled', { recoveryCodes: hashes.length }));
    return 'ok' as const;
  });
  if (outcome === 'none')
    throw new AppError('CONFLICT', 'No TOTP enrolment is pending; start one at POST /auth/totp/enroll');
  if (outcome === 'enabled') throw new AppError('CONFLICT', 'TOTP is already enabled');
  if (outcome === 'wrong') {
    await ctx.store.insertAuditEvent(audit(caller, origin, 'mfa.totp_confirmation_failed'));
    throw new AppError('INVALID_CODE', 'The code is wrong or expired; TOTP stays disabled');
  }
  return { recoveryCodes: codes };
}

/** POST /auth/totp/disable (fresh proof): removes TOTP, pending or enabled, and the recovery codes. */
export async function disableTotp(ctx: Context, caller: Caller, origin: RequestOrigin): Promise<void> {
  await requireFreshProof(ctx, caller);
  const removed = await ctx.store.transaction(async (tx) => {
    const factor = await tx.findTotp(caller.userId);
    if (!factor || !(await tx.deleteTotp(caller.userId))) return false;
    const codes = await tx.deleteRecoveryCodes(caller.userId);
    await tx.insertAuditEvent(
      audit(caller, origin, 'mfa.totp_disabled', {
        wasEnabled: factor.confirmedAt !== null,
        recoveryCodes: codes,
      }),
    );
    return true;
  });
  if (!removed) throw new AppError('CONFLICT', 'TOTP is not enabled');
}

/** POST /auth/recovery-codes (fresh proof, TOTP enabled): 10 new codes; the old ones stop working. */
export async function regenerateRecoveryCodes(
  ctx: Context,
  caller: Caller,
  origin: RequestOrigin,
): Promise<{ recoveryCodes: string[] }> {
  await requireFreshProof(ctx, caller);
  const { codes, hashes } = newRecoveryCodes();
  const done = await ctx.store.transaction(async (tx) => {
    if (!(await tx.findTotp(caller.userId))?.confirmedAt) return false;
    await tx.replaceRecoveryCodes(caller.userId, hashes);
    await tx.insertAuditEvent(
      audit(caller, origin, 'mfa.recovery_codes_regenerated', { recoveryCodes: hashes.length }),
    );
    return true;
  });
  if (!done) throw new AppError('CONFLICT', 'Recovery codes come with TOTP: enable TOTP first');
  return { recoveryCodes: codes };
}

/** GET /auth/factors. A pending enrolment is not enabled. */
export async function listFactors(ctx: Context, caller: Caller) {
  const [totp, remaining, passkeys] = await Promise.all([
    ctx.store.findTotp(caller.userId),
    ctx.store.countRecoveryCodes(caller.userId),
    ctx.store.listPasskeys(caller.userId),
  ]);
  return {
    totp: { enabled: totp?.confirmedAt != null },
    recoveryCodes: { remaining },
    passkeys,
  };
}
