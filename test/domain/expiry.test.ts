import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endExpiredSessions } from '../../src/domain/expiry.js';
import { SessionSweeper } from '../../src/jobs/session-sweeper.js';
import { backends } from '../support/backends.js';
import { register, sessionState, startTestApp, type TestApp } from '../support/harness.js';
import { silentLog, until } from '../support/webhook-receiver.js';

describe.each(backends)('ending expired sessions on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
    // Whatever earlier tests left expired is not ours to count.
    await endExpiredSessions(t.ctx, 10_000);
  });
  afterAll(() => t.close());

  const session = (userId: string, expiresInMs: number) =>
    t.store.insertSession({
      id: randomUUID(),
      userId,
      expiresAt: new Date(Date.now() + expiresInMs),
      ip: '10.1.2.3',
      userAgent: 'old laptop',
    });

  it('ends sessions past their expiry with reason "expired", audited with no actor, and no others', async () => {
    const user = await register(t);
    const [old1, old2, live] = [
      await session(user.id, -60_000),
      await session(user.id, -1),
      await session(user.id, 3600_000),
    ];
    const ended = await endExpiredSessions(t.ctx);
    expect(new Set(ended.map((s) => s.id))).toEqual(new Set([old1.id, old2.id]));
    expect(await sessionState(t, old1.id)).toEqual({ ended: true, reason: 'expired' });
    expect(await sessionState(t, old2.id)).toEqual({ ended: true, reason: 'expired' });
    expect(await sessionState(t, live.id)).toEqual({ ended: false, reason: null });
    expect(t.ctx.revocations.isEnded(old1.id)).toBe(true);

    const audit = (await t.store.listAuditEvents({ userId: user.id, limit: 10 })).filter(
      (e) => e.action === 'session.ended',
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ reason: 'expired', actorUserId: null, targetUserId: user.id });
    expect(new Set(audit[0]?.sessionIds)).toEqual(new Set([old1.id, old2.id]));

    // A second sweep finds nothing more to end.
    expect(await endExpiredSessions(t.ctx)).toEqual([]);
  });

  it('ends at most a batch at a time; the sweeper works a backlog off in batches', async () => {
    const user = await register(t);
    const expired = await Promise.all(Array.from({ length: 7 }, () => session(user.id, -1000)));
    expect(await endExpiredSessions(t.ctx, 3)).toHaveLength(3);
    const sweeper = new SessionSweeper(t.ctx, 60_000, silentLog);
    expect(await sweeper.sweepOnce()).toBe(4);
    for (const s of expired) expect(await sessionState(t, s.id)).toEqual({ ended: true, reason: 'expired' });
  });

  it('does not touch a session that was already ended for another reason', async () => {
    const user = await register(t);
    const s = await session(user.id, -1000);
    await t.store.endSessions([{ target: { sessionIds: [s.id] }, reason: 'logout' }]);
    expect(await endExpiredSessions(t.ctx)).toEqual([]);
    expect(await sessionState(t, s.id)).toEqual({ ended: true, reason: 'logout' });
  });

  it('runs by itself every interval once started', async () => {
    const user = await register(t);
    const s = await session(user.id, 300);
    const sweeper = new SessionSweeper(t.ctx, 100, silentLog);
    sweeper.start();
    try {
      await until(async () => (await sessionState(t, s.id))?.ended === true, 5000, 'the sweep');
      expect(await sessionState(t, s.id)).toEqual({ ended: true, reason: 'expired' });
    } finally {
      await sweeper.stop();
    }
  });
});
