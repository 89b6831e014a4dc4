import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { flushActivity } from '../../src/domain/activity.js';
import { SessionSweeper } from '../../src/jobs/session-sweeper.js';
import { appClock } from '../support/app-clock.js';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  login,
  PASSWORD,
  register,
  type SignedIn,
  sessionState,
  startTestApp,
  type TestApp,
  type TokenBody,
} from '../support/harness.js';
import { silentLog } from '../support/webhook-receiver.js';

// docs/api.md §7's lifetimes, shortened: 2 h absolute, 30 min idle, 1 h for "remember": false.
const ABSOLUTE = 7200;
const IDLE = 1800;
const SHORT = 3600;
const ENV = {
  SESSION_ABSOLUTE_TTL: String(ABSOLUTE),
  SESSION_IDLE_TTL: String(IDLE),
  SESSION_SHORT_TTL: String(SHORT),
  ACCESS_TOKEN_TTL: '900',
};

describe.each(backends)('session lifetimes (docs/api.md §7) on $name', (backend) => {
  let t: TestApp;
  let endpointId: string;
  beforeAll(async () => {
    t = await startTestApp(backend, ENV);
    // A webhook endpoint, so endings queue session.ended events we can read back.
    endpointId = randomUUID();
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

  const clock = appClock();
  const freezeClock = clock.freeze;
  const advance = clock.advance;

  const refresh = (refreshToken: string) =>
    t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
  const me = (who: { headers: { authorization: string } }) =>
    t.app.inject({ method: 'GET', url: '/auth/me', headers: who.headers });
  const webhookReasons = async (sessionId: string) =>
    (
      await t.database.db.query<{ reason: string }>(
        "SELECT payload->'data'->>'reason' AS reason FROM event_outbox WHERE endpoint_id = $1 AND payload->'data'->>'sessionId' = $2",
        [endpointId, sessionId],
      )
    ).map((r) => r.reason);
  const endedMetric = async (reason: string) => {
    const text = await t.ctx.metrics.registry.metrics();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`gatehouse_sessions_ended_total{reason="${reason}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  describe('remember-me', () => {
    it('a login lasts SESSION_ABSOLUTE_TTL by default', async () => {
      const user = await register(t);
      const a = await login(t, user.email);
      const lifetime = Date.parse(a.session.expiresAt) - Date.parse(a.session.createdAt);
      expect(lifetime).toBe(ABSOLUTE * 1000);
      expect(a.refreshExpiresIn).toBeGreaterThan(ABSOLUTE - 5);
      expect(a.refreshExpiresIn).toBeLessThanOrEqual(ABSOLUTE);
    });

    it('"remember": false lasts SESSION_SHORT_TTL, and its refresh keeps that end', async () => {
      const user = await register(t);
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: user.email, password: PASSWORD, remember: false },
      });
      expect(res.statusCode, res.body).toBe(200);
      const a = res.json() as TokenBody;
      expect(Date.parse(a.session.expiresAt) - Date.parse(a.session.createdAt)).toBe(SHORT * 1000);
      expect(a.refreshExpiresIn).toBeLessThanOrEqual(SHORT);
      expect(a.refreshExpiresIn).toBeGreaterThan(SHORT - 5);
      const r = await refresh(a.refreshToken);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().session.expiresAt).toBe(a.session.expiresAt);
      expect((await t.store.findSession(a.session.id))?.persistent).toBe(false);
    });

    it('"remember": false on the account page sets browser-session cookies (no Max-Age)', async () => {
      const user = await register(t);
      const signIn = (payload: object) =>
        t.app.inject({
          method: 'POST',
          url: '/account/login',
          headers: { 'sec-fetch-site': 'same-origin' },
          payload: { email: user.email, password: PASSWORD, ...payload },
        });
      const short = await signIn({ remember: false });
      expect(short.statusCode, short.body).toBe(200);
      const shortCookies = short.headers['set-cookie'] as string[];
      expect(shortCookies).toHaveLength(2);
      for (const c of shortCookies) expect(c).not.toMatch(/Max-Age/i);
      const long = await signIn({});
      for (const c of long.headers['set-cookie'] as string[]) expect(c).toMatch(/Max-Age=\d+/);
    });

    it('answers 422 for a remember that is not a boolean', async () => {
      const user = await register(t);
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: user.email, password: PASSWORD, remember: 'no' },
      });
      expectEnvelope(res, 'VALIDATION_ERROR');
    });
  });

  describe('idle timeout', () => {
    it('refresh one millisecond before the idle limit works', async () => {
      freezeClock();
      const a = await login(t, (await register(t)).email);
      advance(IDLE * 1000 - 1);
      const r = await refresh(a.refreshToken);
      expect(r.statusCode, r.body).toBe(200);
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
    });

    it('refresh exactly at the idle limit is refused and ends the session (idle_timeout: audit, webhook, metric)', async () => {
      freezeClock();
      const user = await register(t);
      const a = await login(t, user.email);
      const before = await endedMetric('idle_timeout');
      advance(IDLE * 1000);
      expectEnvelope(await refresh(a.refreshToken), 'UNAUTHORIZED', /idle/);
      expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'idle_timeout' });
      const audit = (await t.store.listAuditEvents({ userId: user.id, limit: 10 })).filter(
        (e) => e.action === 'session.ended',
      );
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ reason: 'idle_timeout', sessionIds: [a.session.id] });
      expect(await webhookReasons(a.session.id)).toEqual(['idle_timeout']);
      expect(await endedMetric('idle_timeout')).toBe(before + 1);
      // Its access token is refused too (it had expired by then: no token outlives the idle limit).
      expectEnvelope(await me(a), 'UNAUTHORIZED');
    });

    it('a refresh counts as use: the idle limit runs from the last refresh', async () => {
      freezeClock();
      const a = await login(t, (await register(t)).email);
      advance(IDLE * 1000 - 1000);
      const r1 = await refresh(a.refreshToken);
      expect(r1.statusCode).toBe(200);
      advance(IDLE * 1000 - 1000);
      const r2 = await refresh(r1.json().refreshToken);
      expect(r2.statusCode, r2.body).toBe(200);
      expect(Date.parse(r2.json().session.expiresAt)).toBe(Date.parse(a.session.expiresAt));
    });

    it('an authenticated request counts as use, noted in memory and written in one batch', async () => {
      freezeClock();
      const a = await login(t, (await register(t)).email);
      const loggedInAt = clock.now;
      advance(800_000);
      expect((await me(a)).statusCode).toBe(200);
      // Not written per request...
      expect((await t.store.findSession(a.session.id))?.lastUsedAt.getTime()).toBe(loggedInAt);
      expect(t.ctx.activity.pendingUse(a.session.id)).toBe(clock.now);
      // ...but in the next flush.
      expect(await flushActivity(t.ctx.activity, t.store)).toBeGreaterThanOrEqual(1);
      expect((await t.store.findSession(a.session.id))?.lastUsedAt.getTime()).toBe(clock.now);
      expect(t.ctx.activity.pendingUse(a.session.id)).toBeUndefined();
      // 2599 s after login but 1799 s after that request: not idle.
      advance(IDLE * 1000 - 1000);
      expect((await refresh(a.refreshToken)).statusCode).toBe(200);
    });

    it('a use this instance has not written yet still counts at refresh', async () => {
      freezeClock();
      const a = await login(t, (await register(t)).email);
      advance(800_000);
      expect((await me(a)).statusCode).toBe(200);
      advance(IDLE * 1000 - 1000);
      expect((await refresh(a.refreshToken)).statusCode).toBe(200);
    });

    it('an access token never outlives the idle limit counted from its issuance', async () => {
      const user = await register(t);
      const a = await login(t, user.email);
      const session = await t.store.findSession(a.session.id);
      const token = await t.ctx.tokens.issue(
        { ...a.user, roles: ['user'], createdAt: new Date(), emailVerified: false },
        session as NonNullable<typeof session>,
        new Date(Date.now() + 60_000),
      );
      expect(token.expiresIn).toBeLessThanOrEqual(60);
      expect(token.expiresIn).toBeGreaterThanOrEqual(59);
    });

    it('the sweeper ends sessions idle for SESSION_IDLE_TTL, and only those', async () => {
      freezeClock();
      const user = await register(t);
      const idle = await login(t, user.email);
      const start = clock.now;
      advance(1000);
      const busy = await login(t, user.email);
      advance(800_000);
      // Used 1801 s after `idle` was last used, by a request (noted in memory, not yet written).
      expect((await me(busy)).statusCode).toBe(200);
      const busyUsedAt = clock.now;
      advance(start + IDLE * 1000 - clock.now); // exactly at the limit for `idle`
      const sweeper = new SessionSweeper(t.ctx, 60_000, silentLog);
      // (Other tests' sessions may end in the same sweeps: only ours are counted.)
      await sweeper.sweepOnce();
      expect(await sessionState(t, idle.session.id)).toEqual({ ended: true, reason: 'idle_timeout' });
      expect(await sessionState(t, busy.session.id)).toEqual({ ended: false, reason: null });
      expect(await webhookReasons(idle.session.id)).toEqual(['idle_timeout']);
      const audit = (await t.store.listAuditEvents({ userId: user.id, limit: 10 })).find(
        (e) => e.action === 'session.ended',
      );
      expect(audit).toMatchObject({
        reason: 'idle_timeout',
        actorUserId: null,
        sessionIds: [idle.session.id],
      });
      // `busy` was last used by that request: idle one millisecond before its limit, then at it.
      advance(busyUsedAt + IDLE * 1000 - 1 - clock.now);
      await sweeper.sweepOnce();
      expect(await sessionState(t, busy.session.id)).toEqual({ ended: false, reason: null });
      advance(1);
      await sweeper.sweepOnce();
      expect(await sessionState(t, busy.session.id)).toEqual({ ended: true, reason: 'idle_timeout' });
    });

    it('GET /auth/sessions does not list a session past its idle limit', async () => {
      freezeClock();
      const user = await register(t);
      const old = await login(t, user.email);
      advance(IDLE * 1000 - 60_000);
      const recent = await login(t, user.email);
      advance(60_000);
      const res = await t.app.inject({ method: 'GET', url: '/auth/sessions', headers: recent.headers });
      expect(res.statusCode, res.body).toBe(200);
      const ids = (res.json().sessions as { id: string }[]).map((s) => s.id);
      expect(ids).toEqual([recent.session.id]);
      expect(ids).not.toContain(old.session.id);
    });
  });

  describe('absolute lifetime', () => {
    it('beats activity: a session refreshed all along ends at SESSION_ABSOLUTE_TTL (reason expired)', async () => {
      freezeClock();
      const user = await register(t);
      const start = clock.now;
      const first: SignedIn = await login(t, user.email);
      const sessionId = first.session.id;
      let refreshToken = first.refreshToken;
      // Used every 20 minutes, well within the idle limit, up to the end.
      for (let i = 0; i < 5; i++) {
        advance(1200_000);
        const r = await refresh(refreshToken);
        expect(r.statusCode, r.body).toBe(200);
        refreshToken = r.json().refreshToken;
      }
      advance(start + ABSOLUTE * 1000 - clock.now);
      expectEnvelope(await refresh(refreshToken), 'UNAUTHORIZED', /expired/);
      expect(await sessionState(t, sessionId)).toEqual({ ended: true, reason: 'expired' });
      expect(await webhookReasons(sessionId)).toEqual(['expired']);
    });

    it('an access token never outlives its session', async () => {
      freezeClock();
      const user = await register(t);
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: user.email, password: PASSWORD, remember: false },
      });
      const a = res.json() as TokenBody;
      expect(a.expiresIn).toBe(900);
      // 14 minutes before the end, a refresh's token lasts only until the end.
      advance(SHORT * 1000 - 840_000);
      // (a refresh every idle period keeps it alive up to here)
      await t.store.touchSession(a.session.id, new Date(clock.now));
      const r = await refresh(a.refreshToken);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().expiresIn).toBe(840);
    });
  });
});
