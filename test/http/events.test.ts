import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  login,
  PASSWORD,
  signedInUser,
  startTestApp,
  type TestApp,
} from '../support/harness.js';
import { openEventStream } from '../support/sse.js';

describe.each(backends)('GET /auth/events on $name', (backend) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(backend);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  const stream = (who: { headers: Record<string, string> }) =>
    openEventStream(`${base}/auth/events`, who.headers);

  it('says ready, then tells the client the moment its session ends, with the reason, and closes', async () => {
    const a = await signedInUser(t);
    const b = await login(t, a.user.email);
    const s = await stream(b);
    expect(s.status).toBe(200);
    expect(s.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(s.headers.get('cache-control')).toBe('no-store');
    expect(await s.next()).toEqual({ event: 'ready', data: { sessionId: b.session.id } });

    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: a.headers,
      payload: { scope: 'others' },
    });
    expect(res.statusCode).toBe(200);
    const ended = await s.next();
    expect(ended).toEqual({
      event: 'session.ended',
      data: { sessionId: b.session.id, reason: 'logout_others', endedAt: expect.any(String) },
    });
    expect(await s.next()).toBeNull();
    expect(s.closed()).toBe(true);
  });

  it('stays quiet when another session ends, and tells a password change', async () => {
    const a = await signedInUser(t);
    const b = await login(t, a.user.email);
    const sa = await stream(a);
    const sb = await stream(b);
    expect((await sa.next())?.event).toBe('ready');
    expect((await sb.next())?.event).toBe('ready');

    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/password',
      headers: a.headers,
      payload: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    });
    expect(res.statusCode).toBe(200);
    expect((await sb.next())?.data).toMatchObject({ sessionId: b.session.id, reason: 'password_changed' });
    await expect(sa.next(300)).rejects.toThrow('no event in time');
    expect(sa.closed()).toBe(false);
    await sa.close();
  });

  it("accepts the account page's session cookie (EventSource cannot send headers)", async () => {
    const a = await signedInUser(t);
    const s = await openEventStream(`${base}/auth/events`, { cookie: `gatehouse_session=${a.accessToken}` });
    expect(s.status).toBe(200);
    expect(await s.next()).toEqual({ event: 'ready', data: { sessionId: a.session.id } });
    await s.close();
  });

  it('refuses a request without a valid token, in the envelope', async () => {
    expectEnvelope(await t.app.inject({ method: 'GET', url: '/auth/events' }), 'UNAUTHORIZED');
    const a = await signedInUser(t);
    expect((await t.app.inject({ method: 'POST', url: '/auth/logout', headers: a.headers })).statusCode).toBe(
      200,
    );
    expectEnvelope(
      await t.app.inject({ method: 'GET', url: '/auth/events', headers: a.headers }),
      'UNAUTHORIZED',
    );
  });

  it('lets one session hold a bounded number of streams', async () => {
    const a = await signedInUser(t);
    const streams = await Promise.all(Array.from({ length: 10 }, () => stream(a)));
    const refused = await fetch(`${base}/auth/events`, { headers: a.headers });
    expect(refused.status).toBe(429);
    await Promise.all(streams.map((s) => s.close()));
  });

  it('closes open streams when the server stops', async () => {
    const other = await startTestApp(backend);
    const url = await other.app.listen({ port: 0, host: '127.0.0.1' });
    const a = await signedInUser(other);
    const s = await openEventStream(`${url}/auth/events`, a.headers);
    expect((await s.next())?.event).toBe('ready');
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await s.next()).toBeNull();
  });
});

describe('GET /auth/events caps and timeouts', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(backends[0] as (typeof backends)[number], {
      EVENT_STREAMS_PER_USER: '2',
      EVENT_STREAMS_MAX: '3',
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  const stream = (who: { headers: Record<string, string> }) =>
    openEventStream(`${base}/auth/events`, who.headers);
  it('refuses a third stream of one account across its sessions with 429, until one closes', async () => {
    const a = await signedInUser(t);
    const [b, c] = [await login(t, a.user.email), await login(t, a.user.email)];
    const sa = await stream(a);
    const sb = await stream(b);
    expect((await sa.next())?.event).toBe('ready');
    expect((await sb.next())?.event).toBe('ready');
    const refused = await fetch(`${base}/auth/events`, { headers: c.headers });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      code: 'RATE_LIMITED',
      description: 'Too many event streams for this account',
    });
    await sa.close();
    let sc = await stream(c);
    for (let tries = 0; sc.status === 429 && tries < 50; tries++) {
      await sc.close();
      await new Promise((r) => setTimeout(r, 100));
      sc = await stream(c);
    }
    expect(sc.status).toBe(200);
    await Promise.all([sb.close(), sc.close()]);
  });

  it('refuses streams past the instance cap with 503 and Retry-After', async () => {
    const held = [];
    for (let i = 0; i < 3; i++) {
      const who = await signedInUser(t);
      // Streams the previous test closed may take a moment to be counted out.
      let s = await stream(who);
      for (let tries = 0; s.status === 503 && tries < 50; tries++) {
        await s.close();
        await new Promise((r) => setTimeout(r, 100));
        s = await stream(who);
      }
      expect((await s.next())?.event).toBe('ready');
      held.push(s);
    }
    const refused = await fetch(`${base}/auth/events`, { headers: (await signedInUser(t)).headers });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((await refused.json()).code).toBe('SERVICE_UNAVAILABLE');
    await Promise.all(held.map((s) => s.close()));
    const who = await signedInUser(t);
    let again = await stream(who);
    for (let tries = 0; again.status === 503 && tries < 50; tries++) {
      await again.close();
      await new Promise((r) => setTimeout(r, 100));
      again = await stream(who);
    }
    expect(again.status).toBe(200);
    await again.close();
  });
});

describe('GET /auth/events with EVENT_STREAM_MAX_AGE', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(backends[0] as (typeof backends)[number], { EVENT_STREAM_MAX_AGE: '1' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  const stream = (who: { headers: Record<string, string> }) =>
    openEventStream(`${base}/auth/events`, who.headers);

  it('closes a stream after EVENT_STREAM_MAX_AGE with stream.timeout (the client reconnects)', async () => {
    const a = await signedInUser(t);
    const s = await stream(a);
    expect((await s.next())?.event).toBe('ready');
    expect(await s.next(4000)).toEqual({ event: 'stream.timeout', data: { sessionId: a.session.id } });
    expect(await s.next()).toBeNull();
  });
});
