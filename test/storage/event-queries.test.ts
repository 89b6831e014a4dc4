import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SessionEndedEvent, sessionEndedEvents } from '../../src/domain/events.js';
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
  const events = (n: number): SessionEndedEvent[] =>
    sessionEndedEvents(
      Array.from({ length: n }, () => ({
        id: randomUUID(),
        userId: randomUUID(),
        endedAt: new Date(),
        reason: 'logout' as const,
      })),
    );

  it('writes one row per event per active endpoint, and none without an endpoint', async () => {
    expect(await store.insertEvents(events(3))).toBe(0);
    const [a, b] = [await endpoint(), await endpoint()];
    await store.disableWebhookEndpoint(b.id);
    await endpoint();
    const written = events(2);
    expect(await store.insertEvents(written)).toBe(4);
    const rows = await store.listDeliveries({ limit: 100 });
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.eventId))).toEqual(new Set(written.map((e) => e.id)));
    expect(rows.every((r) => r.state === 'pending' && r.attempts === 0 && r.type === 'session.ended')).toBe(
      true,
    );
    expect(rows.filter((r) => r.endpointId === a.id)[0]?.payload).toMatchObject({ type: 'session.ended' });
  });

  it('claims a due row once: the lease keeps it from a second claim until it runs out', async () => {
    await endpoint();
    await store.insertEvents(events(1));
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
    await store.insertEvents(events(2));
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
    await store.insertEvents(events(3));
    const [done] = await store.claimDeliveries(1, 60_000);
    await store.markDelivered(done!.id, 1);
    expect(await store.pruneDeliveries(new Date(Date.now() - 60_000))).toBe(0);
    expect(await store.pruneDeliveries(new Date(Date.now() + 60_000))).toBe(1);
    expect(await store.listDeliveries({ limit: 10 })).toHaveLength(2);
  });

  it('counts deliveries per endpoint', async () => {
    const e = await endpoint();
    await store.insertEvents(events(3));
    const [one] = await store.claimDeliveries(1, 60_000);
    await store.markDelivered(one!.id, 1);
    const [listed] = await store.listWebhookEndpoints(false);
    expect(listed).toMatchObject({ id: e.id, pending: 2, delivered: 1, dead: 0 });
  });

  // Only PostgreSQL has concurrent connections; defined (not skipped) only there.
  if (backend.name === 'postgres')
    it('hands concurrent claimers disjoint rows (SKIP LOCKED)', async () => {
      await endpoint();
      await store.insertEvents(events(300));
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
