import { randomUUID } from 'node:crypto';
import type { EndReason } from '../domain/model.js';
import type { EndedByRequest, RecordedEndRequest } from '../domain/store.js';
import type { Sql } from './db.js';
import { SESSION_ENDED_PAYLOAD } from './event-queries.js';

export type { RecordedEndRequest } from '../domain/store.js';

/**
 * Ends the named sessions of many requests and writes what endings leave
 * behind — one `session.ended` audit event per request and user, one outbox
 * event per session per active webhook endpoint — in ONE statement, which is
 * its own transaction: no BEGIN/COMMIT round trips, one parse and plan for the
 * whole batch. Same rows as the statements of `Queries.endSessions`,
 * `insertAuditEvents` and `insertSessionEndedEvents` together (the embedded store's
 * logout path; it has no other instance to NOTIFY). `ended_at` is kept to the
 * millisecond so that the webhook payload's `endedAt`, written here as text,
 * is the same instant the revocation list and the API report.
 */
const END_AND_RECORD = `
WITH r AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::uuid[]) AS r(id, reason, request, event_id)
), ended AS (
  UPDATE sessions s SET ended_at = date_trunc('milliseconds', clock_timestamp()), end_reason = r.reason
  FROM r WHERE s.id = r.id AND s.ended_at IS NULL
  RETURNING s.id, s.user_id, s.ended_at, s.end_reason, r.request, r.event_id
), a AS (
  SELECT * FROM jsonb_to_recordset($5::jsonb)
    AS a(request int, "actorUserId" uuid, ip text, "userAgent" text, details jsonb)
), audit AS (
  INSERT INTO audit_events (action, reason, actor_user_id, target_user_id, session_ids, ip, user_agent, details)
  SELECT 'session.ended', min(e.end_reason), min(a."actorUserId"::text)::uuid, e.user_id, array_agg(e.id),
         min(a.ip), min(a."userAgent"), (array_agg(a.details))[1]
  FROM ended e JOIN a ON a.request = e.request
  GROUP BY e.request, e.user_id
), outbox AS (
  INSERT INTO event_outbox (event_id, endpoint_id, type, payload)
  SELECT ev.event_id, w.id, 'session.ended', ${SESSION_ENDED_PAYLOAD('ev')}
  FROM ended ev CROSS JOIN webhook_endpoints w WHERE w.disabled_at IS NULL
  RETURNING 1
)
SELECT id, user_id, ended_at, end_reason, request, (SELECT count(*) FROM outbox)::int AS events FROM ended`;

export async function endNamedSessionsRecorded(
  sql: Sql,
  requests: readonly RecordedEndRequest[],
): Promise<{ ended: EndedByRequest[]; eventsWritten: number }> {
  const rows: { id: string; reason: EndReason; request: number; eventId: string }[] = [];
  requests.forEach(({ sessionIds, reason }, request) => {
    // The webhook event's id, made here: gen_random_uuid() in the embedded store cost ~0.5 ms a call.
    for (const id of sessionIds) rows.push({ id, reason, request, eventId: randomUUID() });
  });
  const audits = requests.map(({ audit }, request) => ({ request, ...audit }));
  const out = await sql.query<Record<string, unknown>>(END_AND_RECORD, [
    rows.map((r) => r.id),
    rows.map((r) => r.reason),
    rows.map((r) => r.request),
    rows.map((r) => r.eventId),
    JSON.stringify(audits),
  ]);
  return {
    ended: out.map((r) => ({
      id: r.id as string,
      userId: r.user_id as string,
      endedAt: r.ended_at as Date,
      reason: r.end_reason as EndReason,
      request: r.request as number,
    })),
    eventsWritten: (out[0]?.events as number | undefined) ?? 0,
  };
}
