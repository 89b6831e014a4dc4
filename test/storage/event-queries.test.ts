import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/storage/postgres.js';
import { createStore, type Store } from '../../src/storage/store.js';
import { backends, type TestDatabase } from '../support/backends.js';

/** The outbox's contract, on every backend: the SQL the dispatcher's guarantees rest on. */
describe.each(backends)('event outbox on $name', (backend) => {
  let database: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await backend.open();
    store = createStore(database.db);
  });
  afterAll(() => database.dispose());
  beforeEach(async () => {
    await database.db.query('DELETE FROM event_outbox');
    await database.db.query('DELETE FROM webhook_endpoints');
  });

  const endpoint = async (url = `https://h.example.test/${randomUUID()}`) => {
    const e = await store.insertWebhookEndpoint({
      id: randomUUID(),
      url,
      secret: 's'.repeat(16),
      source: 'cli',
      description: null,
    });
    if (!e) throw new Error('not inserted');
    return e;
  };
  /** `n` sessions of one new user, ended just now (as an ending transaction leaves them): their ids. */
  const ended = async (n: number, reason = 'logout'): Promise<string[]> => {
    const userId = randomUUID();
    await database.db.query("INSERT INTO users (id, email, password_hash) VALUES ($1, $2, 'h')", [
      userId,
      `${userId}@example.test`,
    ]);
    const ids = Array.from({ length: n }, () => randomUUID());
    await database.db.query(
      `INSERT INTO sessions (id, user_id, expires_at, ended_at, end_reason)
       SELECT unnest($1::uuid[]), $2, now() + interval '1 hour', clock_timestamp(), $3`,
      [ids, userId, reason],
    );
    return ids;
  };

  it('writes one row per ended session per active endpoint, and none without an endpoint', async () => {
    expect(await store.insertSessionEndedEvents(await ended(3))).toBe(0);
    expect(await store.listDeliveries({ limit: 100 })).toEqual([]);
    const [a, b] = [await endpoint(), await endpoint()];
    await store.disableWebhookEndpoint(b.id);
    await endpoint();
    const sessions = await ended(2);
    expect(await store.insertSessionEndedEvents(sessions)).toBe(4);
    const rows = await store.listDeliveries({ limit: 100 });
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.state === 'pending' && r.attempts === 0 && r.type === 'session.ended')).toBe(
      true,
    );
    // One event per session: the same id on every endpoint's row, another for the other session.
    const bySession = new Map<string, Set<string>>();
    for (const r of rows) {
      const { sessionId } = (r.payload as { data: { sessionId: string } }).data;
      bySession.set(sessionId, (bySession.get(sessionId) ?? new Set()).add(r.eventId));
    }
    expect([...bySession.keys()].sort()).toEqual([...sessions].sort());
    expect([...bySession.values()].map((ids) => ids.size)).toEqual([1, 1]);
    expect(new Set(rows.map((r) => r.eventId)).size).toBe(2);
    expect(rows.filter((r) => r.endpointId === a.id)).toHaveLength(2);
  });

  it("makes the payload docs/events.md describes, from the session's row", async () => {
    await endpoint();
    const [id] = await ended(1, 'password_changed');
    const [session] = await database.db.query<{ user_id: string; ended_at: Date }>(
      'SELECT user_id, ended_at FROM sessions WHERE id = $1',
      [id],
    );
    const before = Date.now();
    await store.insertSessionEndedEvents([id as string]);
    const [row] = await store.listDeliveries({ limit: 10 });
    expect(row?.payload).toEqual({
      id: row?.eventId,
      type: 'session.ended',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: {
        userId: session?.user_id,
        sessionId: id,
        reason: 'password_changed',
        // As JavaScript writes the instant the API reports (milliseconds, UTC).
        endedAt: session?.ended_at.toISOString(),
      },
    });
    const createdAt = Date.parse((row?.payload as { createdAt: string } | undefined)?.createdAt ?? '');
    expect(Math.abs(createdAt - before)).toBeLessThan(5_000);
  });

  it('writes nothing for a session that has not ended', async () => {
    await endpoint();
    const [id] = await ended(1);
    await database.db.query('UPDATE sessions SET ended_at = NULL WHERE id = $1', [id]);
    expect(await store.insertSessionEndedEvents([id as string])).toBe(0);
  });

  it('claims a due row once: the lease keeps it from a second claim until it runs out', async () => {
    await endpoint();
    await store.insertSessionEndedEvents(await ended(1));
    const [first] = await store.claimDeliveries(10, 60_000);
    expect(first).toMatchObject({ attempts: 1, secret: 's'.repeat(16) });
    expect(await store.claimDeliveries(10, 60_000)).toEqual([]);

    // An outcome recorded by a claim that is no longer current is ignored.
    await store.scheduleRetry(first!.id, first!.attempts, 0, 'HTTP 500');
    const [second] = await store.claimDeliveries(10, 60_000);
    expect(second).toMatchObject({ id: first!.id, attempts: 2 });
    await store.markDelivered(first!.id, 1);
    expect((await store.listDeliveries({ limit: 10 }))[0]).toMatchObject({
      state: 'pending',
      lastError: 'HTTP 500',
    });
    await store.markDelivered(second!.id, 2);
    expect((await store.listDeliveries({ limit: 10 }))[0]).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(await store.claimDeliveries(10, 0)).toEqual([]);
  });

  it('marks dead, requeues dead, and drops what a removed endpoint had pending', async () => {
    const e = await endpoint();
    await store.insertSessionEndedEvents(await ended(2));
    const claimed = await store.claimDeliveries(1, 60_000);
    await store.markDead(claimed[0]!.id, 1, 'HTTP 410');
    expect(await store.listDeliveries({ state: 'dead', limit: 10 })).toHaveLength(1);
    expect(await store.requeueDeadDeliveries(e.id)).toBe(1);
    expect(await store.listDeliveries({ state: 'pending', limit: 10 })).toHaveLength(2);

    expect(await store.disableWebhookEndpoint(e.id)).toBe(true);
    expect(await store.disableWebhookEndpoint(e.id)).toBe(false);
    const rows = await store.listDeliveries({ limit: 10 });
    expect(rows.every((r) => r.state === 'dead' && r.lastError === 'endpoint removed')).toBe(true);
    expect(await store.claimDeliveries(10, 0)).toEqual([]);
    expect(await store.requeueDeadDeliveries()).toBe(0);
  });

  it('prunes finished rows older than a time, and keeps pending ones', async () => {
    await endpoint();
    await store.insertSessionEndedEvents(await ended(3));
    const [done] = await store.claimDeliveries(1, 60_000);
    await store.markDelivered(done!.id, 1);
    expect(await store.pruneDeliveries(new Date(Date.now() - 60_000))).toBe(0);
    expect(await store.pruneDeliveries(new Date(Date.now() + 60_000))).toBe(1);
    expect(await store.listDeliveries({ limit: 10 })).toHaveLength(2);
  });

  it('counts deliveries per endpoint', async () => {
    const e = await endpoint();
    await store.insertSessionEndedEvents(await ended(3));
    const [one] = await store.claimDeliveries(1, 60_000);
    await store.markDelivered(one!.id, 1);
    const [listed] = await store.listWebhookEndpoints(false);
    expect(listed).toMatchObject({ id: e.id, pending: 2, delivered: 1, dead: 0 });
  });

  // Only PostgreSQL has concurrent connections; defined (not skipped) only there.
  if (backend.name === 'postgres')
    it('hands concurrent claimers disjoint rows (SKIP LOCKED)', async () => {
      await endpoint();
      await store.insertSessionEndedEvents(await ended(300));
      const others = Array.from({ length: 3 }, () =>
        openPostgres({ connectionString: database.databaseUrl as string }),
      );
      try {
        const claimers = [store, ...others.map(createStore)];
        const claimed: string[] = [];
        await Promise.all(
          claimers.map(async (s) => {
            for (;;) {
              const batch = await s.claimDeliveries(7, 60_000);
              if (batch.length === 0) return;
              claimed.push(...batch.map((d) => d.id));
            }
          }),
        );
        expect(claimed).toHaveLength(300);
        expect(new Set(claimed).size).toBe(300);
      } finally {
        await Promise.all(others.map((o) => o.close()));
      }
    });
});
