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

/** Makes sure an admin account exists for this email (first start, CLI). */
export async function ensureAdmin(
  ctx: Context,
  email: string,
  password: string,
): Promise<{ user: User; created: boolean }> {
  const existing = await ctx.store.findUserByEmail(normalizeEmail(email));
  if (existing) {
    const { passwordHash: _, ...user } = existing;
    if (!user.roles.includes('admin')) {
      user.roles = [...user.roles, 'admin'];
      await ctx.store.setRoles(user.id, user.roles);
    }
    return { user, created: false };
  }
  const user = await register(
    ctx,
    { email, password, roles: ['user', 'admin'] },
    { ip: null, userAgent: 'gatehouse-cli' },
  );
  return { user, created: true };
}
