import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { endSessionsAsAdmin } from '../../src/domain/admin.js';
import { verifySignature } from '../../src/domain/events.js';
import { endExpiredSessions } from '../../src/domain/expiry.js';
import { withSessionEnding } from '../../src/domain/session-ending.js';
import {
  addWebhookEndpoint,
  listDeliveries,
  redeliverDeadEvents,
  removeWebhookEndpoint,
} from '../../src/domain/webhooks.js';
import { type DispatcherOptions, WebhookDispatcher } from '../../src/jobs/webhook-dispatcher.js';
import { openPostgres } from '../../src/storage/postgres.js';
import { createStore } from '../../src/storage/store.js';
import { backends } from '../support/backends.js';
import {
  login,
  PASSWORD,
  type SignedIn,
  signedInUser,
  startTestApp,
  type TestApp,
} from '../support/harness.js';
import { silentLog, until, WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * Small numbers, so retries and dead letters happen in milliseconds. The timeout stays generous:
 * on a busy machine (and with PGlite sharing this event loop) a healthy answer can take a while.
 */
const FAST: DispatcherOptions = {
  maxAttempts: 20,
  timeoutMs: 3000,
  retryBaseMs: 20,
  retryMaxMs: 150,
  pollMs: 20,
  // The test receivers listen on loopback.
  allowPrivate: true,
};

describe.each(backends)('session-ended webhooks on $name', (backend) => {
  let t: TestApp;
  let receiver: WebhookReceiver | null = null;
  let endpoint: { id: string; secret: string } | null = null;
  const dispatchers: WebhookDispatcher[] = [];

  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
    await receiver?.stop();
    if (endpoint) await removeWebhookEndpoint(t.ctx, endpoint.id).catch(() => {});
    receiver = null;
    endpoint = null;
  });

  /** Registers `r` (a fresh receiver by default) as the one endpoint. */
  async function register(r?: WebhookReceiver) {
    receiver = r ?? (await WebhookReceiver.start());
    const added = await addWebhookEndpoint(
      t.ctx,
      { url: receiver.url, description: 'test' },
      { allowPrivate: true },
    );
    endpoint = { id: added.endpoint.id, secret: added.secret };
    return receiver;
  }

  function dispatch(opts: Partial<DispatcherOptions> = {}) {
    const d = new WebhookDispatcher(t.store, { ...FAST, ...opts }, silentLog);
    dispatchers.push(d);
    d.start();
    return d;
  }

  const logout = (who: SignedIn, payload: Record<string, unknown> = {}) =>
    t.app.inject({ method: 'POST', url: '/auth/logout', headers: who.headers, payload });
  const deliveries = () => listDeliveries(t.ctx, { endpointId: endpoint?.id, limit: 1000 });

  it('sends one signed session.ended event that a receiver can verify', async () => {
    const r = await register();
    dispatch();
    const a = await signedInUser(t);
    expect((await logout(a)).statusCode).toBe(200);
    await until(() => r.received.length === 1, 5000, 'the event');

    const [req] = r.received;
    const body = JSON.parse(req!.body);
    expect(body).toEqual({
      id: req!.headers['gatehouse-event-id'],
      type: 'session.ended',
      createdAt: expect.any(String),
      data: { userId: a.user.id, sessionId: a.session.id, reason: 'logout', endedAt: expect.any(String) },
    });
    const ended = await t.store.findSession(a.session.id);
    expect(body.data.endedAt).toBe(ended?.endedAt?.toISOString());
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['gatehouse-delivery-attempt']).toBe('1');

    const signature = req!.headers['gatehouse-signature'] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(endpoint!.secret, signature, req!.body)).toBe(true);
    // Any change to the body, another secret, or an old timestamp fails the check.
    expect(verifySignature(endpoint!.secret, signature, req!.body.replace('logout', 'logouT'))).toBe(false);
    expect(verifySignature('another-secret-of-16+chars', signature, req!.body)).toBe(false);
    expect(verifySignature(endpoint!.secret, signature, req!.body, { now: Date.now() + 6 * 60_000 })).toBe(
      false,
    );

    await until(async () => (await deliveries())[0]?.state === 'delivered', 5000, 'delivered state');
    expect(await deliveries()).toMatchObject([{ attempts: 1, lastError: null, eventId: body.id }]);
  });

  it('every way a session ends produces exactly one event per ended session, with its reason', async () => {
    const r = await register();
    dispatch();
    const expected = new Map<string, string>();
    const expectEnded = (who: SignedIn | string, reason: string) =>
      expected.set(typeof who === 'string' ? who : who.session.id, reason);

    // logout, each scope
    const a = await signedInUser(t);
    expect((await logout(a)).statusCode).toBe(200);
    expectEnded(a, 'logout');

    const b = await signedInUser(t);
    const b2 = await login(t, b.user.email);
    const b3 = await login(t, b.user.email);
    expect((await logout(b, { scope: 'others' })).statusCode).toBe(200);
    expectEnded(b2, 'logout_others');
    expectEnded(b3, 'logout_others');
    expect((await logout(b, { scope: 'all' })).statusCode).toBe(200);
    expectEnded(b, 'logout_all');

    const c = await signedInUser(t);
    const c2 = await login(t, c.user.email);
    expect((await logout(c, { sessionId: c2.session.id })).statusCode).toBe(200);
    expectEnded(c2, 'logout');

    // revoke
    const d = await signedInUser(t);
    const revoke = await t.app.inject({
      method: 'POST',
      url: '/auth/revoke',
      payload: { token: d.refreshToken },
    });
    expect(revoke.statusCode).toBe(200);
    expectEnded(d, 'revoked');

    // refresh-token reuse
    const e = await signedInUser(t);
    const refresh = (token: string) =>
      t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: token } });
    expect((await refresh(e.refreshToken)).statusCode).toBe(200);
    expect((await refresh(e.refreshToken)).statusCode).toBe(401);
    expectEnded(e, 'refresh_reuse');

    // expiry
    const f = await signedInUser(t);
    const expired = await t.store.insertSession({
      id: randomUUID(),
      userId: f.user.id,
      expiresAt: new Date(Date.now() - 1000),
      ip: null,
      userAgent: 'old laptop',
    });
    expect((await endExpiredSessions(t.ctx)).map((s) => s.id)).toEqual([expired.id]);
    expectEnded(expired.id, 'expired');

    // password change
    const g = await signedInUser(t);
    const g2 = await login(t, g.user.email);
    const change = await t.app.inject({
      method: 'POST',
      url: '/auth/password',
      headers: g.headers,
      payload: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    });
    expect(change.statusCode, change.body).toBe(200);
    expectEnded(g2, 'password_changed');

    // admin: over HTTP (userId) and from the CLI
    const admin = await signedInUser(t, { admin: true });
    const h = await signedInUser(t);
    const h2 = await login(t, h.user.email);
    expect((await logout(admin, { userId: h.user.id, scope: 'all' })).statusCode).toBe(200);
    expectEnded(h, 'admin');
    expectEnded(h2, 'admin');
    const i = await signedInUser(t);
    await endSessionsAsAdmin(
      t.ctx,
      { sessionId: i.session.id },
      { origin: { ip: null, userAgent: 'gatehouse-cli' }, operator: 'ops' },
    );
    expectEnded(i, 'admin');

    await until(() => r.delivered().size >= expected.size, 10_000, `${expected.size} events`);
    // Give a stray duplicate the chance to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const events = r.events();
    expect(events).toHaveLength(expected.size);
    expect(new Map(events.map((ev) => [ev.data.sessionId, ev.data.reason]))).toEqual(expected);
    expect(new Set(events.map((ev) => ev.id)).size).toBe(expected.size);
    for (const req of r.received)
      expect(verifySignature(endpoint!.secret, req.headers['gatehouse-signature'] as string, req.body)).toBe(
        true,
      );

    // The audit log carries the same reasons.
    const audited = await t.store.listAuditEvents({ limit: 1000 });
    for (const [sessionId, reason] of expected)
      expect(
        audited.some(
          (ev) => ev.action === 'session.ended' && ev.reason === reason && ev.sessionIds.includes(sessionId),
        ),
        `${reason} audit for ${sessionId}`,
      ).toBe(true);
  });

  it('checks the target again at each delivery: a private address is refused without WEBHOOK_ALLOW_PRIVATE', async () => {
    // Registered while private targets were allowed; the dispatcher now runs without the switch.
    const r = await register();
    dispatch({ allowPrivate: false });
    const u = await signedInUser(t);
    expect((await logout(u)).statusCode).toBe(200);
    await until(async () => (await deliveries()).every((d) => d.attempts >= 2), 5000, 'refused attempts');
    const [d] = await deliveries();
    expect(d?.state).toBe('pending');
    expect(d?.lastError).toMatch(
      /^refused: 127\.0\.0\.1 is a loopback, link-local or private address; set WEBHOOK_ALLOW_PRIVATE=on/,
    );
    expect(r.received).toHaveLength(0);
  });

  it('loses nothing while the receiver is down, and delivers once it is up', async () => {
    const r = await register(await WebhookReceiver.down());
    dispatch();
    const users = await Promise.all([1, 2, 3, 4, 5].map(() => signedInUser(t)));
    for (const u of users) expect((await logout(u)).statusCode).toBe(200);

    await until(
      async () => (await deliveries()).every((d) => d.attempts >= 2 && d.state === 'pending'),
      5000,
      'failed attempts',
    );
    expect((await deliveries())[0]?.lastError).toMatch(/could not connect/);
    expect(r.received).toHaveLength(0);

    await r.listen();
    await until(() => r.delivered().size === 5, 5000, 'five deliveries');
    await until(async () => (await deliveries()).every((d) => d.state === 'delivered'), 5000, 'delivered');
    expect(new Set(r.events().map((ev) => ev.data.sessionId))).toEqual(
      new Set(users.map((u) => u.session.id)),
    );
    expect(r.received).toHaveLength(5);
  });

  it('retries a receiver that answers 500, and delivers each event once', async () => {
    const r = await register();
    r.respond = (_id, nth) => ({ status: nth <= 2 ? 500 : 204 });
    dispatch();
    const users = await Promise.all([1, 2, 3].map(() => signedInUser(t)));
    for (const u of users) expect((await logout(u)).statusCode).toBe(200);

    await until(async () => (await deliveries()).every((d) => d.state === 'delivered'), 5000, 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(r.received).toHaveLength(9);
    for (const [, oks] of r.delivered()) expect(oks).toHaveLength(1);
    expect(r.delivered().size).toBe(3);
    expect((await deliveries()).map((d) => d.attempts)).toEqual([3, 3, 3]);
    // Each attempt is signed afresh and says which attempt it is.
    expect(r.received.map((x) => x.headers['gatehouse-delivery-attempt']).sort()).toEqual([
      '1',
      '1',
      '1',
      '2',
      '2',
      '2',
      '3',
      '3',
      '3',
    ]);
  });

  it('gives up on a slow receiver after the timeout and delivers on a later attempt', async () => {
    const r = await register();
    r.respond = (_id, nth) => (nth === 1 ? { delayMs: 8000 } : { status: 200 });
    dispatch({ timeoutMs: 500 });
    const a = await signedInUser(t);
    const started = Date.now();
    expect((await logout(a)).statusCode).toBe(200);
    // The logout itself never waits for a receiver.
    expect(Date.now() - started).toBeLessThan(4000);

    await until(async () => (await deliveries())[0]?.state === 'delivered', 5000, 'delivered');
    const [row] = await deliveries();
    // The first attempt gave up after the timeout; a later one (the second, unless the machine
    // is so busy that it too ran out of time) was delivered.
    expect(row?.attempts).toBeGreaterThanOrEqual(2);
    expect(r.received).toHaveLength(row?.attempts ?? 0);
    expect(new Set(r.received.map((x) => x.eventId)).size).toBe(1);
  });

  it('sends nothing for a rolled-back ending', async () => {
    const r = await register();
    dispatch();
    const a = await signedInUser(t);
    const failure = withSessionEnding(t.ctx, async (_tx, end) => {
      const ended = await end({ sessionIds: [a.session.id] }, 'logout', {
        actorUserId: a.user.id,
        origin: { ip: null, userAgent: null },
      });
      expect(ended).toHaveLength(1);
      throw new Error('something after the ending failed');
    });
    await expect(failure).rejects.toThrow('something after the ending failed');

    expect(await deliveries()).toEqual([]);
    expect((await t.store.findSession(a.session.id))?.endedAt).toBeNull();
    expect((await t.app.inject({ method: 'GET', url: '/auth/me', headers: a.headers })).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.received).toHaveLength(0);

    // The same session ended for real afterwards: exactly one event.
    expect((await logout(a)).statusCode).toBe(200);
    await until(() => r.received.length === 1, 5000, 'the real event');
  });

  it('marks a delivery dead after the last attempt, and can send it again', async () => {
    const r = await register();
    r.respond = () => ({ status: 500 });
    dispatch({ maxAttempts: 3 });
    const a = await signedInUser(t);
    expect((await logout(a)).statusCode).toBe(200);

    await until(async () => (await deliveries())[0]?.state === 'dead', 5000, 'dead letter');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(r.received).toHaveLength(3);
    expect(await deliveries()).toMatchObject([{ attempts: 3, lastError: 'HTTP 500', state: 'dead' }]);
    expect(await listDeliveries(t.ctx, { state: 'dead', endpointId: endpoint!.id, limit: 10 })).toHaveLength(
      1,
    );

    // The receiver is fixed; the operator sends the dead ones again.
    r.respond = () => ({ status: 200 });
    expect(await redeliverDeadEvents(t.ctx, endpoint!.id)).toBe(1);
    await until(async () => (await deliveries())[0]?.state === 'delivered', 5000, 'redelivered');
    expect(r.delivered().size).toBe(1);
  });

  it('does not follow redirects: a 3xx is a failed attempt', async () => {
    const r = await register();
    r.respond = () => ({ status: 302 });
    dispatch({ maxAttempts: 1 });
    expect((await logout(await signedInUser(t))).statusCode).toBe(200);
    await until(async () => (await deliveries())[0]?.state === 'dead', 5000, 'dead letter');
    expect((await deliveries())[0]?.lastError).toBe('HTTP 302');
  });

  it('keeps pending events across a restart of the dispatcher', async () => {
    const r = await register(await WebhookReceiver.down());
    const first = dispatch();
    const users = await Promise.all([1, 2, 3].map(() => signedInUser(t)));
    for (const u of users) expect((await logout(u)).statusCode).toBe(200);
    await until(async () => (await deliveries()).every((d) => d.attempts >= 1), 5000, 'an attempt each');
    await first.stop();

    await r.listen();
    dispatch();
    await until(() => r.delivered().size === 3, 5000, 'three deliveries after the restart');
    expect(r.received).toHaveLength(3);
  });

  it('sends each event to every active endpoint, and none to a removed one', async () => {
    const r = await register();
    const other = await WebhookReceiver.start();
    const second = await addWebhookEndpoint(t.ctx, { url: other.url }, { allowPrivate: true });
    try {
      dispatch();
      const a = await signedInUser(t);
      expect((await logout(a)).statusCode).toBe(200);
      await until(() => r.received.length === 1 && other.received.length === 1, 5000, 'both endpoints');
      expect(other.received[0]?.eventId).toBe(r.received[0]?.eventId);
      expect(
        verifySignature(
          second.secret,
          other.received[0]?.headers['gatehouse-signature'] as string,
          other.received[0]!.body,
        ),
      ).toBe(true);

      await removeWebhookEndpoint(t.ctx, second.endpoint.id);
      expect((await logout(await signedInUser(t))).statusCode).toBe(200);
      await until(() => r.received.length === 2, 5000, 'the second event');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(other.received).toHaveLength(1);
    } finally {
      await other.stop();
      await removeWebhookEndpoint(t.ctx, second.endpoint.id).catch(() => {});
    }
  });

  it('writes no event when no endpoint is registered', async () => {
    const a = await signedInUser(t);
    expect((await logout(a)).statusCode).toBe(200);
    expect(
      await listDeliveries(t.ctx, { limit: 1000 }).then((all) =>
        all.filter(
          (d) => d.payload.data && (d.payload.data as { sessionId: string }).sessionId === a.session.id,
        ),
      ),
    ).toEqual([]);
  });
});

describe.each(backends.filter((b) => b.name === 'postgres'))(
  'two dispatchers on one $name database',
  (backend) => {
    it('deliver 200 events, each exactly once', async () => {
      const t = await startTestApp(backend);
      // A second process's view of the database: its own pool, its own dispatcher.
      const otherDb = openPostgres({ connectionString: t.database.databaseUrl as string });
      const receiver = await WebhookReceiver.start();
      // A little latency, so both dispatchers are busy at the same time.
      receiver.respond = () => ({ status: 200, delayMs: Math.floor(Math.random() * 15) });
      await addWebhookEndpoint(t.ctx, { url: receiver.url }, { allowPrivate: true });
      const dispatchers = [t.store, createStore(otherDb)].map(
        (store) => new WebhookDispatcher(store, { ...FAST, batchSize: 10 }, silentLog),
      );
      try {
        const user = await signedInUser(t);
        const newSession = () =>
          t.store.insertSession({
            id: randomUUID(),
            userId: user.user.id,
            expiresAt: new Date(Date.now() + 3600_000),
            ip: null,
            userAgent: null,
          });
        // 200 sessions: 100 ended one per transaction, then 100 in one "all" logout.
        const singles = await Promise.all(Array.from({ length: 100 }, newSession));
        const bulk = await Promise.all(Array.from({ length: 99 }, newSession));
        const sessions = [...singles, ...bulk].map((s) => s.id).concat(user.session.id);
        for (const d of dispatchers) d.start();
        const actor = { origin: { ip: null, userAgent: 'gatehouse-cli' }, operator: null };
        await Promise.all(singles.map((s) => endSessionsAsAdmin(t.ctx, { sessionId: s.id }, actor)));
        const all = await t.app.inject({
          method: 'POST',
          url: '/auth/logout',
          headers: user.headers,
          payload: { scope: 'all' },
        });
        expect(all.statusCode).toBe(200);

        await until(() => receiver.delivered().size === 200, 20_000, '200 deliveries');
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(receiver.received).toHaveLength(200);
        expect(new Set(receiver.events().map((e) => e.data.sessionId))).toEqual(new Set(sessions));
        const rows = await listDeliveries(t.ctx, { limit: 1000 });
        expect(rows.filter((d) => d.state === 'delivered' && d.attempts === 1)).toHaveLength(200);
        // Both took part.
        const [one, two] = dispatchers.map((d) => d.stats.delivered);
        expect((one ?? 0) + (two ?? 0)).toBe(200);
        expect(one).toBeGreaterThan(0);
        expect(two).toBeGreaterThan(0);
      } finally {
        await Promise.all(dispatchers.map((d) => d.stop()));
        await receiver.stop();
        await otherDb.close();
        await t.close();
      }
    }, 60_000);
  },
);
