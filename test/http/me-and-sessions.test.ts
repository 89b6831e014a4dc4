import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  login,
  PASSWORD,
  register,
  type SignedIn,
  signedInUser,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from '../support/harness.js';

interface SessionItem {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

describe.each(backends)('GET /auth/me and GET /auth/sessions on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });
  const me = (who: { headers: Record<string, string> }) => get('/auth/me', who.headers);
  const sessions = async (who: SignedIn) => {
    const res = await get('/auth/sessions', who.headers);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { sessions: SessionItem[] }).sessions;
  };
  const logout = (who: SignedIn, payload?: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: who.headers,
      ...(payload === undefined ? {} : { payload: payload as string }),
    });

  /** Every way a request can fail to prove who it is, for both endpoints. */
  const unauthenticated: [string, (a: SignedIn) => Record<string, string>, RegExp][] = [
    ['no Authorization header', () => ({}), /Missing bearer token/],
    ['a Basic header', () => ({ authorization: 'Basic dXNlcjpwYXNz' }), /Malformed/],
    ['"Bearer" with no token', () => ({ authorization: 'Bearer' }), /Malformed/],
    ['a token that is not a JWT', () => ({ authorization: 'Bearer not-a-jwt' }), /Invalid or expired/],
    [
      'a tampered token',
      (a) => ({ authorization: `Bearer ${a.accessToken.slice(0, -4)}AAAA` }),
      /Invalid or expired/,
    ],
    ['the refresh token', (a) => ({ authorization: `Bearer ${a.refreshToken}` }), /Invalid or expired/],
  ];

  describe('GET /auth/me', () => {
    it('answers {user, session} exactly as login gave them, with no-store', async () => {
      const user = await register(t, uniqueEmail(), PASSWORD, 'Ada');
      const a = await login(t, user.email);
      const res = await me(a);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ user: a.user, session: a.session });
      expect(res.json().user).toEqual({
        id: user.id,
        email: user.email,
        name: 'Ada',
        roles: ['user'],
        emailVerified: false,
      });
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    });

    it('names the session with a UUIDv7 carrying its creation time (src/domain/session-ids.ts)', async () => {
      const a = await signedInUser(t);
      const { id, createdAt } = a.session as { id: string; createdAt: string };
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(Date.parse(createdAt));
    });

    it('answers each token with its own session, the same on every request', async () => {
      const user = await register(t, uniqueEmail(), PASSWORD);
      const a = await login(t, user.email);
      const b = await login(t, user.email);
      const first = await me(a);
      const again = await me(a);
      const other = await me(b);
      expect(again.body).toBe(first.body);
      expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(again.json()).toEqual({ user: a.user, session: a.session });
      expect(other.json()).toEqual({ user: b.user, session: b.session });
      expect(b.session.id).not.toBe(a.session.id);
    });

    it('refuses a forged token that ends with the signature of a token already accepted', async () => {
      const a = await signedInUser(t);
      expect((await me(a)).statusCode).toBe(200); // now in the verified-token cache
      const [header, payload, signature] = a.accessToken.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const asAdmin = Buffer.from(JSON.stringify({ ...claims, roles: ['user', 'admin'] })).toString(
        'base64url',
      );
      for (const forged of [`${header}.${asAdmin}.${signature}`, `x${a.accessToken}`, signature]) {
        expectEnvelope(await me({ headers: { authorization: `Bearer ${forged}` } }), 'UNAUTHORIZED');
      }
      expect((await me(a)).statusCode).toBe(200);
    });

    it.each([
      ['a lower-case scheme', 'bearer %s'],
      ['several spaces', 'Bearer   %s'],
      ['a trailing space', 'Bearer %s '],
    ])('accepts a cached token written with %s', async (_label, format) => {
      const a = await signedInUser(t);
      expect((await me(a)).statusCode).toBe(200);
      const res = await me({ headers: { authorization: format.replace('%s', a.accessToken) } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().session).toEqual(a.session);
    });

    it('shows the admin role of an admin', async () => {
      const admin = await signedInUser(t, { admin: true });
      expect((await me(admin)).json().user.roles).toEqual(['user', 'admin']);
    });

    it.each(unauthenticated)('answers 401 for %s', async (_label, headers, description) => {
      const a = await signedInUser(t);
      expectEnvelope(await me({ headers: headers(a) }), 'UNAUTHORIZED', description);
    });

    it('answers 401 for an expired token', async () => {
      const a = await signedInUser(t);
      const claims = JSON.parse(Buffer.from(a.accessToken.split('.')[1] as string, 'base64url').toString());
      const { kid, key } = t.ctx.keys.signingKey;
      const expired = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 5 })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid })
        .sign(key);
      expectEnvelope(await me({ headers: { authorization: `Bearer ${expired}` } }), 'UNAUTHORIZED');
    });

    it('answers 401 once the session has ended', async () => {
      const a = await signedInUser(t);
      expect((await logout(a)).statusCode).toBe(200);
      expectEnvelope(await me(a), 'UNAUTHORIZED', /Session has ended/);
    });
  });

  describe('GET /auth/sessions', () => {
    it("lists the caller's active sessions, newest first, with exactly the fields of docs/api.md §3 and §7", async () => {
      const a = await signedInUser(t);
      const b = await login(t, a.user.email, undefined, 'Phone/2.0');
      const list = await sessions(b);
      expect(list.map((s) => s.id)).toEqual([b.session.id, a.session.id]);
      for (const s of list)
        expect(Object.keys(s).sort()).toEqual(
          [
            'authTime',
            'createdAt',
            'current',
            'device',
            'deviceName',
            'expiresAt',
            'id',
            'ip',
            'lastUsedAt',
            'userAgent',
          ].sort(),
        );
      expect(list[0]).toEqual({
        id: b.session.id,
        createdAt: b.session.createdAt,
        lastUsedAt: expect.any(String),
        expiresAt: b.session.expiresAt,
        ip: '127.0.0.1',
        userAgent: 'Phone/2.0',
        authTime: b.session.createdAt,
        device: { browser: null, os: null, type: 'unknown' },
        deviceName: null,
        current: true,
      });
      expect(list[1]).toMatchObject({ id: a.session.id, userAgent: 'vitest', current: false });
      expect(Date.parse(list[0]?.lastUsedAt as string)).toBeGreaterThanOrEqual(
        Date.parse(b.session.createdAt),
      );
    });

    it("shows each session's device, parsed from its User-Agent, and the deviceName given at login", async () => {
      const a = await signedInUser(t);
      const chrome =
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { 'user-agent': chrome },
        payload: { email: a.user.email, password: PASSWORD, deviceName: 'Ada’s laptop 💻' },
      });
      expect(res.statusCode, res.body).toBe(200);
      const named = res.json().session.id as string;
      const list = await sessions(a);
      expect(list.find((s) => s.id === named)).toMatchObject({
        device: { browser: 'Chrome 120', os: 'macOS 10.15', type: 'desktop' },
        deviceName: 'Ada’s laptop 💻',
        userAgent: chrome,
        current: false,
      });
      expect(list.find((s) => s.id === a.session.id)).toMatchObject({ deviceName: null, current: true });
    });

    it('flags as current the session of the token making the request', async () => {
      const a = await signedInUser(t);
      const b = await login(t, a.user.email);
      const currentOf = async (who: SignedIn) =>
        (await sessions(who)).filter((s) => s.current).map((s) => s.id);
      expect(await currentOf(a)).toEqual([a.session.id]);
      expect(await currentOf(b)).toEqual([b.session.id]);
    });

    it('sends Cache-Control: no-store', async () => {
      const a = await signedInUser(t);
      expect((await get('/auth/sessions', a.headers)).headers['cache-control']).toBe('no-store');
    });

    it("never lists another user's sessions", async () => {
      const a = await signedInUser(t);
      const stranger = await signedInUser(t);
      await login(t, stranger.user.email);
      expect((await sessions(a)).map((s) => s.id)).toEqual([a.session.id]);
    });

    it('leaves out sessions that have ended, whatever ended them', async () => {
      const a = await signedInUser(t);
      const [loggedOut, revoked, kept] = [
        await login(t, a.user.email),
        await login(t, a.user.email),
        await login(t, a.user.email),
      ] as const;
      expect((await logout(a, { sessionId: loggedOut.session.id })).statusCode).toBe(200);
      await t.app.inject({ method: 'POST', url: '/auth/revoke', payload: { token: revoked.refreshToken } });
      const ids = (await sessions(a)).map((s) => s.id);
      expect(ids.sort()).toEqual([a.session.id, kept.session.id].sort());
    });

    it('leaves out sessions past their expiry', async () => {
      const a = await signedInUser(t);
      await t.store.insertSession({
        id: randomUUID(),
        userId: a.user.id,
        expiresAt: new Date(Date.now() - 1000),
        ip: null,
        userAgent: null,
      });
      expect((await sessions(a)).map((s) => s.id)).toEqual([a.session.id]);
    });

    it('shows a refresh as a later lastUsedAt on the same session', async () => {
      const a = await signedInUser(t);
      const before = (await sessions(a))[0] as SessionItem;
      await new Promise((r) => setTimeout(r, 20));
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: { refreshToken: a.refreshToken },
      });
      expect(res.statusCode).toBe(200);
      const after = (await sessions(a))[0] as SessionItem;
      expect(after.id).toBe(before.id);
      expect(Date.parse(after.lastUsedAt)).toBeGreaterThan(Date.parse(before.lastUsedAt));
      expect(after.createdAt).toBe(before.createdAt);
    });

    it.each(unauthenticated)('answers 401 for %s', async (_label, headers, description) => {
      const a = await signedInUser(t);
      expectEnvelope(await get('/auth/sessions', headers(a)), 'UNAUTHORIZED', description);
    });

    it('answers 401 once the session has ended, even while others of the user remain', async () => {
      const a = await signedInUser(t);
      const b = await login(t, a.user.email);
      expect((await logout(a)).statusCode).toBe(200);
      expectEnvelope(await get('/auth/sessions', a.headers), 'UNAUTHORIZED', /Session has ended/);
      expect((await sessions(b)).map((s) => s.id)).toEqual([b.session.id]);
    });
  });
});
