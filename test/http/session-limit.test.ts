import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  login,
  PASSWORD,
  register,
  sessionState,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

const tryLogin = (t: TestApp, email: string) =>
  t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: PASSWORD } });

const activeSessions = async (t: TestApp, userId: string) =>
  (await t.store.listActiveSessions(userId)).filter((s) => !s.endedAt);

describe.each(backends)('MAX_SESSIONS_PER_USER on $name', (backend) => {
  describe('SESSION_LIMIT_POLICY=evict_oldest', () => {
    let t: TestApp;
    const endpointId = randomUUID();
    beforeAll(async () => {
      t = await startTestApp(backend, { MAX_SESSIONS_PER_USER: '5' });
      // A webhook endpoint, so endings queue session.ended events we can read back.
      await t.store.insertWebhookEndpoint({
        id: endpointId,
        url: 'https://hooks.example.test/gatehouse',
        secret: 'a-webhook-secret-of-length',
        source: 'cli',
        description: null,
      });
    });
    afterAll(() => t.close());
    afterEach(() => {
      vi.useRealTimers();
    });

    it('20 parallel logins against a limit of 5 leave exactly 5 sessions: the 5 most recent', async () => {
      const user = await register(t);
      const answers = await Promise.all(Array.from({ length: 20 }, () => tryLogin(t, user.email)));
      for (const res of answers) expect(res.statusCode, res.body).toBe(200);
      const opened = answers.map((res) => res.json().session.id as string);
      const active = await activeSessions(t, user.id);
      expect(active).toHaveLength(5);
      // Logins were counted one after another (the user row is locked): each evicted the least
      // recently used, so the survivors are the five opened last.
      const all = await Promise.all(opened.map(async (id) => t.store.findSession(id)));
      const newest = all
        .map((s) => s as NonNullable<typeof s>)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .slice(0, 5)
        .map((s) => s.id);
      expect(new Set(active.map((s) => s.id))).toEqual(new Set(newest));
      const ended = all.filter((s) => s?.endedAt);
      expect(ended).toHaveLength(15);
      for (const s of ended) expect(s?.endReason).toBe('session_limit');
      const audit = (await t.store.listAuditEvents({ userId: user.id, limit: 100 })).filter(
        (e) => e.action === 'session.ended',
      );
      expect(audit.every((e) => e.reason === 'session_limit')).toBe(true);
      expect(audit.flatMap((e) => e.sessionIds).sort()).toEqual(ended.map((s) => s?.id).sort());
      expect(audit[0]).toMatchObject({ actorUserId: user.id, details: { limit: 5 } });
      const webhooks = await t.database.db.query<{ session_id: string; reason: string }>(
        `SELECT payload->'data'->>'sessionId' AS session_id, payload->'data'->>'reason' AS reason
         FROM event_outbox WHERE endpoint_id = $1 AND payload->'data'->>'userId' = $2`,
        [endpointId, user.id],
      );
      expect(webhooks.map((w) => w.session_id).sort()).toEqual(ended.map((s) => s?.id).sort());
      expect(new Set(webhooks.map((w) => w.reason))).toEqual(new Set(['session_limit']));
      const metrics = await t.ctx.metrics.registry.metrics();
      expect(metrics).toMatch(/gatehouse_sessions_ended_total\{reason="session_limit"\} 15/);
    });

    it('ends the least recently used session, counting uses not yet written and refreshes', async () => {
      const t3 = await startTestApp(backend, { MAX_SESSIONS_PER_USER: '3' });
      try {
        vi.useFakeTimers({ toFake: ['Date'] });
        let now = Date.now();
        const tick = () => {
          now += 1000;
          vi.setSystemTime(now);
        };
        const user = await register(t3);
        const s1 = await login(t3, user.email);
        tick();
        const s2 = await login(t3, user.email);
        tick();
        const s3 = await login(t3, user.email);
        tick();
        // s1 is used by a request: noted in memory only, yet it counts.
        expect(
          (await t3.app.inject({ method: 'GET', url: '/auth/me', headers: s1.headers })).statusCode,
        ).toBe(200);
        tick();
        const s4 = await login(t3, user.email);
        expect(await sessionState(t3, s2.session.id)).toEqual({ ended: true, reason: 'session_limit' });
        expect(await sessionState(t3, s1.session.id)).toEqual({ ended: false, reason: null });
        tick();
        const r = await t3.app.inject({
          method: 'POST',
          url: '/auth/refresh',
          payload: { refreshToken: s3.refreshToken },
        });
        expect(r.statusCode, r.body).toBe(200);
        tick();
        await login(t3, user.email);
        // Last uses now: s1 at 3 s, s4 at 4 s, s3 at 5 s.
        expect(await sessionState(t3, s1.session.id)).toEqual({ ended: true, reason: 'session_limit' });
        expect(await sessionState(t3, s3.session.id)).toEqual({ ended: false, reason: null });
        expect(await sessionState(t3, s4.session.id)).toEqual({ ended: false, reason: null });
        expect(await activeSessions(t3, user.id)).toHaveLength(3);
      } finally {
        vi.useRealTimers();
        await t3.close();
      }
    });

    it('leaves other users alone', async () => {
      const a = await register(t);
      const b = await register(t);
      const bs = await login(t, b.email);
      for (let i = 0; i < 6; i++) await login(t, a.email);
      expect(await sessionState(t, bs.session.id)).toEqual({ ended: false, reason: null });
      expect(await activeSessions(t, a.id)).toHaveLength(5);
    });
  });

  describe('SESSION_LIMIT_POLICY=deny', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(backend, { MAX_SESSIONS_PER_USER: '5', SESSION_LIMIT_POLICY: 'deny' });
    });
    afterAll(() => t.close());
    afterEach(() => {
      vi.useRealTimers();
    });

    it('20 parallel logins against a limit of 5: exactly 5 succeed, 15 get 409, nothing is ended', async () => {
      const user = await register(t);
      const answers = await Promise.all(Array.from({ length: 20 }, () => tryLogin(t, user.email)));
      const ok = answers.filter((r) => r.statusCode === 200);
      expect(ok).toHaveLength(5);
      for (const res of answers.filter((r) => r.statusCode !== 200))
        expectEnvelope(res, 'CONFLICT', /Session limit reached \(5 active sessions\)/);
      const active = await activeSessions(t, user.id);
      expect(new Set(active.map((s) => s.id))).toEqual(new Set(ok.map((r) => r.json().session.id)));
      const audit = await t.store.listAuditEvents({ userId: user.id, limit: 100 });
      expect(audit.filter((e) => e.action === 'session.ended')).toEqual([]);
      expect(audit.filter((e) => e.action === 'login.denied' && e.reason === 'session_limit')).toHaveLength(
        15,
      );
    });

    it('a session past its idle limit does not count: it ends (idle_timeout) and the login succeeds', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const user = await register(t);
      const old = [];
      for (let i = 0; i < 5; i++) old.push(await login(t, user.email));
      expect((await tryLogin(t, user.email)).statusCode).toBe(409);
      vi.setSystemTime(Date.now() + t.config.sessionPolicy.idleTtl * 1000);
      const res = await tryLogin(t, user.email);
      expect(res.statusCode, res.body).toBe(200);
      for (const s of old)
        expect(await sessionState(t, s.session.id)).toEqual({ ended: true, reason: 'idle_timeout' });
    });

    it('logging out frees a place', async () => {
      const user = await register(t);
      const first = await login(t, user.email);
      for (let i = 0; i < 4; i++) await login(t, user.email);
      expectEnvelope(await tryLogin(t, user.email), 'CONFLICT');
      const out = await t.app.inject({ method: 'POST', url: '/auth/logout', headers: first.headers });
      expect(out.statusCode).toBe(200);
      expect((await tryLogin(t, user.email)).statusCode).toBe(200);
    });
  });
});
