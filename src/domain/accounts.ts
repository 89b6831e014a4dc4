import type { AdminActor } from './admin.js';
import type { Context } from './context.js';
import { AppError } from './errors.js';
import type { EndedSession, EndReason, User } from './model.js';
import { hashPassword, passwordWeakness } from './passwords.js';
import { type EndSessions, withSessionEnding } from './session-ending.js';
import type { Queries } from './store.js';

/**
 * What an operator does to an account (the admin CLI): disable, enable,
 * delete, set its password. Each that takes access away changes the user row
 * first (which orders it against a login, domain/sessions.ts) and then, in
 * the same transaction, ends every session of the user through the one
 * ending path, so the change, its audit events, the NOTIFY to every instance
 * and the webhook events commit together.
 */

export interface AccountChange {
  /** False when there was nothing to do (already disabled, already enabled). */
  changed: boolean;
  endedSessions: EndedSession[];
}

/** No more logins or refreshes; every session ends now (reason "user_disabled"). */
export function disableUser(ctx: Context, user: User, actor: AdminActor): Promise<AccountChange> {
  return changeAccount(ctx, user, actor, 'user.disabled', 'user_disabled', (tx) =>
    tx.setUserDisabled(user.id, true),
  );
}

/** Lets a disabled account log in again; its ended sessions stay ended. */
export async function enableUser(ctx: Context, user: User, actor: AdminActor): Promise<AccountChange> {
  return changeAccount(ctx, user, actor, 'user.enabled', null, (tx) => tx.setUserDisabled(user.id, false));
}

/**
 * Deletes the account: its sessions end (reason "user_deleted") and stay, as
 * the record of that, and its email is free again. The audit log keeps the
 * id, as it keeps every event's.
 */
export async function deleteUser(ctx: Context, user: User, actor: AdminActor): Promise<AccountChange> {
  const result = await changeAccount(ctx, user, actor, 'user.deleted', 'user_deleted', (tx) =>
    tx.deleteUser(user.id),
  );
  if (!result.changed) throw new AppError('NOT_FOUND', `User ${user.email} not found`);
  return result;
}

/**
 * Sets a new password (the registration rules apply: 422) and ends every
 * session (reason "password_changed"): whoever knew the old one is out.
 */
export async function setUserPassword(
  ctx: Context,
  user: User,
  password: string,
  actor: AdminActor,
): Promise<AccountChange> {
  const weakness = passwordWeakness(password, user.email);
  if (weakness) throw new AppError('VALIDATION_ERROR', weakness);
  const hash = await hashPassword(password);
  const result = await changeAccount(ctx, user, actor, 'user.password_changed', 'password_changed', (tx) =>
    tx.setPasswordHash(user.id, hash),
  );
  if (!result.changed) throw new AppError('NOT_FOUND', `User ${user.email} not found`);
  return result;
}

async function changeAccount(
  ctx: Context,
  user: User,
  actor: AdminActor,
  action: string,
  reason: EndReason | null,
  change: (tx: Queries) => Promise<boolean>,
): Promise<AccountChange> {
  const { result, ended } = await withSessionEnding(ctx, async (tx, end: EndSessions) => {
    if (!(await change(tx))) return false;
    await tx.insertAuditEvent({
      action,
      reason: 'admin',
      actorUserId: null,
      targetUserId: user.id,
      sessionIds: [],
      ...actor.origin,
      details: { operator: actor.operator },
    });
    if (reason)
      await end({ userId: user.id }, reason, {
        actorUserId: null,
        origin: actor.origin,
        details: { operator: actor.operator },
      });
    return true;
  });
  return { changed: result, endedSessions: ended };
}
