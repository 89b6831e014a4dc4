import type { Context } from './context.js';
import { AppError } from './errors.js';
import type { AuditEvent, EndedSession, RequestOrigin, Session, User } from './model.js';
import { endSessions } from './session-ending.js';
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
 * An operator ends one session or every session of a user: the admin side of
 * logout, through the same one path (endSessions), so the change, its
 * audit event (reason "admin") and the NOTIFY that makes every running
 * instance refuse the tokens commit together.
 */
export async function endSessionsAsAdmin(
  ctx: Context,
  target: AdminEndTarget,
  actor: AdminActor,
): Promise<EndedSession[]> {
  if ('sessionId' in target) {
    const session = await ctx.store.findSession(target.sessionId);
    if (!session) throw new AppError('NOT_FOUND', `Session ${target.sessionId} not found`);
    if (session.endedAt) throw new AppError('CONFLICT', `Session ${session.id} has already ended`);
    if (session.expiresAt.getTime() <= Date.now())
      throw new AppError('CONFLICT', `Session ${session.id} has already expired`);
  } else if (!(await ctx.store.findUserById(target.userId))) {
    throw new AppError('NOT_FOUND', `User ${target.userId} not found`);
  }
  const ended = await endSessions(
    ctx,
    'sessionId' in target ? { sessionIds: [target.sessionId] } : { userId: target.userId },
    'admin',
    {
      actorUserId: null,
      origin: actor.origin,
      details: { scope: 'sessionId' in target ? 'session' : 'all', operator: actor.operator },
    },
  );
  if ('sessionId' in target && ended.length === 0)
    throw new AppError('CONFLICT', `Session ${target.sessionId} has already ended`);
  return ended;
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
