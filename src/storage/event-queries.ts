import { randomUUID } from 'node:crypto';
import type { Delivery, DeliveryState, WebhookEndpoint } from '../domain/events.js';
import type { SigningAlg } from '../domain/keys.js';
import type { EventQueries } from '../domain/store.js';
import type { Sql } from './db.js';

export type {
  ClaimedDelivery,
  EventQueries,
  NewWebhookEndpoint,
  WebhookEndpointWithCounts,
} from '../domain/store.js';

type Row = Record<string, unknown>;

/** Timestamps in the payload as JavaScript's toISOString writes them (milliseconds, Z). */
const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A `session.ended` event's payload (docs/events.md: SessionEndedEvent), made in SQL from a row
 * `alias` with event_id, id, user_id, end_reason and ended_at: every ending path writes the same
 * JSON, and none builds it in JavaScript only for no endpoint to receive it.
 */
export const SESSION_ENDED_PAYLOAD = (alias: string) => `jsonb_build_object(
    'id', ${alias}.event_id, 'type', 'session.ended', 'createdAt', ${ISO('statement_timestamp()')},
    'data', jsonb_build_object('userId', ${alias}.user_id, 'sessionId', ${alias}.id,
      'reason', ${alias}.end_reason, 'endedAt', ${ISO(`${alias}.ended_at`)}))`;

const ENDPOINT_COLS = 'id, url, source, description, created_at, disabled_at';
const DELIVERY_COLS = `id::text AS id, event_id, endpoint_id, type, payload, created_at, attempts,
  next_attempt_at, delivered_at, dead_at, last_error`;

const toEndpoint = (r: Row): WebhookEndpoint => ({
  id: r.id as string,
  url: r.url as string,
  source: r.source as WebhookEndpoint['source'],
  description: (r.description as string | null) ?? null,
  createdAt: r.created_at as Date,
  disabledAt: (r.disabled_at as Date | null) ?? null,
});

const toDelivery = (r: Row): Delivery => ({
  id: r.id as string,
  eventId: r.event_id as string,
  endpointId: r.endpoint_id as string,
  type: r.type as string,
  payload: r.payload as Record<string, unknown>,
  createdAt: r.created_at as Date,
  attempts: r.attempts as number,
  nextAttemptAt: r.next_attempt_at as Date,
  deliveredAt: (r.delivered_at as Date | null) ?? null,
  deadAt: (r.dead_at as Date | null) ?? null,
  lastError: (r.last_error as string | null) ?? null,
  state: r.delivered_at ? 'delivered' : r.dead_at ? 'dead' : 'pending',
});

// Disabling an endpoint and dropping what it still had to receive is one statement.
const DISABLE = (where: string) => `
  WITH off AS (
    UPDATE webhook_endpoints SET disabled_at = now() WHERE ${where} AND disabled_at IS NULL RETURNING id
  ), dropped AS (
    UPDATE event_outbox SET dead_at = now(), last_error = 'endpoint removed'
    WHERE endpoint_id IN (SELECT id FROM off) AND delivered_at IS NULL AND dead_at IS NULL
  )
  SELECT id FROM off`;

const STATE_FILTER: Record<DeliveryState, string> = {
  pending: 'delivered_at IS NULL AND dead_at IS NULL',
  delivered: 'delivered_at IS NOT NULL',
  dead: 'dead_at IS NOT NULL',
};

export function eventQueries(sql: Sql): EventQueries {
  return {
    insertSessionEndedEvents: async (sessionIds) => {
      if (sessionIds.length === 0) return 0;
      // One event id per session, the same on every endpoint's row, made here: gen_random_uuid()
      // cost the embedded store ~0.5 ms a call (ending-statement.ts). Without an active endpoint
      // the one-time EXISTS skips the rest.
      const rows = await sql.query<Row>(
        `INSERT INTO event_outbox (event_id, endpoint_id, type, payload)
         SELECT ev.event_id, w.id, 'session.ended', ${SESSION_ENDED_PAYLOAD('ev')}
         FROM (SELECT e.event_id, s.id, s.user_id, s.end_reason, s.ended_at
               FROM unnest($1::uuid[], $2::uuid[]) AS e(id, event_id) JOIN sessions s ON s.id = e.id
               WHERE s.ended_at IS NOT NULL
                 AND EXISTS (SELECT 1 FROM webhook_endpoints WHERE disabled_at IS NULL)) AS ev
         CROSS JOIN webhook_endpoints w WHERE w.disabled_at IS NULL
         RETURNING 1`,
        [sessionIds, sessionIds.map(() => randomUUID())],
      );
      return rows.length;
    },

    insertWebhookEndpoint: async (e) => {
      const rows = await sql.query<Row>(
        `INSERT INTO webhook_endpoints (id, url, secret, source, description) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (url) WHERE disabled_at IS NULL DO NOTHING RETURNING ${ENDPOINT_COLS}`,
        [e.id, e.url, e.secret, e.source, e.description],
      );
      return rows[0] ? toEndpoint(rows[0]) : null;
    },
    upsertWebhookEndpoint: async (e) => {
      const rows = await sql.query<Row>(
        `INSERT INTO webhook_endpoints (id, url, secret, source, description) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (url) WHERE disabled_at IS NULL
         DO UPDATE SET secret = EXCLUDED.secret, source = EXCLUDED.source
         RETURNING ${ENDPOINT_COLS}`,
        [e.id, e.url, e.secret, e.source, e.description],
      );
      return toEndpoint(rows[0] as Row);
    },
    findWebhookEndpoint: async (id) => {
      const rows = await sql.query<Row>(`SELECT ${ENDPOINT_COLS} FROM webhook_endpoints WHERE id = $1`, [id]);
      return rows[0] ? toEndpoint(rows[0]) : null;
    },
    listWebhookEndpoints: async (includeDisabled) =>
      (
        await sql.query<Row>(
          `SELECT e.id, e.url, e.source, e.description, e.created_at, e.disabled_at,
             (SELECT count(*) FROM event_outbox o
              WHERE o.endpoint_id = e.id AND o.delivered_at IS NULL AND o.dead_at IS NULL)::int AS pending,
             (SELECT count(*) FROM event_outbox o
              WHERE o.endpoint_id = e.id AND o.delivered_at IS NOT NULL)::int AS delivered,
             (SELECT count(*) FROM event_outbox o
              WHERE o.endpoint_id = e.id AND o.dead_at IS NOT NULL)::int AS dead
           FROM webhook_endpoints e
           WHERE $1 OR e.disabled_at IS NULL
           ORDER BY e.created_at`,
          [includeDisabled],
        )
      ).map((r) => ({
        ...toEndpoint(r),
        pending: r.pending as number,
        delivered: r.delivered as number,
        dead: r.dead as number,
      })),
    disableWebhookEndpoint: async (id) => (await sql.query<Row>(DISABLE('id = $1'), [id])).length > 0,
    disableEnvWebhookEndpoints: async (exceptUrl) =>
      (
        await sql.query<Row>(DISABLE(`source = 'env' AND ($1::text IS NULL OR url <> $1::text)`), [exceptUrl])
      ).map((r) => r.id as string),

    claimDeliveries: async (limit, leaseMs, opts = {}) =>
      (
        await sql.query<Row>(
          // A row is for a webhook endpoint or (migration 009) a client's back-channel logout URI.
          `WITH due AS (
             SELECT o.id FROM event_outbox o
             LEFT JOIN webhook_endpoints e ON e.id = o.endpoint_id AND e.disabled_at IS NULL
             LEFT JOIN oidc_clients c ON c.id = o.client_id AND c.removed_at IS NULL
             WHERE o.delivered_at IS NULL AND o.dead_at IS NULL AND o.next_attempt_at <= now()
               AND (e.id IS NOT NULL OR ($3 AND c.id IS NOT NULL))
             ORDER BY o.next_attempt_at, o.id
             LIMIT $1
             FOR UPDATE OF o SKIP LOCKED
           )
           UPDATE event_outbox o
           SET attempts = o.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
           FROM due
           WHERE o.id = due.id
           RETURNING o.id::text AS id, o.event_id, o.endpoint_id, o.client_id, o.type, o.payload, o.attempts,
             coalesce((SELECT e.url FROM webhook_endpoints e WHERE e.id = o.endpoint_id),
                      (SELECT c.backchannel_logout_uri FROM oidc_clients c WHERE c.id = o.client_id)) AS url,
             (SELECT e.secret FROM webhook_endpoints e WHERE e.id = o.endpoint_id) AS secret,
             (SELECT c.id_token_signed_response_alg FROM oidc_clients c WHERE c.id = o.client_id) AS client_alg`,
          [limit, leaseMs, opts.backchannel ?? true],
        )
      ).map((r) => ({
        id: r.id as string,
        eventId: r.event_id as string,
        endpointId: (r.endpoint_id as string | null) ?? null,
        clientId: (r.client_id as string | null) ?? null,
        clientAlg: (r.client_alg as SigningAlg | null) ?? null,
        type: r.type as string,
        url: r.url as string,
        secret: (r.secret as string | null) ?? null,
        payload: r.payload as Record<string, unknown>,
        attempts: r.attempts as number,
      })),
    markDelivered: async (id, attempts) => {
      await sql.query(
        `UPDATE event_outbox SET delivered_at = now(), last_error = NULL
         WHERE id = $1 AND attempts = $2 AND delivered_at IS NULL AND dead_at IS NULL`,
        [id, attempts],
      );
    },
    scheduleRetry: async (id, attempts, delayMs, error) => {
      await sql.query(
        `UPDATE event_outbox SET next_attempt_at = now() + $3 * interval '1 millisecond', last_error = $4
         WHERE id = $1 AND attempts = $2 AND delivered_at IS NULL AND dead_at IS NULL`,
        [id, attempts, delayMs, error],
      );
    },
    markDead: async (id, attempts, error) => {
      await sql.query(
        `UPDATE event_outbox SET dead_at = now(), last_error = $3
         WHERE id = $1 AND attempts = $2 AND delivered_at IS NULL AND dead_at IS NULL`,
        [id, attempts, error],
      );
    },
    requeueDeadDeliveries: async (endpointId) =>
      (
        await sql.query<Row>(
          `WITH requeued AS (
             UPDATE event_outbox o SET dead_at = NULL, attempts = 0, next_attempt_at = now(), last_error = NULL
             FROM webhook_endpoints e
             WHERE e.id = o.endpoint_id AND e.disabled_at IS NULL
               AND o.dead_at IS NOT NULL AND o.delivered_at IS NULL
               AND ($1::uuid IS NULL OR o.endpoint_id = $1::uuid)
             RETURNING 1
           ) SELECT count(*)::int AS n FROM requeued`,
          [endpointId ?? null],
        )
      )[0]?.n as number,
    listDeliveries: async ({ endpointId, state, limit }) =>
      (
        await sql.query<Row>(
          `SELECT ${DELIVERY_COLS} FROM event_outbox
           WHERE endpoint_id IS NOT NULL AND ($1::uuid IS NULL OR endpoint_id = $1::uuid) AND ${state ? STATE_FILTER[state] : 'true'}
           ORDER BY created_at DESC, id DESC LIMIT $2`,
          [endpointId ?? null, limit],
        )
      ).map(toDelivery),
    pruneDeliveries: async (before) =>
      (
        await sql.query<Row>(
          `WITH pruned AS (
             DELETE FROM event_outbox
             WHERE created_at < $1 AND (delivered_at IS NOT NULL OR dead_at IS NOT NULL) RETURNING 1
           ) SELECT count(*)::int AS n FROM pruned`,
          [before],
        )
      )[0]?.n as number,
  };
}
