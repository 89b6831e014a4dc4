import type { Context } from './context.js';
import { AppError } from './errors.js';
import { endPlanned, planAdminEnding } from './logout.js';
import type { AuditEvent, EndedSession, RequestOrigin, Session, User } from './model.js';
import { normalizeEmail, publicUser } from './users.js';

/** What an operator does outside the HTTP API (the admin CLI): no caller token, an origin and a note of who. */
export interface AdminActor {
  origin: RequestOrigin;
  /** Recorded in the audit event's details, e.g. the OS account that ran the CLI. */
  operator: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user named by id or by email, as an operator types it; null when there is none. */
export async function findUser(ctx: Context, idOrEmail: string): Promise<User | null> {
  const found = UUID.test(idOrEmail)
    ? await ctx.store.findUserById(idOrEmail.toLowerCase())
    : await ctx.store.findUserByEmail(normalizeEmail(idOrEmail));
  return found ? publicUser(found) : null;
}

export async function requireUser(ctx: Context, idOrEmail: string): Promise<User> {
  const user = await findUser(ctx, idOrEmail);
  if (!user) throw new AppError('NOT_FOUND', `User ${idOrEmail} not found`);
  return user;
}

/** Adds the admin role; returns the user and whether anything changed. Audited. */
export async function grantAdmin(
  ctx: Context,
  user: User,
  actor: AdminActor,
): Promise<{ user: User; granted: boolean }> {
  if (user.roles.includes('admin')) return { user, granted: false };
  const roles = [...user.roles, 'admin' as const];
  await ctx.store.transaction(async (tx) => {
    await tx.setRoles(user.id, roles);
    await tx.insertAuditEvent({
      action: 'user.roles_changed',
      reason: 'admin',
      actorUserId: null,
      targetUserId: user.id,
      sessionIds: [],
      ...actor.origin,
      details: { added: ['admin'], roles, operator: actor.operator },
    });
  });
  return { user: { ...user, roles }, granted: true };
}

export type AdminEndTarget = { userId: string } | { sessionId: string };

/**
 * An operator ends one session or every session of a user: the admin side of logout, with
 * the same checks (planAdminEnding) and through the same one path, so the change, its audit
 * event (reason "admin") and the NOTIFY that makes every running instance refuse the tokens
 * commit together.
 */
export async function endSessionsAsAdmin(
  ctx: Context,
  target: AdminEndTarget,
  actor: AdminActor,
): Promise<EndedSession[]> {
  const plan = await planAdminEnding(ctx, target);
  return endPlanned(ctx, plan, {
    actorUserId: null,
    origin: actor.origin,
    details: { operator: actor.operator },
  });
}

export function listUsers(ctx: Context, limit: number): Promise<(User & { disabledAt: Date | null })[]> {
  return ctx.store.listUsers(limit);
}

/** A user's sessions that are still active, newest first. */
export function listUserSessions(ctx: Context, userId: string): Promise<Session[]> {
  return ctx.store.listActiveSessions(userId);
}

/** The audit log, newest first: everything involving a user (as actor or target), since a time. */
export function readAuditLog(
  ctx: Context,
  filter: { userId?: string; since?: Date; limit: number },
): Promise<AuditEvent[]> {
  return ctx.store.listAuditEvents(filter);
}
