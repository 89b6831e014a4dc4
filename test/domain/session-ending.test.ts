import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RequestOrigin } from '../../src/domain/model.js';
import { endingBatches, endSessions, withSessionEnding } from '../../src/domain/session-ending.js';
import { DatabaseUnavailableError } from '../../src/storage/db.js';
import { backends } from '../support/backends.js';
import { register, sessionState, startTestApp, type TestApp } from '../support/harness.js';

describe.each(backends)('ending sessions on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  const session = (userId: string) =>
    t.store.insertSession({
      id: randomUUID(),
      userId,
      expiresAt: new Date(Date.now() + 3600_000),
      ip: null,
      userAgent: null,
    });
  const origin = (n: number): RequestOrigin => ({ ip: `10.9.0.${n}`, userAgent: `device ${n}` });
  const endedAudit = async (userId: string) =>
    (await t.store.listAuditEvents({ userId, limit: 50 })).filter((e) => e.action === 'session.ended');

  /** Counts the transactions the store opens while `fn` runs. */
  /** Commits: transactions, and on the embedded store the one-statement batches of named sessions. */
  async function countingTransactions<T>(fn: () => Promise<T>): Promise<{ result: T; transactions: number }> {
    const spies = [vi.spyOn(t.ctx.store, 'transaction'), vi.spyOn(t.ctx.store, 'endNamedSessionsRecorded')];
    try {
      const result = await fn();
      return { result, transactions: spies.reduce((n, spy) => n + spy.mock.calls.length, 0) };
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  }

  it('commits concurrent endings together, each answered with its own sessions, audited as its own request', async () => {
    const endpoint = await t.store.insertWebhookEndpoint({
      id: randomUUID(),
      url: `http://127.0.0.1:9/${randomUUID()}`,
      secret: 's'.repeat(16),
      source: 'cli',
      description: null,
    });
    const users = await Promise.all(Array.from({ length: 30 }, () => register(t)));
    const sessions = await Promise.all(users.map((u) => session(u.id)));
    const { result, transactions } = await countingTransactions(() =>
      Promise.all(
        sessions.map((s, i) =>
          endSessions(t.ctx, { sessionIds: [s.id] }, i % 2 ? 'logout' : 'admin', {
            actorUserId: i % 2 ? s.userId : null,
            origin: origin(i),
            details: { scope: 'current', n: i },
          }),
        ),
      ),
    );
    // On PostgreSQL the first went alone, the second too, beside it; the rest, which arrived
    // while those committed, went in one more. The embedded store waits for the end of the
    // event loop's turn before it starts a commit, so all of them went in one.
    expect(transactions).toBe(t.store.kind === 'pglite' ? 1 : endingBatches(t.store.kind).concurrency + 1);
    for (const [i, s] of sessions.entries()) {
      expect(result[i]).toEqual([{ id: s.id, userId: s.userId, endedAt: expect.any(Date) }]);
      expect(await sessionState(t, s.id)).toEqual({ ended: true, reason: i % 2 ? 'logout' : 'admin' });
      expect(t.ctx.revocations.isEnded(s.id)).toBe(true);
      expect(await endedAudit(s.userId)).toEqual([
        expect.objectContaining({
          reason: i % 2 ? 'logout' : 'admin',
          actorUserId: i % 2 ? s.userId : null,
          targetUserId: s.userId,
          sessionIds: [s.id],
          ip: `10.9.0.${i}`,
          userAgent: `device ${i}`,
          details: { scope: 'current', n: i },
        }),
      ]);
    }
    const deliveries = await t.store.listDeliveries({ endpointId: endpoint?.id, limit: 100 });
    expect(deliveries).toHaveLength(30);
    const reasons = new Map(deliveries.map((d) => [(d.payload.data as { sessionId: string }).sessionId, d]));
    for (const [i, s] of sessions.entries())
      expect(reasons.get(s.id)?.payload.data).toMatchObject({
        userId: s.userId,
        reason: i % 2 ? 'logout' : 'admin',
      });
    if (endpoint) await t.store.disableWebhookEndpoint(endpoint.id);
  });

  it('gives a session named by several concurrent requests to exactly one of them, audited once', async () => {
    const user = await register(t);
    const [warm, s] = [await session(user.id), await session(user.id)];
    const audit = { actorUserId: user.id, origin: origin(1) };
    const results = await Promise.all([
      endSessions(t.ctx, { sessionIds: [warm.id] }, 'logout', audit),
      ...Array.from({ length: 5 }, () => endSessions(t.ctx, { sessionIds: [s.id] }, 'logout', audit)),
    ]);
    expect(
      results
        .slice(1)
        .map((r) => r.length)
        .sort(),
    ).toEqual([0, 0, 0, 0, 1]);
    const audits = (await endedAudit(user.id)).filter((e) => e.sessionIds.includes(s.id));
    expect(audits).toHaveLength(1);
  });

  it("ends a user's sessions and a named one of theirs at once, each session once", async () => {
    const [user, other] = [await register(t), await register(t)];
    const [a, b, c] = [await session(user.id), await session(user.id), await session(user.id)];
    const theirs = await session(other.id);
    const audit = { actorUserId: user.id, origin: origin(2) };
    const [, named, all] = await Promise.all([
      endSessions(t.ctx, { sessionIds: [theirs.id] }, 'logout', { actorUserId: other.id, origin: origin(2) }),
      endSessions(t.ctx, { sessionIds: [b.id] }, 'logout', audit),
      endSessions(t.ctx, { userId: user.id }, 'logout_all', audit),
    ]);
    const byNamed = named?.map((s) => s.id) ?? [];
    const byAll = all?.map((s) => s.id) ?? [];
    // Each session ended once, by one of the two. Which one ends b depends on which commits first:
    // on PostgreSQL two batches run at once, so the named ending and the user's need not share one
    // (on a slow machine the user's took b first). The embedded store gathers all three into one
    // batch, where the named ending, asked first, gets it.
    expect([...byNamed, ...byAll].sort()).toEqual([a.id, b.id, c.id].sort());
    expect(byNamed.filter((id) => id !== b.id)).toEqual([]);
    if (t.store.kind === 'pglite') expect(byNamed).toEqual([b.id]);
    // One audit event for each request that ended something, with what it ended.
    const expected = [
      ['logout', byNamed.length],
      ['logout_all', byAll.length],
    ].filter(([, n]) => (n as number) > 0);
    expect((await endedAudit(user.id)).map((e) => [e.reason, e.sessionIds.length]).sort()).toEqual(expected);
  });

  it('fails only the request that cannot commit; the others in its batch are ended', async () => {
    const user = await register(t);
    const [warm, x, y] = [await session(user.id), await session(user.id), await session(user.id)];
    const audit = { actorUserId: user.id, origin: origin(3) };
    const [, okX, broken, okY] = await Promise.allSettled([
      endSessions(t.ctx, { sessionIds: [warm.id] }, 'logout', audit),
      endSessions(t.ctx, { sessionIds: [x.id] }, 'logout', audit),
      endSessions(t.ctx, { sessionIds: ['not-a-uuid'] }, 'logout', audit),
      endSessions(t.ctx, { sessionIds: [y.id] }, 'logout', audit),
    ]);
    expect(okX).toMatchObject({ status: 'fulfilled', value: [{ id: x.id }] });
    expect(okY).toMatchObject({ status: 'fulfilled', value: [{ id: y.id }] });
    expect(broken?.status).toBe('rejected');
    expect(await sessionState(t, x.id)).toEqual({ ended: true, reason: 'logout' });
    expect(await sessionState(t, y.id)).toEqual({ ended: true, reason: 'logout' });
    // One audit row per ending, none for the failed one, none twice from the retry.
    expect((await endedAudit(user.id)).map((e) => e.sessionIds).sort()).toEqual(
      [[warm.id], [x.id], [y.id]].sort(),
    );
  });

  it('retries a batch alone only for errors one request could cause, not for an outage', () => {
    const batches = endingBatches(t.store.kind);
    expect(batches.retryAlone(new DatabaseUnavailableError('down'))).toBe(false);
    expect(batches.retryAlone(new Error('invalid input syntax for type uuid'))).toBe(true);
  });

  it('runs a deadlock victim again, and gives up after three attempts or on any other error', async () => {
    const user = await register(t);
    const s = await session(user.id);
    const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });
    let runs = 0;
    const { result, ended } = await withSessionEnding(t.ctx, async (_tx, end) => {
      runs++;
      const now = await end({ sessionIds: [s.id] }, 'revoked', { actorUserId: null, origin: origin(4) });
      if (runs === 1) throw deadlock(); // rolls back the ending above
      return now.length;
    });
    expect({ runs, result, ended: ended.map((e) => e.id) }).toEqual({ runs: 2, result: 1, ended: [s.id] });
    expect(await endedAudit(user.id)).toHaveLength(1);

    runs = 0;
    await expect(
      withSessionEnding(t.ctx, async () => {
        runs++;
        throw deadlock();
      }),
    ).rejects.toThrow('deadlock detected');
    expect(runs).toBe(3);

    runs = 0;
    await expect(
      withSessionEnding(t.ctx, async () => {
        runs++;
        throw new Error('not transient');
      }),
    ).rejects.toThrow('not transient');
    expect(runs).toBe(1);
  });

  // Only PostgreSQL has two connections that can deadlock; defined (not skipped) only there.
  if (backend.name === 'postgres')
    it('resolves a real deadlock between two endings that lock sessions in opposite orders', async () => {
      const user = await register(t);
      const [x, y] = [await session(user.id), await session(user.id)];
      const audit = { actorUserId: null, origin: origin(5) };
      let locked = 0;
      let bothLocked: () => void = () => {};
      const barrier = new Promise<void>((r) => {
        bothLocked = r;
      });
      const crossing = (first: string, second: string) =>
        withSessionEnding(t.ctx, async (tx, end) => {
          await tx.lockSession(first);
          if (++locked === 2) bothLocked();
          await Promise.race([barrier, new Promise((r) => setTimeout(r, 200))]);
          return end({ sessionIds: [first, second] }, 'admin', audit);
        });
      const [one, two] = await Promise.all([crossing(x.id, y.id), crossing(y.id, x.id)]);
      // One of them was chosen as the victim, ran again after the other committed, and ended nothing new.
      expect(new Set([...one.result, ...two.result].map((s) => s.id))).toEqual(new Set([x.id, y.id]));
      expect(locked).toBeGreaterThanOrEqual(3);
      expect(await sessionState(t, x.id)).toEqual({ ended: true, reason: 'admin' });
      expect(await sessionState(t, y.id)).toEqual({ ended: true, reason: 'admin' });
    });
});
