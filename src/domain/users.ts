import { randomUUID } from 'node:crypto';
import { queueVerification } from '../mail/verification.js';
import type { AdminActor } from './admin.js';
import type { Context } from './context.js';
import { AppError } from './errors.js';
import type { RequestOrigin, Role, User, UserRecord } from './model.js';
import {
  hashPassword,
  passwordWeakness,
  refuseIllFormed,
  verifyAgainstDummy,
  verifyPassword,
} from './passwords.js';

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** A stored user as it may be shown: no password hash, no operator state. */
export const publicUser = ({ passwordHash: _, disabledAt: __, ...user }: UserRecord): User => user;

export interface NewAccount {
  email: string;
  password: string;
  name?: string | null;
  roles?: Role[];
  /**
   * Who grants roles beyond "user" (the admin CLI's OS account, or "ADMIN_EMAIL" for the
   * environment); recorded with the grant, since an account made admin is a role change.
   */
  grantedBy?: string | null;
}

/**
 * Creates an account; 422 for a weak password, 409 when the email is taken.
 * Audited as done by the new user (self-registration) unless an operator did
 * it (`by`: the admin CLI), who is then the actor.
 */
export async function register(
  ctx: Context,
  input: NewAccount,
  origin: RequestOrigin,
  by?: AdminActor,
): Promise<User> {
  const email = normalizeEmail(input.email);
  const weakness = passwordWeakness(input.password, email);
  if (weakness)
    throw new AppError('VALIDATION_ERROR', weakness, { details: [{ path: '/password', message: weakness }] });
  const passwordHash = await hashPassword(input.password);
  // An operator vouches for the address of an account they make; anyone else proves theirs by mail.
  const byOperator = by !== undefined || (input.grantedBy ?? null) !== null;
  const user = await ctx.store.transaction(async (tx) => {
    const created = await tx.insertUser({
      id: randomUUID(),
      email,
      name: input.name?.trim() || null,
      passwordHash,
      roles: input.roles ?? ['user'],
      emailVerified: byOperator,
    });
    if (created) {
      if (!byOperator) await queueVerification(ctx, tx, created);
      await tx.insertAuditEvent({
        action: 'user.registered',
        reason: by ? 'admin' : null,
        actorUserId: by ? null : created.id,
        targetUserId: created.id,
        sessionIds: [],
        ...origin,
        details: by ? { roles: created.roles, operator: by.operator } : { roles: created.roles },
      });
      const added = created.roles.filter((r) => r !== 'user');
      if (added.length > 0)
        await tx.insertAuditEvent({
          action: 'user.roles_changed',
          reason: 'admin',
          actorUserId: null,
          targetUserId: created.id,
          sessionIds: [],
          ...origin,
          details: { added, roles: created.roles, operator: input.grantedBy ?? by?.operator ?? null },
        });
    }
    return created;
  });
  if (!user) throw new AppError('CONFLICT', 'An account with this email already exists');
  if (!byOperator) ctx.outbox.written();
  return user;
}

/** What a login attempt's credentials prove. */
export type CredentialCheck =
  | { ok: true; user: User; passwordHash: string }
  | {
      ok: false;
      /** The account the email names, if any: the audit event's target. Never told to the caller. */
      accountId: string | null;
      reason: 'bad_credentials' | 'account_disabled';
    };

/**
 * Checks an email and password. Unknown emails cost the same argon2
 * verification as known ones, and a disabled account's password is verified
 * too, so neither the answer nor its timing tells whether an account exists
 * or is disabled.
 */
export async function checkCredentials(
  ctx: Context,
  email: string,
  password: string,
): Promise<CredentialCheck> {
  refuseIllFormed(password, '/password');
  const found = await ctx.store.findUserByEmail(normalizeEmail(email));
  if (!found) {
    await verifyAgainstDummy(password);
    return { ok: false, accountId: null, reason: 'bad_credentials' };
  }
  if (!(await verifyPassword(found.passwordHash, password)))
    return { ok: false, accountId: found.id, reason: 'bad_credentials' };
  if (found.disabledAt) return { ok: false, accountId: found.id, reason: 'account_disabled' };
  return { ok: true, user: publicUser(found), passwordHash: found.passwordHash };
}

/** How the environment appears as the operator of what it does (ADMIN_EMAIL). */
export const ENVIRONMENT_OPERATOR = 'ADMIN_EMAIL';

/**
 * ADMIN_EMAIL + ADMIN_PASSWORD at start: creates that admin when no account
 * has the email. An existing account is never promoted: whoever registered it
 * chose its password, and the operator's ADMIN_PASSWORD would not even log in
 * to it. Starting is refused instead, naming the CLI as the way out.
 */
export async function ensureAdmin(
  ctx: Context,
  email: string,
  password: string,
): Promise<{ user: User; created: boolean }> {
  const existing = await ctx.store.findUserByEmail(normalizeEmail(email));
  if (existing) {
    const { passwordHash: _, ...user } = existing;
    if (user.roles.includes('admin')) return { user, created: false };
    throw new AppError(
      'CONFLICT',
      `ADMIN_EMAIL names ${user.email}, an existing account that is not an admin; ` +
        'Gatehouse will not grant the admin role to an account whose password it did not set. ' +
        `If that account is yours, grant it with: gatehouse users create --email ${user.email} --admin; ` +
        'otherwise choose another ADMIN_EMAIL.',
    );
  }
  const user = await register(
    ctx,
    { email, password, roles: ['user', 'admin'], grantedBy: ENVIRONMENT_OPERATOR },
    { ip: null, userAgent: 'gatehouse-cli' },
  );
  return { user, created: true };
}
