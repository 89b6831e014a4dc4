import { randomUUID } from 'node:crypto';
import type { Context } from './context.js';
import { AppError } from './errors.js';
import type { RequestOrigin, Role, User } from './model.js';
import {
  hashPassword,
  passwordWeakness,
  refuseIllFormed,
  verifyAgainstDummy,
  verifyPassword,
} from './passwords.js';

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

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

/** Creates an account; 422 for a weak password, 409 when the email is taken. */
export async function register(ctx: Context, input: NewAccount, origin: RequestOrigin): Promise<User> {
  const email = normalizeEmail(input.email);
  const weakness = passwordWeakness(input.password, email);
  if (weakness)
    throw new AppError('VALIDATION_ERROR', weakness, { details: [{ path: '/password', message: weakness }] });
  const passwordHash = await hashPassword(input.password);
  const user = await ctx.store.transaction(async (tx) => {
    const created = await tx.insertUser({
      id: randomUUID(),
      email,
      name: input.name?.trim() || null,
      passwordHash,
      roles: input.roles ?? ['user'],
    });
    if (created) {
      await tx.insertAuditEvent({
        action: 'user.registered',
        reason: null,
        actorUserId: created.id,
        targetUserId: created.id,
        sessionIds: [],
        ...origin,
        details: { roles: created.roles },
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
          details: { added, roles: created.roles, operator: input.grantedBy ?? null },
        });
    }
    return created;
  });
  if (!user) throw new AppError('CONFLICT', 'An account with this email already exists');
  return user;
}

/**
 * The user these credentials prove, or null. Unknown emails cost the same
 * argon2 verification as known ones, so neither the answer nor its timing
 * tells whether an account exists.
 */
export async function checkCredentials(ctx: Context, email: string, password: string): Promise<User | null> {
  refuseIllFormed(password, '/password');
  const found = await ctx.store.findUserByEmail(normalizeEmail(email));
  if (!found) return verifyAgainstDummy(password).then(() => null);
  const { passwordHash, ...user } = found;
  return (await verifyPassword(passwordHash, password)) ? user : null;
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
