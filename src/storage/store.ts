import type {
  AuditEvent,
  EndedSession,
  EndReason,
  NewAuditEvent,
  ProofMethod,
  Role,
  Session,
  User,
  UserRecord,
} from '../domain/model.js';
import type { EndedByRequest, EndRequest, Queries, RefreshTokenRow, Store } from '../domain/store.js';
import { type Database, isTransientConflict, type Sql } from './db.js';
import { endNamedSessionsRecorded } from './ending-statement.js';
import { eventQueries } from './event-queries.js';
import { factorQueries } from './factor-queries.js';
import { leaseQueries } from './lease-queries.js';
import { mailQueries } from './mail-queries.js';
import { oidcQueries } from './oidc-queries.js';
import { policyQueries } from './policy-queries.js';

// The interfaces are the domain's (domain/store.ts); re-exported for storage's other users.
export type { EndedSession } from '../domain/model.js';
export type {
  EndedByRequest,
  EndRequest,
  NewSession,
  NewUser,
  Queries,
  RefreshTokenRow,
  Store,
} from '../domain/store.js';

const REFRESH_TOKEN_SELECT =
  'SELECT session_id, expires_at, rotated_at, successor_box, replayed_at FROM refresh_tokens WHERE token_hash = $1';

const refreshTokenRow = (r: Record<string, unknown>): RefreshTokenRow => ({
  sessionId: r.session_id as string,
  expiresAt: r.expires_at as Date,
  rotatedAt: (r.rotated_at as Date | null) ?? null,
  successorBox: r.successor_box ? Buffer.from(r.successor_box as Uint8Array) : null,
  replayedAt: (r.replayed_at as Date | null) ?? null,
});

/** The PostgreSQL channel that carries ended session ids between instances. */
export const REVOCATION_CHANNEL = 'gatehouse_session_ended';
// NOTIFY payloads are limited to 8000 bytes; "<uuid>@<epoch ms>," is 51.
const IDS_PER_NOTIFY = 150;

const SIGNING_KEY_LOCK = 7_262_718;
/** The text of a uuid, always: 8-4-4-4-12 hexadecimal digits. */
const UUID_LENGTH = 36;

const USER_COLS = 'id, email, name, roles, created_at, password_hash, disabled_at, email_verified_at';
const SESSION_COLS =
  'id, user_id, created_at, last_used_at, expires_at, ended_at, end_reason, ip, user_agent, auth_time, auth_methods, persistent, device_name';

type Row = Record<string, unknown>;

const toUser = (r: Row): UserRecord => ({
  id: r.id as string,
  email: r.email as string,
  name: (r.name as string | null) ?? null,
  roles: r.roles as Role[],
  createdAt: r.created_at as Date,
  emailVerified: r.email_verified_at != null,
  passwordHash: r.password_hash as string,
  disabledAt: (r.disabled_at as Date | null) ?? null,
});

const publicUser = ({ passwordHash: _, disabledAt: __, ...u }: UserRecord): User => u;

const toSession = (r: Row): Session => ({
  id: r.id as string,
  userId: r.user_id as string,
  createdAt: r.created_at as Date,
  lastUsedAt: r.last_used_at as Date,
  expiresAt: r.expires_at as Date,
  endedAt: (r.ended_at as Date | null) ?? null,
  endReason: (r.end_reason as EndReason | null) ?? null,
  ip: (r.ip as string | null) ?? null,
  userAgent: (r.user_agent as string | null) ?? null,
  authTime: r.auth_time as Date,
  authMethods: (r.auth_methods as ProofMethod[] | null) ?? null,
  persistent: r.persistent as boolean,
  deviceName: (r.device_name as string | null) ?? null,
});

const toEnded = (r: Row): EndedSession => ({
  id: r.id as string,
  userId: r.user_id as string,
  endedAt: r.ended_at as Date,
});

const toEndedByRequest = (r: Row): EndedByRequest => ({
  ...toEnded(r),
  reason: r.end_reason as EndReason,
  request: r.request as number,
});

const END = 'ended_at = clock_timestamp(), end_reason = r.reason';
const ENDED = 's.id, s.user_id, s.ended_at, s.end_reason, r.request';

/** Named sessions: one row per (session, request), sorted by session id. */
function namedRows(requests: readonly EndRequest[]) {
  const rows: { id: string; reason: EndReason; request: number }[] = [];
  requests.forEach(({ target, reason }, request) => {
    if ('sessionIds' in target) for (const id of target.sessionIds) rows.push({ id, reason, request });
  });
  // One order for every transaction that locks several sessions, so two concurrent batches cannot deadlock each other.
  const key = (id: string) => id.toLowerCase();
  return rows.sort((a, b) =>
    key(a.id) < key(b.id) ? -1 : key(a.id) > key(b.id) ? 1 : a.request - b.request,
  );
}

const AUDIT_COLS = `id::text AS id, at, action, reason, actor_user_id, target_user_id, session_ids, ip,
  user_agent, details`;

/**
 * The newest audit events, optionally of one user (as actor or as target) and since a time.
 * One user's: the newest `limit` of each index (target, actor) merged, so the log's size does
 * not matter (an OR across the two columns would read the whole table).
 */
function auditEventsQuery(byUser: boolean): string {
  const since = 'AND ($1::timestamptz IS NULL OR at >= $1::timestamptz)';
  if (!byUser)
    return `SELECT ${AUDIT_COLS} FROM audit_events WHERE TRUE ${since} ORDER BY at DESC, id DESC LIMIT $2`;
  const newest = (column: string) =>
    `(SELECT id FROM audit_events WHERE ${column} = $3::uuid ${since} ORDER BY at DESC, id DESC LIMIT $2)`;
  return `SELECT ${AUDIT_COLS} FROM audit_events
          WHERE id IN (${newest('target_user_id')} UNION ${newest('actor_user_id')})
          ORDER BY at DESC, id DESC LIMIT $2`;
}

const toAuditEvent = (r: Row): AuditEvent => ({
  id: r.id as string,
  at: r.at as Date,
  action: r.action as string,
  reason: (r.reason as string | null) ?? null,
  actorUserId: (r.actor_user_id as string | null) ?? null,
  targetUserId: (r.target_user_id as string | null) ?? null,
  sessionIds: r.session_ids as string[],
  ip: (r.ip as string | null) ?? null,
  userAgent: (r.user_agent as string | null) ?? null,
  details: r.details as Record<string, unknown>,
});

function queries(sql: Sql): Queries {
  const one = async <T>(text: string, params: unknown[], map: (r: Row) => T): Promise<T | null> => {
    const rows = await sql.query<Row>(text, params);
    return rows[0] ? map(rows[0]) : null;
  };
  // Events travel as one JSON array whatever their number: one statement, one plan.
  const insertAuditEvents = async (events: readonly NewAuditEvent[]) => {
    if (events.length === 0) return;
    await sql.query(
      `INSERT INTO audit_events
         (action, reason, actor_user_id, target_user_id, session_ids, ip, user_agent, details)
       SELECT action, reason, "actorUserId", "targetUserId", "sessionIds", ip, "userAgent", details
       FROM jsonb_to_recordset($1::jsonb) AS e(action text, reason text, "actorUserId" uuid,
         "targetUserId" uuid, "sessionIds" uuid[], ip text, "userAgent" text, details jsonb)`,
      [JSON.stringify(events)],
    );
  };
  return {
    ...eventQueries(sql),
    ...leaseQueries(sql),
    ...mailQueries(sql),
    ...policyQueries(sql),
    ...oidcQueries(sql),
    ...factorQueries(sql),
    insertUser: (u) =>
      one(
        `INSERT INTO users (id, email, name, password_hash, roles, email_verified_at)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::boolean THEN now() END)
         ON CONFLICT (email) DO NOTHING RETURNING ${USER_COLS}`,
        [u.id, u.email, u.name, u.passwordHash, u.roles, u.emailVerified ?? false],
        (r) => publicUser(toUser(r)),
      ),
    findUserByEmail: (email) => one(`SELECT ${USER_COLS} FROM users WHERE email = $1`, [email], toUser),
    findUserById: (id) => one(`SELECT ${USER_COLS} FROM users WHERE id = $1`, [id], toUser),
    lockUser: (id) => one(`SELECT ${USER_COLS} FROM users WHERE id = $1 FOR NO KEY UPDATE`, [id], toUser),
    listUsers: async (limit) =>
      (await sql.query<Row>(`SELECT ${USER_COLS} FROM users ORDER BY created_at LIMIT $1`, [limit])).map(
        (r) => ({ ...publicUser(toUser(r)), disabledAt: (r.disabled_at as Date | null) ?? null }),
      ),
    setUserDisabled: async (userId, disabled) =>
      (
        await sql.query(
          disabled
            ? 'UPDATE users SET disabled_at = now(), updated_at = now() WHERE id = $1 AND disabled_at IS NULL RETURNING id'
            : 'UPDATE users SET disabled_at = NULL, updated_at = now() WHERE id = $1 AND disabled_at IS NOT NULL RETURNING id',
          [userId],
        )
      ).length > 0,
    deleteUser: async (userId) =>
      (await sql.query('DELETE FROM users WHERE id = $1 RETURNING id', [userId])).length > 0,
    setPasswordHash: async (userId, hash) =>
      (
        await sql.query(
          'UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 RETURNING id',
          [userId, hash],
        )
      ).length > 0,
    setRoles: async (userId, roles) => {
      await sql.query('UPDATE users SET roles = $2, updated_at = now() WHERE id = $1', [userId, roles]);
    },

    insertSession: async (s) =>
      (await one(
        `INSERT INTO sessions
           (id, user_id, expires_at, ip, user_agent, created_at, last_used_at, auth_time, persistent, device_name,
            auth_methods)
         VALUES ($1, $2, $3, $4, $5, COALESCE($6, now()), COALESCE($6, now()), COALESCE($6, now()), $7, $8, $9)
         RETURNING ${SESSION_COLS}`,
        [
          s.id,
          s.userId,
          s.expiresAt,
          s.ip,
          s.userAgent,
          s.at ?? null,
          s.persistent ?? true,
          s.deviceName ?? null,
          s.authMethods ?? null,
        ],
        toSession,
      )) as Session,
    findSession: (id) => one(`SELECT ${SESSION_COLS} FROM sessions WHERE id = $1`, [id], toSession),
    lockSession: (id) =>
      one(`SELECT ${SESSION_COLS} FROM sessions WHERE id = $1 FOR UPDATE`, [id], toSession),
    listActiveSessions: async (userId) =>
      (
        await sql.query<Row>(
          `SELECT ${SESSION_COLS} FROM sessions
           WHERE user_id = $1 AND ended_at IS NULL AND expires_at > now()
           ORDER BY created_at DESC`,
          [userId],
        )
      ).map(toSession),
    listSessionsPage: async (userId, { after, limit }) =>
      (
        await sql.query<Row>(
          // The position is the exact created_at (microseconds, UTC): a Date would round it to
          // milliseconds, and a cursor rounded up would show a session twice.
          `SELECT ${SESSION_COLS},
                  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position_at
           FROM sessions
           WHERE user_id = $1 AND ended_at IS NULL AND expires_at > now()
             ${after ? 'AND (created_at, id) < ($3::timestamptz, $4::uuid)' : ''}
           ORDER BY created_at DESC, id DESC LIMIT $2`,
          after ? [userId, limit, after.createdAt, after.id] : [userId, limit],
        )
      ).map((r) => ({
        ...toSession(r),
        position: { createdAt: r.position_at as string, id: r.id as string },
      })),
    touchSession: async (id, at) => {
      await sql.query(
        'UPDATE sessions SET last_used_at = GREATEST(last_used_at, COALESCE($2, now())) WHERE id = $1',
        [id, at ?? null],
      );
    },
    recordSessionActivity: async (uses) => {
      if (uses.length === 0) return;
      // Sorted, so two instances flushing at once lock rows in one order.
      const sorted = [...uses].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      await sql.query(
        `UPDATE sessions s SET last_used_at = GREATEST(s.last_used_at, u.at)
         FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at)
         WHERE s.id = u.id AND s.ended_at IS NULL AND s.last_used_at < u.at`,
        [sorted.map((u) => u.id), sorted.map((u) => u.at)],
      );
    },
    setAuthTime: async (id, at, methods) =>
      (
        await sql.query<Row>(
          'UPDATE sessions SET auth_time = $2, auth_methods = $3 WHERE id = $1 AND ended_at IS NULL RETURNING id',
          [id, at, methods],
        )
      ).length === 1,
    endSessions: async (requests) => {
      const ended: Row[] = [];
      // A target row that joins several request rows is updated (and returned) once.
      const named = namedRows(requests);
      if (named.length > 0)
        ended.push(
          ...(await sql.query<Row>(
            `UPDATE sessions s SET ${END}
             FROM unnest($1::uuid[], $2::text[], $3::int[]) AS r(id, reason, request)
             WHERE s.id = r.id AND s.ended_at IS NULL
             RETURNING ${ENDED}`,
            [named.map((r) => r.id), named.map((r) => r.reason), named.map((r) => r.request)],
          )),
        );
      const users = requests.flatMap(({ target, reason }, request) =>
        'userId' in target ? [{ ...target, reason, request }] : [],
      );
      if (users.length > 0)
        ended.push(
          ...(await sql.query<Row>(
            `UPDATE sessions s SET ${END}
             FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[]) AS r(user_id, except_id, reason, request)
             WHERE s.user_id = r.user_id AND s.ended_at IS NULL AND (r.except_id IS NULL OR s.id <> r.except_id)
             RETURNING ${ENDED}`,
            [
              users.map((u) => u.userId),
              users.map((u) => u.exceptSessionId ?? null),
              users.map((u) => u.reason),
              users.map((u) => u.request),
            ],
          )),
        );
      return ended.map(toEndedByRequest);
    },
    // What a start loads (100,000 rows in the scale run), as one row: the ids run together (a
    // uuid's text is always 36 characters) and the ends as whole epoch milliseconds, rounded
    // down as a Date holds them (an integer's text costs PostgreSQL about half what a float's
    // does), in the same order (both aggregates see the rows in one order). One row per session
    // cost the driver ~1 µs a row to parse into objects, on the event loop; two strings cost a
    // split, and are handed on as two arrays, with no object or Date per session
    // (docs/performance.md, "The scale run").
    sessionsEndedSince: async (since) => {
      const [r] = await sql.query<{ n: number; ids: string; ends: string }>(
        `SELECT count(*)::int AS n, coalesce(string_agg(id::text, ''), '') AS ids,
                coalesce(string_agg(floor(extract(epoch FROM ended_at) * 1000)::bigint::text, ','), '') AS ends
         FROM sessions WHERE ended_at > $1`,
        [since],
      );
      if (!r || r.n === 0) return { ids: [], endedAtMs: [] };
      const ends = r.ends.split(',');
      const ids = new Array<string>(r.n);
      const endedAtMs = new Array<number>(r.n);
      for (let i = 0; i < r.n; i++) {
        ids[i] = r.ids.slice(i * UUID_LENGTH, (i + 1) * UUID_LENGTH);
        endedAtMs[i] = Number(ends[i]);
      }
      return { ids, endedAtMs };
    },
    lockExpiredSessions: async (limit) =>
      (
        await sql.query<Row>(
          `SELECT id FROM sessions WHERE ended_at IS NULL AND expires_at <= now()
           ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [limit],
        )
      ).map((r) => r.id as string),
    lockIdleSessions: async (usedBy, limit) =>
      (
        await sql.query<Row>(
          `SELECT id FROM sessions WHERE ended_at IS NULL AND last_used_at <= $1
           ORDER BY last_used_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [usedBy, limit],
        )
      ).map((r) => r.id as string),

    insertRefreshToken: async (hash, sessionId, expiresAt) => {
      await sql.query('INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)', [
        hash,
        sessionId,
        expiresAt,
      ]);
    },
    lockRefreshToken: (hash) => one(`${REFRESH_TOKEN_SELECT} FOR UPDATE`, [hash], refreshTokenRow),
    findRefreshToken: (hash) => one(REFRESH_TOKEN_SELECT, [hash], refreshTokenRow),
    markRefreshTokenRotated: async (hash, successorBox) => {
      await sql.query(
        'UPDATE refresh_tokens SET rotated_at = now(), successor_box = $2 WHERE token_hash = $1',
        [hash, successorBox ?? null],
      );
    },
    markRefreshTokenReplayed: async (hash) => {
      await sql.query('UPDATE refresh_tokens SET replayed_at = now() WHERE token_hash = $1', [hash]);
    },

    insertAuditEvent: (e) => insertAuditEvents([e]),
    insertAuditEvents,
    listAuditEvents: async ({ userId, since, limit }) =>
      (
        await sql.query<Row>(
          auditEventsQuery(userId !== undefined),
          // A parameter the statement does not use cannot be typed: the user's comes last, only when used.
          userId === undefined ? [since ?? null, limit] : [since ?? null, limit, userId],
        )
      ).map(toAuditEvent),

    listSigningKeys: async () =>
      (
        await sql.query<Row>(
          'SELECT kid, alg, public_jwk, private_jwk, created_at, retired_at FROM signing_keys ORDER BY created_at DESC',
        )
      ).map((r) => ({
        kid: r.kid as string,
        alg: r.alg as string,
        publicJwk: r.public_jwk as Record<string, unknown>,
        privateJwk: r.private_jwk as Record<string, unknown>,
        createdAt: r.created_at as Date,
        retiredAt: (r.retired_at as Date | null) ?? null,
      })),
    insertSigningKey: async (k) => {
      await sql.query(
        'INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk) VALUES ($1, $2, $3, $4)',
        [k.kid, k.alg, JSON.stringify(k.publicJwk), JSON.stringify(k.privateJwk)],
      );
    },
    retireSigningKeys: async (exceptKid) => {
      // Each algorithm has its own line of keys: a new RS256 key retires the old RS256 ones only.
      await sql.query(
        `UPDATE signing_keys SET retired_at = now()
         WHERE kid <> $1 AND retired_at IS NULL AND alg = (SELECT alg FROM signing_keys WHERE kid = $1)`,
        [exceptKid],
      );
    },

    lockSigningKeys: async () => {
      await sql.query('SELECT pg_advisory_xact_lock($1)', [SIGNING_KEY_LOCK]);
    },

    notifySessionsEnded: async (ended, batch) => {
      for (let i = 0; i < ended.length; i += IDS_PER_NOTIFY) {
        const items = ended
          .slice(i, i + IDS_PER_NOTIFY)
          .map((s) => `${s.id}@${s.endedAt.getTime()}`)
          .join(',');
        const payload = batch && i + IDS_PER_NOTIFY >= ended.length ? `${batch}|${items}` : items;
        await sql.query('SELECT pg_notify($1, $2)', [REVOCATION_CHANNEL, payload]);
      }
    },
    ping: async () => {
      await sql.query('SELECT 1');
    },
  };
}

export function createStore(db: Database): Store {
  return {
    kind: db.kind,
    ...queries(db),
    endNamedSessionsRecorded: (requests) => endNamedSessionsRecorded(db, requests),
    transaction: (fn) => db.transaction((tx) => fn(queries(tx))),
    isTransientConflict,
    close: () => db.close(),
  };
}
