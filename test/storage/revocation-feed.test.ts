import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevocationList } from '../../src/domain/revocation.js';
import { parsePayload, RevocationFeed } from '../../src/storage/revocation-feed.js';
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

  it('loads sessions ended before it started', async () => {
    const s = await newSession();
    await endSession(s.id);
    const late = new RevocationList(900);
    const other = new RevocationFeed(
      { connectionString: database.databaseUrl as string },
      store,
      late,
      silent,
    );
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
});
