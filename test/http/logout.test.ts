import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  login,
  type SignedIn,
  sessionState,
  signedInUser,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

describe.each(backends)('POST /auth/logout on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  const logout = (who: { headers: Record<string, string> } | null, payload?: unknown, headers = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { ...(who?.headers ?? {}), ...headers },
      ...(payload === undefined ? {} : { payload: payload as string }),
    });
  const me = (who: SignedIn) => t.app.inject({ method: 'GET', url: '/auth/me', headers: who.headers });
  const refresh = (who: SignedIn) =>
    t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: who.refreshToken } });

  /** The user of `a` with two more sessions (devices). */
  async function threeDevices() {
    const a = await signedInUser(t);
    const b = await login(t, a.user.email, undefined, 'phone');
    const c = await login(t, a.user.email, undefined, 'tablet');
    return [a, b, c] as const;
  }

  const expectLoggedOut = (res: Awaited<ReturnType<typeof logout>>) => {
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ message: 'Logged out successfully' });
    expect(res.headers['cache-control']).toBe('no-store');
  };

  async function endedAudit(userId: string) {
    return (await t.store.listAuditEvents({ userId, limit: 50 })).filter((e) => e.action === 'session.ended');
  }

  describe('200: ends what the body names, and nothing else', () => {
    it.each([
      ['no body', undefined, {}],
      ['an empty JSON body', '', { 'content-type': 'application/json' }],
      ['an empty body of another type', '', { 'content-type': 'text/plain' }],
      ['{}', {}, {}],
      ['{"scope":"current"}', { scope: 'current' }, {}],
    ])('ends the current session for %s', async (_label, payload, headers) => {
      const [a, b] = await threeDevices();
      const res = await logout(a, payload, { ...headers, 'user-agent': 'logout-test' });
      expectLoggedOut(res);

      expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'logout' });
      expect(await sessionState(t, b.session.id)).toEqual({ ended: false, reason: null });
      expectEnvelope(await me(a), 'UNAUTHORIZED', /ended/);
      expectEnvelope(await refresh(a), 'UNAUTHORIZED');
      expect((await me(b)).statusCode).toBe(200);

      const [event, ...more] = await endedAudit(a.user.id);
      expect(more).toHaveLength(0);
      expect(event).toMatchObject({
        reason: 'logout',
        actorUserId: a.user.id,
        targetUserId: a.user.id,
        sessionIds: [a.session.id],
        userAgent: 'logout-test',
        details: { scope: 'current' },
      });
      expect(event?.ip).toBeTruthy();
    });

    it('scope "others" ends every other session of the caller and keeps this one', async () => {
      const [a, b, c] = await threeDevices();
      const stranger = await signedInUser(t);
      expectLoggedOut(await logout(a, { scope: 'others' }));

      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
      for (const s of [b, c]) {
        expect(await sessionState(t, s.session.id)).toEqual({ ended: true, reason: 'logout_others' });
        expect((await me(s)).statusCode).toBe(401);
        expect((await refresh(s)).statusCode).toBe(401);
      }
      expect((await me(a)).statusCode).toBe(200);
      expect((await me(stranger)).statusCode).toBe(200);
      const events = await endedAudit(a.user.id);
      expect(events).toHaveLength(1);
      expect(new Set(events[0]?.sessionIds)).toEqual(new Set([b.session.id, c.session.id]));
      expect(events[0]?.details).toEqual({ scope: 'others' });
    });

    it('scope "others" with no other session succeeds and ends nothing', async () => {
      const a = await signedInUser(t);
      expectLoggedOut(await logout(a, { scope: 'others' }));
      expect((await me(a)).statusCode).toBe(200);
      expect(await endedAudit(a.user.id)).toHaveLength(0);
    });

    it('scope "all" ends every session of the caller, this one included', async () => {
      const [a, b, c] = await threeDevices();
      const stranger = await signedInUser(t);
      expectLoggedOut(await logout(a, { scope: 'all' }));
      for (const s of [a, b, c]) {
        expect(await sessionState(t, s.session.id)).toEqual({ ended: true, reason: 'logout_all' });
        expect((await me(s)).statusCode).toBe(401);
      }
      expect((await me(stranger)).statusCode).toBe(200);
      const events = await endedAudit(a.user.id);
      expect(events).toHaveLength(1);
      expect(events[0]?.sessionIds).toHaveLength(3);
    });

    it('sessionId ends that one session of the caller (a device list\'s "sign out")', async () => {
      const [a, b, c] = await threeDevices();
      expectLoggedOut(await logout(a, { sessionId: b.session.id }));
      expect(await sessionState(t, b.session.id)).toEqual({ ended: true, reason: 'logout' });
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
      expect(await sessionState(t, c.session.id)).toEqual({ ended: false, reason: null });
      expect((await me(b)).statusCode).toBe(401);
      expect((await me(a)).statusCode).toBe(200);
      expect((await endedAudit(a.user.id))[0]).toMatchObject({
        sessionIds: [b.session.id],
        details: { scope: 'session' },
      });
    });

    it('sessionId may name the current session', async () => {
      const [a, b] = await threeDevices();
      expectLoggedOut(await logout(a, { sessionId: a.session.id }));
      expect((await me(a)).statusCode).toBe(401);
      expect((await me(b)).statusCode).toBe(200);
    });

    it('an admin with userId and scope "all" ends every session of that user, not their own', async () => {
      const admin = await signedInUser(t, { admin: true });
      const [a, b] = await threeDevices();
      expectLoggedOut(await logout(admin, { userId: a.user.id, scope: 'all' }));
      for (const s of [a, b]) {
        expect(await sessionState(t, s.session.id)).toEqual({ ended: true, reason: 'admin' });
        expect((await me(s)).statusCode).toBe(401);
      }
      expect((await me(admin)).statusCode).toBe(200);
      expect((await endedAudit(a.user.id))[0]).toMatchObject({
        actorUserId: admin.user.id,
        targetUserId: a.user.id,
      });
    });

    it('an admin may end one session of another user by sessionId', async () => {
      const admin = await signedInUser(t, { admin: true });
      const [a, b] = await threeDevices();
      expectLoggedOut(await logout(admin, { sessionId: b.session.id }));
      expect(await sessionState(t, b.session.id)).toEqual({ ended: true, reason: 'admin' });
      expect((await me(a)).statusCode).toBe(200);
    });

    it('a user may name their own userId (same as scope "all")', async () => {
      const [a, b] = await threeDevices();
      expectLoggedOut(await logout(a, { userId: a.user.id }));
      expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'logout_all' });
      expect(await sessionState(t, b.session.id)).toEqual({ ended: true, reason: 'logout_all' });
    });

    it('clears a browser session cookie with Set-Cookie Max-Age=0 and Clear-Site-Data', async () => {
      const a = await signedInUser(t);
      const res = await logout(a, undefined, { cookie: 'theme=dark; gatehouse_session=abc' });
      expectLoggedOut(res);
      // Both browser cookies go: the session (access token) and the path-limited refresh token.
      const [session, refresh] = [res.headers['set-cookie']].flat();
      expect(session).toMatch(/^gatehouse_session=; Path=\/; Max-Age=0; HttpOnly/);
      expect(refresh).toMatch(/^gatehouse_refresh=; Path=\/account\/refresh; Max-Age=0; HttpOnly/);
      expect(res.headers['clear-site-data']).toBe('"cookies"');
    });

    it('clears the cookie even when the session had already ended (401)', async () => {
      const a = await signedInUser(t);
      expectLoggedOut(await logout(a));
      const res = await logout(a, undefined, { cookie: 'gatehouse_session=abc' });
      expectEnvelope(res, 'UNAUTHORIZED');
      expect([res.headers['set-cookie']].flat()[0]).toMatch(/Max-Age=0/);
      expect(res.headers['clear-site-data']).toBe('"cookies"');
    });

    it('sends no cookie headers when the request had no session cookie', async () => {
      const a = await signedInUser(t);
      const res = await logout(a);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['clear-site-data']).toBeUndefined();
    });

    it("drops the caller's verified token from memory when its own session ends, and keeps it otherwise", async () => {
      const [a] = await threeDevices();
      expect((await me(a)).statusCode).toBe(200);
      expect(t.ctx.tokens.cached(a.accessToken)).toBeDefined();
      expectLoggedOut(await logout(a, { scope: 'others' }));
      expect(t.ctx.tokens.cached(a.accessToken)).toBeDefined(); // its session goes on
      expectLoggedOut(await logout(a));
      expect(t.ctx.tokens.cached(a.accessToken)).toBeUndefined();
      // Verified again from its signature, and refused: the session has ended.
      expectEnvelope(await me(a), 'UNAUTHORIZED');
      expect(t.ctx.tokens.cached(a.accessToken)).toBeDefined();
    });
  });

  describe('400: a body that cannot be read ends nothing', () => {
    it.each([
      ['malformed JSON', '{"scope":', 'application/json', /not valid JSON/],
      ['a JSON array', '[]', 'application/json', /JSON object/],
      ['a JSON string', '"all"', 'application/json', /JSON object/],
      ['a JSON number', '42', 'application/json', /JSON object/],
      ['JSON null', 'null', 'application/json', /JSON object/],
      ['a text body', 'scope=all', 'text/plain', /must be JSON/],
      ['a form body', 'scope=all', 'application/x-www-form-urlencoded', /must be JSON/],
    ])('answers 400 for %s', async (_label, payload, contentType, description) => {
      const a = await signedInUser(t);
      const res = await logout(a, payload, { 'content-type': contentType });
      expectEnvelope(res, 'INVALID_INPUT', description);
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
      expect((await me(a)).statusCode).toBe(200);
    });
  });

  describe('401: no valid token, nothing ended', () => {
    it('without an Authorization header', async () => {
      expectEnvelope(await logout(null), 'UNAUTHORIZED', /Missing bearer token/);
    });

    it.each([
      ['a Basic header', 'Basic dXNlcjpwYXNz'],
      ['a bearer with no token', 'Bearer '],
      ['a token with spaces inside', 'Bearer abc def'],
    ])('with %s', async (_label, authorization) => {
      expectEnvelope(await logout({ headers: { authorization } }), 'UNAUTHORIZED', /Malformed/);
    });

    it('with a token whose signature was tampered with', async () => {
      const a = await signedInUser(t);
      const [h, p, s] = a.accessToken.split('.') as [string, string, string];
      const flipped = `${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`;
      const res = await logout({ headers: { authorization: `Bearer ${h}.${p}.${flipped}` } });
      expectEnvelope(res, 'UNAUTHORIZED', /Invalid or expired/);
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
    });

    it('with an unsigned (alg "none") token claiming a real session', async () => {
      const a = await signedInUser(t);
      const [, payload] = a.accessToken.split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
      const res = await logout({ headers: { authorization: `Bearer ${header}.${payload}.` } });
      expectEnvelope(res, 'UNAUTHORIZED');
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
    });

    it('with a token signed by a key that is not ours', async () => {
      const a = await signedInUser(t);
      const { generateKeyPair } = await import('jose');
      const { privateKey } = await generateKeyPair('EdDSA');
      const [, payload] = a.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: t.ctx.keys.signingKey.kid })
        .sign(privateKey);
      expectEnvelope(await logout({ headers: { authorization: `Bearer ${forged}` } }), 'UNAUTHORIZED');
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
    });

    it('with an expired token', async () => {
      const a = await signedInUser(t);
      const [, payload] = a.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
      const { kid, key } = t.ctx.keys.signingKey;
      const expired = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 5 })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid })
        .sign(key);
      expectEnvelope(await logout({ headers: { authorization: `Bearer ${expired}` } }), 'UNAUTHORIZED');
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
    });

    it('with a refresh token presented as the bearer token', async () => {
      const a = await signedInUser(t);
      const res = await logout({ headers: { authorization: `Bearer ${a.refreshToken}` } });
      expectEnvelope(res, 'UNAUTHORIZED');
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
    });

    it('when the session has already ended (a second logout)', async () => {
      const [a, b] = await threeDevices();
      expectLoggedOut(await logout(a));
      expectEnvelope(await logout(a), 'UNAUTHORIZED', /Session has ended/);
      expectEnvelope(await logout(a, { scope: 'all' }), 'UNAUTHORIZED');
      // The rejected scope "all" ended nothing.
      expect(await sessionState(t, b.session.id)).toEqual({ ended: false, reason: null });
      expect(await endedAudit(a.user.id)).toHaveLength(1);
    });
  });

  describe('concurrent logouts (they share transactions)', () => {
    it('each of many simultaneous logouts ends its own session, audited with its own origin', async () => {
      const users = await Promise.all(Array.from({ length: 12 }, () => signedInUser(t)));
      const responses = await Promise.all(
        users.map((u, i) =>
          logout(u, i % 3 === 0 ? { scope: 'all' } : undefined, { 'user-agent': `ua-${i}` }),
        ),
      );
      for (const [i, u] of users.entries()) {
        expectLoggedOut(responses[i] as Awaited<ReturnType<typeof logout>>);
        expect(await sessionState(t, u.session.id)).toEqual({
          ended: true,
          reason: i % 3 === 0 ? 'logout_all' : 'logout',
        });
        expectEnvelope(await me(u), 'UNAUTHORIZED');
        expect(await endedAudit(u.user.id)).toEqual([
          expect.objectContaining({
            actorUserId: u.user.id,
            sessionIds: [u.session.id],
            userAgent: `ua-${i}`,
            details: { scope: i % 3 === 0 ? 'all' : 'current' },
          }),
        ]);
      }
    });

    it('the same session logged out by simultaneous requests: one 200, the others 401', async () => {
      const [a, b] = await threeDevices();
      const responses = await Promise.all(Array.from({ length: 6 }, () => logout(a)));
      expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 401, 401, 401, 401, 401]);
      for (const r of responses.filter((x) => x.statusCode === 401)) expectEnvelope(r, 'UNAUTHORIZED');
      expect(await endedAudit(a.user.id)).toHaveLength(1);
      expect(await sessionState(t, b.session.id)).toEqual({ ended: false, reason: null });
    });
  });

  describe("403: another user's session or account, caller not an admin", () => {
    it('for a sessionId of another user, which stays active', async () => {
      const a = await signedInUser(t);
      const victim = await signedInUser(t);
      expectEnvelope(await logout(a, { sessionId: victim.session.id }), 'FORBIDDEN', /admin/);
      expect(await sessionState(t, victim.session.id)).toEqual({ ended: false, reason: null });
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
      expect((await me(victim)).statusCode).toBe(200);
    });

    it('for a userId of another user, whose sessions stay active', async () => {
      const a = await signedInUser(t);
      const victim = await signedInUser(t);
      expectEnvelope(await logout(a, { userId: victim.user.id, scope: 'all' }), 'FORBIDDEN');
      expect(await sessionState(t, victim.session.id)).toEqual({ ended: false, reason: null });
      expect(await endedAudit(victim.user.id)).toHaveLength(0);
    });
  });

  describe('404: the named session or user does not exist', () => {
    it('for an unknown sessionId', async () => {
      const a = await signedInUser(t);
      expectEnvelope(await logout(a, { sessionId: randomUUID() }), 'NOT_FOUND', /Session not found/);
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
    });

    it('for an unknown userId (admin)', async () => {
      const admin = await signedInUser(t, { admin: true });
      expectEnvelope(
        await logout(admin, { userId: randomUUID(), scope: 'all' }),
        'NOT_FOUND',
        /User not found/,
      );
      expect(await sessionState(t, admin.session.id)).toEqual({ ended: false, reason: null });
    });
  });

  describe('409: the named session is already over', () => {
    it('for a sessionId that has already ended', async () => {
      const [a, b, c] = await threeDevices();
      expectLoggedOut(await logout(b));
      expectEnvelope(await logout(a, { sessionId: b.session.id }), 'CONFLICT', /already ended/);
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
      expect(await sessionState(t, c.session.id)).toEqual({ ended: false, reason: null });
      expect(await sessionState(t, b.session.id)).toEqual({ ended: true, reason: 'logout' });
      expect(await endedAudit(a.user.id)).toHaveLength(1);
    });

    it('for a sessionId that has expired', async () => {
      const a = await signedInUser(t);
      const old = await t.store.insertSession({
        id: randomUUID(),
        userId: a.user.id,
        expiresAt: new Date(Date.now() - 1000),
        ip: null,
        userAgent: null,
      });
      expectEnvelope(await logout(a, { sessionId: old.id }), 'CONFLICT', /expired/);
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
    });
  });

  describe('422: a readable body that breaks a rule ends nothing', () => {
    it.each([
      ['an unknown scope', { scope: 'everything' }, '/scope', /must be one of/],
      ['a scope of the wrong type', { scope: 5 }, '/scope', /.+/],
      ['a sessionId that is not a UUID', { sessionId: 'abc' }, '/sessionId', /uuid/],
      ['a userId that is not a UUID', { userId: '42', scope: 'all' }, '/userId', /uuid/],
      ['an unknown field', { scope: 'all', everywhere: true }, '/everywhere', /not an allowed field/],
      ['sessionId with scope', { sessionId: randomUUID(), scope: 'all' }, '/scope', /sessionId/],
      ['sessionId with userId', { sessionId: randomUUID(), userId: randomUUID() }, '/userId', /sessionId/],
      ['userId with scope "current"', { userId: randomUUID(), scope: 'current' }, '/scope', /"all"/],
    ])('for %s', async (_label, payload, path, message) => {
      const [a, b] = await threeDevices();
      const body = expectEnvelope(await logout(a, payload), 'VALIDATION_ERROR');
      const details = body.details as { path: string; message: string }[];
      expect(details[0]?.path).toBe(path);
      expect(details[0]?.message).toMatch(message);
      for (const s of [a, b])
        expect(await sessionState(t, s.session.id)).toEqual({ ended: false, reason: null });
      expect(await endedAudit(a.user.id)).toHaveLength(0);
    });
  });
});
