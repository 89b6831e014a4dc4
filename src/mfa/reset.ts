import type { AdminActor } from '../domain/admin.js';
import type { Context } from '../domain/context.js';
import type { User } from '../domain/model.js';

export interface FactorsRemoved {
  /** 'enabled', 'pending' (an enrolment never confirmed), or null when there was none. */
  totp: 'enabled' | 'pending' | null;
  recoveryCodes: number;
  passkeys: string[];
}

/**
 * `gatehouse users reset-factors`: for someone who lost their device. Removes
 * TOTP, the recovery codes and every passkey in one transaction, with one
 * audit event saying what went; the password alone signs in afterwards.
 * Sessions are left alone: whoever lost a device and wants them ended says so
 * (`gatehouse sessions end`).
 */
export async function resetFactors(ctx: Context, user: User, actor: AdminActor): Promise<FactorsRemoved> {
  return ctx.store.transaction(async (tx) => {
    const totp = await tx.findTotp(user.id);
    await tx.deleteTotp(user.id);
    const removed: FactorsRemoved = {
      totp: totp ? (totp.confirmedAt ? 'enabled' : 'pending') : null,
      recoveryCodes: await tx.deleteRecoveryCodes(user.id),
      passkeys: await tx.deletePasskeys(user.id),
    };
    await tx.insertAuditEvent({
      action: 'mfa.factors_reset',
      reason: 'admin',
      actorUserId: null,
      targetUserId: user.id,
      sessionIds: [],
      ...actor.origin,
      details: { operator: actor.operator, ...removed },
    });
    return removed;
  });
}
