import pg from 'pg';
import type { RevocationBarrier } from '../domain/barrier.js';
import type { RevocationList } from '../domain/revocation.js';
import {
  INSTANCE_CHANNEL,
  type InstanceIdentity,
  joinInstances,
  leaveInstances,
  renewLease,
  sendAcks,
} from './lease-queries.js';
import { POLICY_CHANNEL } from './policy-queries.js';
import { REVOCATION_CHANNEL, type Store } from './store.js';

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface FeedOptions {
  connectionString: string;
  /** How often the listening connection is probed; a dead one is noticed within about this long. */
  heartbeatMs?: number;
  /** Overlap when catching up, for transactions that ended sessions before committing. */
  catchUpOverlapMs?: number;
  /** Told of every notification heard (metrics: how long revocations take to arrive). */
  onHeard?: (ended: { id: string; endedAt: Date }[]) => void;
  /** This instance's lease (docs/architecture.md, "The revocation barrier"); none: no lease, no acks. */
  lease?: LeaseOptions;
  /**
   * Re-reads the stored session policy (policy-settings.ts): when a change is heard, and on
   * every (re)connection, once listening, since a change made while disconnected was not heard.
   */
  onPolicyChanged?: () => Promise<void>;
}

export interface LeaseOptions {
  identity: InstanceIdentity;
  leaseMs: number;
  renewMs: number;
  /** Hears the acks for this instance's own endings, and other instances rejoining or leaving. */
  barrier: RevocationBarrier;
}

/** What /metrics shows of the lease. */
export interface LeaseState {
  /** Seconds since the start of the last renewal this instance confirmed; null before the first. */
  leaseAgeSeconds(): number | null;
  /** Round trip of the last renewal through the feed, seconds. */
  feedLagSeconds(): number | null;
}

// NOTIFY payloads are limited to 8000 bytes; "<uuid>:<n> " is about 45.
const ACKS_PER_NOTIFY = 150;

/**
 * Carries ended sessions between instances over PostgreSQL LISTEN/NOTIFY
 * (the NOTIFY is sent by the ending transaction itself, so it is delivered
 * exactly when the change commits). When the listening connection is lost,
 * the revocation list is marked stale — authenticated requests get 503 —
 * until we are listening again and have re-read every session ended since.
 *
 * With a lease, the same connection also holds this instance's lease: it
 * joins the `instances` table, renews every `renewMs`, and acks each batch
 * of endings it applies (one NOTIFY for every batch heard meanwhile). The
 * instance vouches for tokens only until `leaseMs` after sending the last
 * renewal it heard back on this connection: hearing it back proves every
 * ending committed before it was heard (and applied) first.
 */
export class RevocationFeed implements LeaseState {
  #client: pg.Client | null = null;
  #stopped = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #reconnect: NodeJS.Timeout | undefined;
  #attempt = 0;
  readonly #opts: Required<Omit<FeedOptions, 'lease'>>;
  readonly #lease: LeaseOptions | undefined;
  // Lease state: the epoch of this connection's join, renewals sent and not yet heard back.
  #epoch = 0;
  #renewal = 0;
  readonly #sent = new Map<number, number>();
  #renewing: pg.Client | null = null;
  #appliedThrough: Date | null = null;
  #feedLagMs: number | null = null;
  #confirmedAt: number | null = null;
  #acks: string[] = [];
  #acking = false;

  constructor(
    opts: FeedOptions,
    private readonly store: Store,
    private readonly revocations: RevocationList,
    private readonly log: Log,
  ) {
    const { lease, ...rest } = opts;
    this.#opts = {
      heartbeatMs: 1000,
      catchUpOverlapMs: 60_000,
      onHeard: () => {},
      onPolicyChanged: () => Promise.resolve(),
      ...rest,
    };
    this.#lease = lease;
  }

  /**
   * Resolves once listening and caught up; rejects if the first connection fails, or
   * `whileReading` does. `whileReading` runs once the catch-up read is on its way to the
   * database, and this connection waits for it before its next round trip: a start builds its
   * app there, while PostgreSQL runs the read (src/server.ts). Resolves with what it made.
   */
  start(): Promise<void>;
  start<T>(whileReading: () => Promise<T>): Promise<T>;
  async start<T>(whileReading?: () => Promise<T>): Promise<T | undefined> {
    this.revocations.markStale();
    if (this.#lease) this.revocations.requireLease();
    let made: T | undefined;
    await this.#connect(
      Date.now() - this.revocations.retainMs,
      whileReading &&
        (async () => {
          made = await whileReading();
        }),
    );
    return made;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#reconnect);
    const client = this.#client;
    this.#client = null;
    // Leave cleanly, so that no ending waits for this instance's lease to lapse.
    if (client && this.#lease) await leaveInstances(client, this.#lease.identity.id).catch(() => {});
    await client?.end().catch(() => {});
  }

  leaseAgeSeconds(): number | null {
    return this.#confirmedAt === null ? null : (performance.now() - this.#confirmedAt) / 1000;
  }

  feedLagSeconds(): number | null {
    return this.#feedLagMs === null ? null : this.#feedLagMs / 1000;
  }

  async #connect(catchUpFrom: number, whileReading?: () => Promise<void>): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#opts.connectionString,
      connectionTimeoutMillis: 2000,
      query_timeout: 2000,
      keepAlive: true,
    });
    client.on('notification', (msg) => {
      if (msg.channel === POLICY_CHANNEL) return void this.#reloadPolicy();
      if (!msg.payload) return;
      if (msg.channel === INSTANCE_CHANNEL) return this.#heardInstance(msg.payload);
      if (msg.channel !== REVOCATION_CHANNEL) return;
      const { batch, ended } = parseEnding(msg.payload);
      this.revocations.add(ended);
      this.#opts.onHeard(ended);
      // Applied (add is synchronous): confirm the batch to the instance waiting for it.
      if (batch && this.#lease && !batch.startsWith(`${this.#lease.identity.id}:`)) {
        this.#acks.push(batch);
        this.#flushAcks(client);
      }
    });
    client.on('error', (err) => this.#lost(client, err));
    client.on('end', () => this.#lost(client, new Error('connection ended')));
    try {
      await client.connect();
      // Listen first, then read: anything ended in between is seen twice, never missed. The read
      // (on the store's own connections; 100,000 rows in the scale run) runs while this
      // connection joins the instances below; nothing is vouched for before both are done.
      await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
      const since = new Date(catchUpFrom - this.#opts.catchUpOverlapMs);
      let missed = this.store.sessionsEndedSince(since);
      // Awaited below; a failure while joining is not an unhandled rejection.
      missed.catch(() => {});
      if (whileReading) {
        // Nothing is sent on this connection meanwhile: the caller's work may hold the event
        // loop for seconds on a busy machine, and a query waiting behind it would time out.
        await whileReading();
        // The read may have timed out behind that work too: then it is made once more.
        missed = missed.catch(() => this.store.sessionsEndedSince(since));
        missed.catch(() => {});
      }
      if (this.#lease) {
        await client.query(`LISTEN ${INSTANCE_CHANNEL}`);
        // Joined only once listening: an ending that lists this instance is heard here.
        this.#sent.clear();
        this.#epoch = await joinInstances(client, this.#lease.identity, this.#lease.leaseMs);
        // The first renewal announces the new epoch and, once heard back, starts the lease.
        await this.#renew(client, true);
      }
      this.revocations.addSince(await missed);
      await client.query(`LISTEN ${POLICY_CHANNEL}`);
      await this.#opts.onPolicyChanged();
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw err;
    }
    if (this.#stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#attempt = 0;
    this.revocations.markCurrent();
    // With a lease, each renewal is also the heartbeat.
    this.#heartbeat = this.#lease
      ? setInterval(() => void this.#renew(client), this.#lease.renewMs)
      : setInterval(() => {
          client.query('SELECT 1').catch((err) => this.#lost(client, err));
        }, this.#opts.heartbeatMs);
    this.#heartbeat.unref();
  }

  #reloadPolicy(): Promise<void> {
    return this.#opts.onPolicyChanged().catch((err: unknown) => {
      // The next change, or the next reconnection, reads it again.
      this.log.warn({ err }, 'could not re-read the session policy after a change');
    });
  }

  /** While `joining`, failures are thrown (the connect fails and is retried) rather than reported lost. */
  async #renew(client: pg.Client, joining = false): Promise<void> {
    const lease = this.#lease;
    // One renewal at a time: a slow database must not pile them up (the lease lapses meanwhile).
    if (!lease || this.#renewing === client) return;
    this.#renewing = client;
    const renewal = ++this.#renewal;
    this.#sent.set(renewal, performance.now());
    const me = { id: lease.identity.id, epoch: this.#epoch };
    try {
      const renewed = await renewLease(
        client,
        me,
        lease.leaseMs,
        renewal,
        this.#appliedThrough,
        this.#feedLagMs,
      );
      // Our row is gone (removed as long dead while we were frozen): join again, with catch-up.
      if (!renewed) throw new Error('lease row gone; rejoining');
    } catch (err) {
      if (joining) throw err;
      this.#lost(client, err);
    } finally {
      if (this.#renewing === client) this.#renewing = null;
    }
  }

  /** "L <id> <epoch> <renewal> <ms>" (a lease renewed or given up) or "A <acker> <batch> …". */
  #heardInstance(payload: string): void {
    const lease = this.#lease;
    if (!lease) return;
    const own = heardInstanceMessage(payload, lease.identity.id, lease.barrier);
    if (!own) return;
    const sentAt = this.#sent.get(own.renewal);
    if (own.epoch !== this.#epoch || sentAt === undefined) return;
    // Heard back: every ending committed before this renewal has been heard and applied.
    const now = performance.now();
    this.revocations.holdLeaseUntil(sentAt + lease.leaseMs);
    this.#confirmedAt = sentAt;
    this.#feedLagMs = now - sentAt;
    this.#appliedThrough = new Date(own.atMs);
    for (const k of this.#sent.keys()) if (k <= own.renewal) this.#sent.delete(k);
  }

  /** Acks go out as one NOTIFY for whatever was applied while the previous one was sent. */
  #flushAcks(client: pg.Client): void {
    if (this.#acking || this.#acks.length === 0 || !this.#lease) return;
    const tags = this.#acks.splice(0, ACKS_PER_NOTIFY);
    this.#acking = true;
    sendAcks(client, this.#lease.identity.id, tags).then(
      () => {
        this.#acking = false;
        this.#flushAcks(client);
      },
      (err) => {
        this.#acking = false;
        // Unsent acks are not lost confirmations: the waiters fall back to our lease.
        this.#acks = [];
        this.#lost(client, err);
      },
    );
  }

  #lost(client: pg.Client, err: unknown): void {
    if (this.#stopped || this.#client !== client) return;
    this.#client = null;
    clearInterval(this.#heartbeat);
    this.revocations.markStale();
    this.log.warn({ err }, 'revocation feed lost its database connection; refusing tokens until caught up');
    client.removeAllListeners('end');
    client.end().catch(() => {});
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    const delay = Math.min(2000, 50 * 2 ** this.#attempt++);
    this.#reconnect = setTimeout(() => {
      const from = this.revocations.staleSince ?? Date.now();
      this.#connect(from).then(
        () => this.log.info({}, 'revocation feed reconnected and caught up'),
        () => this.#scheduleReconnect(),
      );
    }, delay);
    this.#reconnect.unref();
  }
}

/**
 * Hands a message of INSTANCE_CHANNEL to the barrier: acks of `self`'s
 * batches, and other instances' epochs (a rejoin, or 0: left). Returns
 * `self`'s own lease renewals, for the feed that sent them.
 */
export function heardInstanceMessage(
  payload: string,
  self: string,
  barrier: RevocationBarrier,
): { epoch: number; renewal: number; atMs: number } | null {
  const parts = payload.split(' ');
  const [kind, id] = parts;
  if (!id) return null;
  if (kind === 'A') {
    const prefix = `${self}:`;
    for (let i = 2; i < parts.length; i++) {
      const tag = parts[i] as string;
      if (tag.startsWith(prefix)) barrier.acked(id, Number(tag.slice(prefix.length)));
    }
    return null;
  }
  if (kind !== 'L') return null;
  const epoch = Number(parts[2]);
  if (id !== self) {
    barrier.rejoined(id, epoch);
    return null;
  }
  return { epoch, renewal: Number(parts[3]), atMs: Number(parts[4]) };
}

/**
 * For a process that ends sessions without being an instance (the CLI):
 * listens for the acks its barrier waits on, and holds no lease.
 */
export class AckListener {
  #client: pg.Client | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly barrier: RevocationBarrier,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, connectionTimeoutMillis: 2000 });
    client.on('notification', (msg) => {
      if (msg.channel === INSTANCE_CHANNEL && msg.payload)
        heardInstanceMessage(msg.payload, this.barrier.self, this.barrier);
    });
    // A lost connection only means the barrier falls back to the instances' leases.
    client.on('error', () => {});
    await client.connect();
    await client.query(`LISTEN ${INSTANCE_CHANNEL}`);
    this.#client = client;
  }

  async stop(): Promise<void> {
    await this.#client?.end().catch(() => {});
    this.#client = null;
  }
}

/** "[<batch>|]<uuid>@<epoch ms>,…" as written by Store.notifySessionsEnded. */
export function parseEnding(payload: string): {
  batch: string | null;
  ended: { id: string; endedAt: Date }[];
} {
  const bar = payload.indexOf('|');
  return bar < 0
    ? { batch: null, ended: parsePayload(payload) }
    : { batch: payload.slice(0, bar), ended: parsePayload(payload.slice(bar + 1)) };
}

/** "<uuid>@<epoch ms>,…": the ended sessions of one notification. */
export function parsePayload(payload: string): { id: string; endedAt: Date }[] {
  const out: { id: string; endedAt: Date }[] = [];
  for (const item of payload.split(',')) {
    const [id, ms] = item.split('@');
    const t = Number(ms);
    if (id && Number.isFinite(t)) out.push({ id, endedAt: new Date(t) });
  }
  return out;
}
