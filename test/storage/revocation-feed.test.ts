import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevocationBarrier } from '../../src/domain/barrier.js';
import { RevocationList } from '../../src/domain/revocation.js';
import { AckListener, parseEnding, parsePayload, RevocationFeed } from '../../src/storage/revocation-feed.js';
import { createStore, type Store } from '../../src/storage/store.js';
import { openPostgresSchema, TEST_DATABASE_URL, type TestDatabase } from '../support/backends.js';

const silent = { info() {}, warn() {} };

async function until(check: () => boolean, timeoutMs = 5000): Promise<number> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 1));
  }
  return performance.now() - start;
}

describe('parsePayload', () => {
  it('reads "<uuid>@<epoch ms>" items and skips malformed ones', () => {
    const id = randomUUID();
    expect(parsePayload(`${id}@1700000000000,garbage,@5,x@notanumber`)).toEqual([
      { id, endedAt: new Date(1_700_000_000_000) },
    ]);
  });
});

describe('parseEnding', () => {
  it('separates the barrier batch tag from the ids, and reads untagged payloads', () => {
    const id = randomUUID();
    expect(parseEnding(`${id}:7|${id}@5`)).toEqual({
      batch: `${id}:7`,
      ended: [{ id, endedAt: new Date(5) }],
    });
    expect(parseEnding(`${id}@5`)).toEqual({ batch: null, ended: [{ id, endedAt: new Date(5) }] });
  });
});

describe.runIf(TEST_DATABASE_URL)('revocation feed over PostgreSQL LISTEN/NOTIFY', () => {
  let database: TestDatabase;
  let store: Store;
  let list: RevocationList;
  let feed: RevocationFeed;
  let userId: string;
  const feedName = `feed-test-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    database = await openPostgresSchema(TEST_DATABASE_URL as string);
    store = createStore(database.db);
    userId = randomUUID();
    await store.insertUser({
      id: userId,
      email: `${userId}@example.test`,
      name: null,
      passwordHash: 'h',
      roles: [],
    });
    list = new RevocationList(900);
    // A name of its own, so the test can cut this feed's connection and no one else's.
    const url = new URL(database.databaseUrl as string);
    url.searchParams.set('application_name', feedName);
    feed = new RevocationFeed({ connectionString: url.toString(), heartbeatMs: 100 }, store, list, silent);
    await feed.start();
  });
  afterAll(async () => {
    await feed.stop();
    await database.dispose();
  });

  /** A second feed, with a revocation list of its own, started by the test (and stopped by it). */
  const lateFeed = (from: Store = store, connectionString = database.databaseUrl as string) => {
    const late = new RevocationList(900);
    return { late, other: new RevocationFeed({ connectionString }, from, late, silent) };
  };

  const newSession = () =>
    store.insertSession({
      id: randomUUID(),
      userId,
      expiresAt: new Date(Date.now() + 3600_000),
      ip: null,
      userAgent: null,
    });
  /** Ends a session the way the domain does: update and NOTIFY in one transaction. */
  const endSession = (id: string, commit = true) =>
    store.transaction(async (tx) => {
      const ended = await tx.endSessions([{ target: { sessionIds: [id] }, reason: 'logout' }]);
      await tx.notifySessionsEnded(ended);
      if (!commit) throw new Error('rolled back');
    });

  const connectionsNamed = async (name: string) => {
    const rows = await database.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [name],
    );
    return rows[0]?.n ?? -1;
  };

  it("runs the caller's work while its catch-up read is out, and reads again if that read failed meanwhile", async () => {
    const s = await newSession();
    await endSession(s.id);
    let reads = 0;
    // The first read fails, as one that timed out behind a long build would.
    const flaky: Store = {
      ...store,
      sessionsEndedSince: (since) =>
        ++reads === 1 ? Promise.reject(new Error('Query read timeout')) : store.sessionsEndedSince(since),
    };
    const { late, other } = lateFeed(flaky);
    const order: string[] = [];
    await other.start(async () => {
      order.push(`work after ${reads} read`);
      expect(late.current).toBe(false);
    });
    order.push('started');
    try {
      expect(order).toEqual(['work after 1 read', 'started']);
      expect(reads).toBe(2);
      expect(late.isEnded(s.id)).toBe(true);
      expect(late.current).toBe(true);
    } finally {
      await other.stop();
    }
  });

  it("fails to start when the caller's work fails, and leaves no connection behind", async () => {
    const url = new URL(database.databaseUrl as string);
    const name = `feed-failed-${randomUUID().slice(0, 8)}`;
    url.searchParams.set('application_name', name);
    const { late, other } = lateFeed(store, url.toString());
    let connected = -1;
    await expect(
      other.start(async () => {
        connected = await connectionsNamed(name);
        throw new Error('the app did not build');
      }),
    ).rejects.toThrow('the app did not build');
    expect(connected).toBe(1);
    expect(await connectionsNamed(name)).toBe(0);
    expect(late.current).toBe(false);
    await other.stop();
  });

  it('loads sessions ended before it started', async () => {
    const s = await newSession();
    await endSession(s.id);
    const { late, other } = lateFeed();
    await other.start();
    expect(late.isEnded(s.id)).toBe(true);
    expect(late.current).toBe(true);
    await other.stop();
  });

  it('hears a session ended by another connection within milliseconds of the commit', async () => {
    const s = await newSession();
    expect(list.isEnded(s.id)).toBe(false);
    await endSession(s.id);
    const delay = await until(() => list.isEnded(s.id));
    expect(delay).toBeLessThan(1000);
  });

  it('hears nothing of a rolled-back ending', async () => {
    const s = await newSession();
    await expect(endSession(s.id, false)).rejects.toThrow('rolled back');
    const marker = await newSession();
    await endSession(marker.id);
    await until(() => list.isEnded(marker.id));
    expect(list.isEnded(s.id)).toBe(false);
  });

  it('goes stale when its connection is killed, and catches up on what it missed before trusting again', async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const missed = await newSession();
    const killed = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [feedName],
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    await until(() => !list.current);
    // Ended while the feed was down: no notification reaches it.
    await endSession(missed.id);
    await until(() => list.current);
    expect(list.isEnded(missed.id)).toBe(true);
    await admin.end();
  });

  it('with a lease: joins, vouches only once its renewal is heard back, acks batches, and leaves on stop', async () => {
    const id = randomUUID();
    const leased = new RevocationList(900);
    const own = new RevocationBarrier(store, { self: id, marginMs: 100, timeoutMs: 5000, enabled: true });
    const feed = new RevocationFeed(
      {
        connectionString: database.databaseUrl as string,
        lease: {
          identity: { id, address: 'test:1', version: 'v' },
          leaseMs: 1000,
          renewMs: 100,
          barrier: own,
        },
      },
      store,
      leased,
      silent,
    );
    await feed.start();
    await until(() => leased.current);
    expect(feed.leaseAgeSeconds()).toBeLessThan(1);
    expect((await store.listInstances()).find((i) => i.id === id)).toMatchObject({
      address: 'test:1',
      epoch: 1,
      leaseValid: true,
    });

    // Another process ends a session and waits on the barrier: this feed must ack it.
    const other = new RevocationBarrier(store, {
      self: randomUUID(),
      marginMs: 100,
      timeoutMs: 5000,
      enabled: true,
    });
    const acks = new AckListener(database.databaseUrl as string, other);
    await acks.start();
    const s = await newSession();
    const ticket = await store.transaction(async (tx) => {
      const ended = await tx.endSessions([{ target: { sessionIds: [s.id] }, reason: 'logout' }]);
      const t = await other.enter(tx);
      await tx.notifySessionsEnded(ended, t.batch);
      return t;
    });
    expect(ticket.members.map((m) => m.id)).toContain(id);
    // The feed keeps renewing its lease, so only its ack can resolve this (else: 503 after 5 s).
    await other.wait(ticket);
    expect(leased.isEnded(s.id)).toBe(true);

    await feed.stop();
    await acks.stop();
    expect((await store.listInstances()).find((i) => i.id === id)).toBeUndefined();
  });

  it('joins only after the endings that listed the instances without it have committed, and sees them', async () => {
    const s = await newSession();
    const other = new RevocationBarrier(store, {
      self: randomUUID(),
      marginMs: 100,
      timeoutMs: 5000,
      enabled: true,
    });
    let commit!: () => void;
    const mayCommit = new Promise<void>((r) => {
      commit = r;
    });
    let listed: string[] | null = null;
    const ending = store.transaction(async (tx) => {
      const ended = await tx.endSessions([{ target: { sessionIds: [s.id] }, reason: 'logout' }]);
      const ticket = await other.enter(tx);
      listed = ticket.members.map((m) => m.id);
      await tx.notifySessionsEnded(ended, ticket.batch);
      await mayCommit;
    });
    // Listed: the ending now holds the barrier lock, uncommitted.
    await until(() => listed !== null);

    const id = randomUUID();
    const joiner = new RevocationList(900);
    const feed = new RevocationFeed(
      {
        connectionString: database.databaseUrl as string,
        lease: {
          identity: { id, address: 'test:2', version: 'v' },
          leaseMs: 1000,
          renewMs: 100,
          barrier: new RevocationBarrier(store, { self: id, marginMs: 100, timeoutMs: 5000, enabled: true }),
        },
      },
      store,
      joiner,
      silent,
    );
    let joined = false;
    const starting = feed.start().then(() => {
      joined = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    // Its row is written, but it waits for the ending that could not list it.
    expect(joined).toBe(false);
    expect(listed).not.toContain(id);
    commit();
    await ending;
    await starting;
    expect(joiner.isEnded(s.id)).toBe(true);
    await feed.stop();
  });
});
