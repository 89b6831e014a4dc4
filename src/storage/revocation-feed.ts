import pg from 'pg';
import type { RevocationList } from '../domain/revocation.js';
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
}

/**
 * Carries ended sessions between instances over PostgreSQL LISTEN/NOTIFY
 * (the NOTIFY is sent by the ending transaction itself, so it is delivered
 * exactly when the change commits). When the listening connection is lost,
 * the revocation list is marked stale — authenticated requests get 503 —
 * until we are listening again and have re-read every session ended since.
 */
export class RevocationFeed {
  #client: pg.Client | null = null;
  #stopped = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #reconnect: NodeJS.Timeout | undefined;
  #attempt = 0;
  readonly #opts: Required<FeedOptions>;

  constructor(
    opts: FeedOptions,
    private readonly store: Store,
    private readonly revocations: RevocationList,
    private readonly log: Log,
  ) {
    this.#opts = { heartbeatMs: 1000, catchUpOverlapMs: 60_000, onHeard: () => {}, ...opts };
  }

  /** Resolves once listening and caught up; rejects if the first connection fails. */
  async start(): Promise<void> {
    this.revocations.markStale();
    await this.#connect(Date.now() - this.revocations.retainMs);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#reconnect);
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {});
  }

  async #connect(catchUpFrom: number): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#opts.connectionString,
      connectionTimeoutMillis: 2000,
      query_timeout: 2000,
      keepAlive: true,
    });
    client.on('notification', (msg) => {
      if (msg.channel !== REVOCATION_CHANNEL || !msg.payload) return;
      const ended = parsePayload(msg.payload);
      this.revocations.add(ended);
      this.#opts.onHeard(ended);
    });
    client.on('error', (err) => this.#lost(client, err));
    client.on('end', () => this.#lost(client, new Error('connection ended')));
    try {
      await client.connect();
      // Listen first, then read: anything ended in between is seen twice, never missed.
      await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
      const missed = await this.store.sessionsEndedSince(new Date(catchUpFrom - this.#opts.catchUpOverlapMs));
      this.revocations.add(missed);
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
    this.#heartbeat = setInterval(() => {
      client.query('SELECT 1').catch((err) => this.#lost(client, err));
    }, this.#opts.heartbeatMs);
    this.#heartbeat.unref();
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

/** "<uuid>@<epoch ms>,…" as written by Store.notifySessionsEnded. */
export function parsePayload(payload: string): { id: string; endedAt: Date }[] {
  const out: { id: string; endedAt: Date }[] = [];
  for (const item of payload.split(',')) {
    const [id, ms] = item.split('@');
    const t = Number(ms);
    if (id && Number.isFinite(t)) out.push({ id, endedAt: new Date(t) });
  }
  return out;
}
