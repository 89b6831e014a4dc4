import type pg from 'pg';
import type { LeaseQueries } from '../domain/store.js';
import type { Sql } from './db.js';

export type { LeaseQueries } from '../domain/store.js';

/** Acks, renewals and departures travel here; endings travel on REVOCATION_CHANNEL (store.ts). */
export const INSTANCE_CHANNEL = 'gatehouse_instances';

// Taken shared by every ending transaction (gatehouse_barrier_members, migration 003) until
// it commits; a joining instance waits for the holders it sees (joinInstances).
const BARRIER_LOCK = 7_262_719;

type Row = Record<string, unknown>;

export function leaseQueries(sql: Sql): LeaseQueries {
  return {
    barrierMembers: async (self, marginMs) =>
      (
        await sql.query<Row>(
          'SELECT id, epoch::text AS epoch, remaining_ms FROM gatehouse_barrier_members($1, $2)',
          [self, marginMs],
        )
      ).map((r) => ({ id: r.id as string, epoch: Number(r.epoch), remainingMs: Number(r.remaining_ms) })),
    leaseStatus: async (ids, marginMs) =>
      (
        await sql.query<Row>(
          `SELECT id, epoch::text AS epoch,
                  lease_expires_at + make_interval(secs => $2 / 1000.0) < clock_timestamp() AS lapsed,
                  extract(epoch FROM lease_expires_at - clock_timestamp())::float8 * 1000 AS remaining_ms
           FROM instances WHERE id = ANY($1::uuid[])`,
          [ids, marginMs],
        )
      ).map((r) => ({
        id: r.id as string,
        epoch: Number(r.epoch),
        lapsed: r.lapsed as boolean,
        remainingMs: Number(r.remaining_ms),
      })),
    listInstances: async () =>
      (
        await sql.query<Row>(
          `SELECT id, address, version, epoch::text AS epoch, started_at, renewed_at, lease_expires_at,
                  lease_expires_at > clock_timestamp() AS valid,
                  extract(epoch FROM clock_timestamp() - applied_through)::float8 * 1000 AS lag_ms,
                  feed_lag_ms
           FROM instances ORDER BY started_at, id`,
        )
      ).map((r) => ({
        id: r.id as string,
        address: r.address as string,
        version: r.version as string,
        epoch: Number(r.epoch),
        startedAt: r.started_at as Date,
        renewedAt: r.renewed_at as Date,
        leaseExpiresAt: r.lease_expires_at as Date,
        leaseValid: r.valid as boolean,
        lagMs: r.lag_ms === null ? null : Number(r.lag_ms),
        feedLagMs: r.feed_lag_ms === null ? null : Number(r.feed_lag_ms),
      })),
  };
}

/** "L <id> <epoch> <renewal> <database time ms>": a lease renewed (or, epoch 0, given up). */
const leaseMessage = (id: string, epoch: number, renewal: number) => `L ${id} ${epoch} ${renewal} `;

/** "A <acker> <origin>:<batch> …": the acker applied these batches. */
export const ackMessage = (acker: string, tags: readonly string[]) => `A ${acker} ${tags.join(' ')}`;

export interface InstanceIdentity {
  id: string;
  address: string;
  version: string;
}

const holdersOfBarrierLock = `FROM pg_locks
  WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = $1 AND objsubid = 1
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/**
 * Joins (or rejoins) on the feed connection, after it LISTENs, and returns
 * the new epoch (the first renewal, right after, tells the other instances).
 *
 * An ending that listed the instances before this row committed did so
 * holding the barrier lock (shared), which it keeps until it commits: wait
 * for exactly those transactions to end, so that the catch-up read that
 * follows sees their endings. Waiting, not locking: a joiner never queues
 * ahead of endings, so it cannot stall them (an instance frozen mid-ending
 * delays only the joiner, and only until its idle transaction is cut off).
 * Removes leases dead for an hour.
 */
export async function joinInstances(
  client: pg.Client,
  me: InstanceIdentity,
  leaseMs: number,
  waitMs = 30_000,
): Promise<number> {
  await client.query("DELETE FROM instances WHERE lease_expires_at < now() - interval '1 hour'");
  const res = await client.query<{ epoch: string }>(
    `INSERT INTO instances (id, address, version, epoch, lease_expires_at)
     VALUES ($1, $2, $3, 1, now() + make_interval(secs => $4 / 1000.0))
     ON CONFLICT (id) DO UPDATE SET epoch = instances.epoch + 1, address = EXCLUDED.address,
       version = EXCLUDED.version, renewed_at = now(), lease_expires_at = EXCLUDED.lease_expires_at
     RETURNING epoch::text AS epoch`,
    [me.id, me.address, me.version, leaseMs],
  );
  const epoch = Number(res.rows[0]?.epoch);
  const held = await client.query<{ vxids: string[] | null }>(
    `SELECT array_agg(virtualtransaction) AS vxids ${holdersOfBarrierLock}`,
    [BARRIER_LOCK],
  );
  const vxids = held.rows[0]?.vxids ?? [];
  const started = performance.now();
  while (vxids.length > 0) {
    const left = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n ${holdersOfBarrierLock} AND virtualtransaction = ANY($2::text[])`,
      [BARRIER_LOCK, vxids],
    );
    if ((left.rows[0]?.n ?? 0) === 0) break;
    if (performance.now() - started > waitMs)
      throw new Error(`endings in progress did not finish within ${waitMs} ms; joining again later`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return epoch;
}

/**
 * Renews the lease and announces it on the feed, in one statement. The
 * instance extends its own lease only when it hears this announcement back:
 * by then it has heard every ending committed before it. False if the row is gone.
 */
export async function renewLease(
  client: pg.Client,
  me: { id: string; epoch: number },
  leaseMs: number,
  renewal: number,
  appliedThrough: Date | null,
  feedLagMs: number | null,
): Promise<boolean> {
  const res = await client.query(
    `WITH renewed AS (
       UPDATE instances SET renewed_at = now(), lease_expires_at = now() + make_interval(secs => $3 / 1000.0),
         applied_through = coalesce($4, applied_through), feed_lag_ms = $5
       WHERE id = $1 AND epoch = $2 RETURNING 1)
     SELECT pg_notify($6, $7 || (extract(epoch FROM now()) * 1000)::bigint) FROM renewed`,
    [
      me.id,
      me.epoch,
      leaseMs,
      appliedThrough,
      feedLagMs,
      INSTANCE_CHANNEL,
      leaseMessage(me.id, me.epoch, renewal),
    ],
  );
  return (res.rowCount ?? 0) > 0;
}

/** A clean stop: the row goes, and waiters stop waiting for this instance at once. */
export async function leaveInstances(client: pg.Client, id: string): Promise<void> {
  await client.query(
    'WITH gone AS (DELETE FROM instances WHERE id = $1 RETURNING 1) SELECT pg_notify($2, $3) FROM gone',
    [id, INSTANCE_CHANNEL, `${leaseMessage(id, 0, 0)}0`],
  );
}

const ACK_PAYLOAD = /^A [0-9a-f-]+( [0-9a-f-]+:\d+)+$/;

/**
 * A NOTIFY gets a transaction id, so with synchronous_commit its commit waits
 * for a WAL flush, for nothing: an ack records no data, and a lost one only
 * makes the waiter fall back to the lease. So acks commit asynchronously, in
 * one round trip (a simple query, hence the literal, checked to hold only
 * ids, digits, colons and spaces).
 */
export async function sendAcks(client: pg.Client, acker: string, tags: readonly string[]): Promise<void> {
  const payload = ackMessage(acker, tags);
  if (!ACK_PAYLOAD.test(payload)) throw new Error('malformed ack');
  await client.query(
    `BEGIN; SET LOCAL synchronous_commit TO off; SELECT pg_notify('${INSTANCE_CHANNEL}', '${payload}'); COMMIT`,
  );
}
