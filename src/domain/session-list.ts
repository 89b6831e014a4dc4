import type { Context } from './context.js';
import { type Device, deviceOf } from './devices.js';
import { AppError } from './errors.js';
import type { Session } from './model.js';
import { policyEnding } from './sessions.js';
import type { SessionPosition } from './store.js';
import type { Caller } from './tokens.js';

/** GET /auth/sessions's page sizes (docs/api.md §3): a device list, not an export. */
export const SESSION_PAGE_DEFAULT = 50;
export const SESSION_PAGE_MAX = 200;
/** Longer than any cursor this file makes (about 110 characters). */
export const SESSION_CURSOR_MAX = 200;

export interface ListedSession extends Session {
  device: Device;
  current: boolean;
}

export interface SessionPage {
  sessions: ListedSession[];
  /** Where the next page starts; null when this page is the last. */
  nextCursor: string | null;
  /** The caller's own session, whichever page it is on (null only if it ended meanwhile). */
  current: ListedSession | null;
}

// A page whose sessions have mostly lapsed in memory (idle, or ended a moment ago) is filled from
// the following rows, a bounded number of times: past that the page is short, and says so by a cursor.
const MAX_FILLS = 5;

/**
 * One page of the caller's active sessions, newest first (created, then id), the current one
 * flagged, each with its device and its last use as this instance knows it (its own unwritten
 * uses included). Sessions past their idle limit or absolute lifetime are not listed.
 *
 * Keyset pagination: the cursor is the position of the last session shown, so a session opened
 * after the first page (newer: before it) or ended meanwhile moves nothing; each session that
 * stays active is shown once, on exactly one page. The query is scoped to the caller: a cursor
 * only says where to start, so one taken from another account shows nothing of it.
 */
export async function listSessions(
  ctx: Context,
  caller: Caller,
  page: { limit: number; cursor?: string | undefined },
): Promise<SessionPage> {
  let after = page.cursor === undefined ? null : decodeCursor(page.cursor);
  if (page.cursor !== undefined && !after)
    throw new AppError('VALIDATION_ERROR', '/cursor: is not a cursor this list gave out', {
      details: [{ path: '/cursor', message: 'is not a cursor this list gave out' }],
    });
  const now = Date.now();
  const shown = (s: Session) => !ctx.revocations.isEnded(s.id) && !policyEnding(ctx, s, now);
  const listed = (s: Session): ListedSession => ({
    ...s,
    lastUsedAt: new Date(ctx.activity.lastUse(s)),
    device: deviceOf(s.userAgent),
    current: s.id === caller.sessionId,
  });

  const sessions: ListedSession[] = [];
  let more = true;
  for (let fill = 0; fill < MAX_FILLS && more && sessions.length < page.limit; fill++) {
    const want = page.limit - sessions.length;
    // One row beyond the page tells whether there is a next one.
    const rows = await ctx.store.listSessionsPage(caller.userId, { after, limit: want + 1 });
    more = rows.length > want;
    for (const { position, ...s } of rows.slice(0, want)) {
      after = position;
      if (shown(s)) sessions.push(listed(s));
    }
  }
  const own = sessions.find((s) => s.current) ?? (await currentSession(ctx, caller));
  return {
    sessions,
    nextCursor: more && after ? encodeCursor(after) : null,
    current: own && shown(own) ? listed(own) : null,
  };
}

async function currentSession(ctx: Context, caller: Caller): Promise<Session | null> {
  const s = await ctx.store.findSession(caller.sessionId);
  return s && s.userId === caller.userId && !s.endedAt ? s : null;
}

// ---- the cursor: opaque to clients, a position to us ----------------------------------

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(position: SessionPosition): string {
  return Buffer.from(JSON.stringify({ t: position.createdAt, i: position.id })).toString('base64url');
}

/** The position a cursor names; null for anything this file did not make (untrusted input). */
export function decodeCursor(cursor: string): SessionPosition | null {
  if (cursor.length > SESSION_CURSOR_MAX || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const { t, i } = (value ?? {}) as { t?: unknown; i?: unknown };
  if (typeof t !== 'string' || typeof i !== 'string' || !AT.test(t) || !UUID.test(i)) return null;
  // A date the database would refuse (February 30th) must be refused here, as a 422.
  const ms = Date.parse(t);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== t.slice(0, 19)) return null;
  return { createdAt: t, id: i.toLowerCase() };
}
