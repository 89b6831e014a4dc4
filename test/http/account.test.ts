import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  login,
  PASSWORD,
  register,
  sessionState,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from '../support/harness.js';

/** The account page's browser session: cookies, CSRF guard, and the same ending path as bearer tokens. */
describe.each(backends)('browser sessions (cookies) on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };

  interface Browser {
    userId: string;
    sessionId: string;
    session: string;
    refresh: string;
    setCookie: string[];
  }

  const setCookies = (res: LightMyRequestResponse): string[] => [res.headers['set-cookie'] ?? []].flat();
  const cookieValue = (setCookie: string[], name: string) =>
    setCookie
      .find((c) => c.startsWith(`${name}=`))
      ?.split(';')[0]
      ?.slice(name.length + 1) ?? '';

  async function signInBrowser(
    email?: string,
    headers: Record<string, string> = SAME_ORIGIN,
  ): Promise<Browser> {
    const address = email ?? (await register(t, uniqueEmail('browser'))).email;
    const res = await t.app.inject({
      method: 'POST',
      url: '/account/login',
      headers: { ...headers, 'user-agent': 'browser-test' },
      payload: { email: address, password: PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(200);
    const setCookie = setCookies(res);
    const body = res.json();
    return {
      userId: body.user.id,
      sessionId: body.session.id,
      session: cookieValue(setCookie, 'gatehouse_session'),
      refresh: cookieValue(setCookie, 'gatehouse_refresh'),
      setCookie,
    };
  }

  const withCookie = (b: Pick<Browser, 'session'>, headers: Record<string, string> = {}) => ({
    cookie: `theme=dark; gatehouse_session=${b.session}`,
    ...headers,
  });
  const me = (b: Browser) => t.app.inject({ method: 'GET', url: '/auth/me', headers: withCookie(b) });
  const logout = (b: Browser, payload?: unknown, headers: Record<string, string> = SAME_ORIGIN) =>
    t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: withCookie(b, headers),
      ...(payload === undefined ? {} : { payload: payload as string }),
    });
  const refresh = (token: string, headers: Record<string, string> = SAME_ORIGIN) =>
    t.app.inject({
      method: 'POST',
      url: '/account/refresh',
      headers: { ...headers, cookie: `gatehouse_refresh=${token}` },
    });

  const expectCleared = (res: LightMyRequestResponse) => {
    const cookies = setCookies(res);
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(/^gatehouse_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
    expect(cookies[1]).toMatch(
      /^gatehouse_refresh=; Path=\/account\/refresh; Max-Age=0; HttpOnly; SameSite=Strict$/,
    );
    expect(res.headers['clear-site-data']).toBe('"cookies"');
  };

  describe('POST /account/login', () => {
    it('sets the token pair as HttpOnly, SameSite=Strict cookies and returns no token', async () => {
      const b = await signInBrowser();
      expect(b.setCookie[0]).toMatch(
        /^gatehouse_session=ey[\w-]+\.[\w-]+\.[\w-]+; Path=\/; Max-Age=900; HttpOnly; SameSite=Strict$/,
      );
      expect(b.setCookie[1]).toMatch(
        /^gatehouse_refresh=[\w-]{43}; Path=\/account\/refresh; Max-Age=\d{7}; HttpOnly; SameSite=Strict$/,
      );
      const res = await me(b);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().session.id).toBe(b.sessionId);
    });

    it('answers without any token in the body, and not cacheable', async () => {
      const email = (await register(t, uniqueEmail('browser'))).email;
      const res = await t.app.inject({
        method: 'POST',
        url: '/account/login',
        headers: SAME_ORIGIN,
        payload: { email, password: PASSWORD },
      });
      expect(Object.keys(res.json()).sort()).toEqual(['expiresIn', 'refreshExpiresIn', 'session', 'user']);
      expect(res.body).not.toMatch(/accessToken|refreshToken/);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    describe('over HTTPS (a trusted proxy says so)', () => {
      let proxied: TestApp;
      beforeAll(async () => {
        proxied = await startTestApp(backend, { TRUST_PROXY: '127.0.0.1' });
      });
      afterAll(() => proxied?.close());
      const HTTPS = {
        'x-forwarded-proto': 'https',
        origin: 'https://accounts.example.test',
        host: 'accounts.example.test',
      };
      const signIn = async (headers: Record<string, string>, remoteAddress = '127.0.0.1') => {
        const email = (await register(proxied, uniqueEmail('tls'))).email;
        const res = await proxied.app.inject({
          method: 'POST',
          url: '/account/login',
          headers,
          remoteAddress,
          payload: { email, password: PASSWORD },
        });
        expect(res.statusCode, res.body).toBe(200);
        return setCookies(res);
      };

      it('sets Secure cookies with the __Host- prefix (Path=/, no Domain)', async () => {
        const [session, refresh] = await signIn(HTTPS);
        expect(session).toMatch(
          /^__Host-gatehouse_session=ey[\w-]+\.[\w-]+\.[\w-]+; Path=\/; Max-Age=900; HttpOnly; SameSite=Strict; Secure$/,
        );
        expect(refresh).toMatch(
          /^__Host-gatehouse_refresh=[\w-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/,
        );
      });

      it('reads the prefixed cookies, and not the bare ones, for me, refresh and logout', async () => {
        const set = await signIn(HTTPS);
        const session = cookieValue(set, '__Host-gatehouse_session');
        const refreshToken = cookieValue(set, '__Host-gatehouse_refresh');
        const inject = (method: 'GET' | 'POST', url: string, cookie: string) =>
          proxied.app.inject({ method, url, remoteAddress: '127.0.0.1', headers: { ...HTTPS, cookie } });
        expect((await inject('GET', '/auth/me', `__Host-gatehouse_session=${session}`)).statusCode).toBe(200);
        // A bare cookie could have been planted by a sibling subdomain or a plain-http page.
        expect((await inject('GET', '/auth/me', `gatehouse_session=${session}`)).statusCode).toBe(401);
        expect(
          (await inject('POST', '/account/refresh', `gatehouse_refresh=${refreshToken}`)).statusCode,
        ).toBe(401);
        const rotated = await inject('POST', '/account/refresh', `__Host-gatehouse_refresh=${refreshToken}`);
        expect(rotated.statusCode, rotated.body).toBe(200);
        const next = cookieValue(setCookies(rotated), '__Host-gatehouse_session');
        const out = await inject('POST', '/auth/logout', `__Host-gatehouse_session=${next}`);
        expect(out.statusCode).toBe(200);
        expect(setCookies(out)).toEqual([
          '__Host-gatehouse_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
          '__Host-gatehouse_refresh=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
        ]);
      });

      it('believes X-Forwarded-Proto only from the trusted proxy', async () => {
        const [session] = await signIn({ ...HTTPS, origin: 'http://accounts.example.test' }, '192.0.2.10');
        expect(session).toMatch(/^gatehouse_session=.*; SameSite=Strict$/);
      });
    });

    it('answers 401 in the envelope for a wrong password, setting no cookie', async () => {
      const email = (await register(t, uniqueEmail('browser'))).email;
      const res = await t.app.inject({
        method: 'POST',
        url: '/account/login',
        headers: SAME_ORIGIN,
        payload: { email, password: 'not the password' },
      });
      expectEnvelope(res, 'UNAUTHORIZED', 'Invalid email or password');
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it.each([
      ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site same-site', { 'sec-fetch-site': 'same-site', origin: 'http://localhost:80' }],
      ['a foreign Origin', { origin: 'https://evil.example' }],
      ['neither Origin nor Sec-Fetch-Site', {}],
    ])('refuses a sign-in with %s (403, login CSRF)', async (_label, headers) => {
      const email = (await register(t, uniqueEmail('browser'))).email;
      const res = await t.app.inject({
        method: 'POST',
        url: '/account/login',
        headers,
        payload: { email, password: PASSWORD },
      });
      expectEnvelope(res, 'FORBIDDEN', /must come from this origin/);
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('is rate limited per account like POST /auth/login', async () => {
      const limited = await startTestApp(backend, { RATE_LIMITS: 'on', RATE_LIMIT_PER_ACCOUNT: '2' });
      try {
        const email = (await register(limited, uniqueEmail('limited'))).email;
        const attempt = () =>
          limited.app.inject({
            method: 'POST',
            url: '/account/login',
            headers: SAME_ORIGIN,
            payload: { email, password: 'not the password' },
          });
        expect((await attempt()).statusCode).toBe(401);
        expect((await attempt()).statusCode).toBe(401);
        expectEnvelope(await attempt(), 'RATE_LIMITED');
      } finally {
        await limited.close();
      }
    });

    it('accepts a matching Origin when the browser sends no Sec-Fetch-Site', async () => {
      await signInBrowser(undefined, { origin: 'http://localhost:80' });
    });
  });

  describe('the session cookie authenticates where it is wired', () => {
    it('lists the sessions with this one marked current', async () => {
      const b = await signInBrowser();
      const res = await t.app.inject({ method: 'GET', url: '/auth/sessions', headers: withCookie(b) });
      expect(res.statusCode, res.body).toBe(200);
      const sessions = res.json().sessions as { id: string; current: boolean; userAgent: string }[];
      expect(sessions).toEqual([
        expect.objectContaining({ id: b.sessionId, current: true, userAgent: 'browser-test' }),
      ]);
    });

    it('is ignored when an Authorization header is sent: bearer auth is unchanged', async () => {
      const b = await signInBrowser();
      const res = await t.app.inject({
        method: 'GET',
        url: '/auth/me',
        headers: withCookie(b, { authorization: 'Bearer not-a-token' }),
      });
      expectEnvelope(res, 'UNAUTHORIZED', 'Invalid or expired bearer token');
    });

    it('changes the password (POST /auth/password), ending the other sessions and keeping this one', async () => {
      const b = await signInBrowser();
      const other = await login(t, (await me(b)).json().user.email);
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/password',
        headers: withCookie(b, SAME_ORIGIN),
        payload: { currentPassword: PASSWORD, newPassword: 'another long passphrase here' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(await sessionState(t, other.session.id)).toEqual({ ended: true, reason: 'password_changed' });
      expect(await sessionState(t, b.sessionId)).toEqual({ ended: false, reason: null });
    });

    it('proves the password again (POST /auth/reauthenticate); a wrong one is 401 and ends nothing', async () => {
      const b = await signInBrowser();
      const reauthenticate = (password: string) =>
        t.app.inject({
          method: 'POST',
          url: '/auth/reauthenticate',
          headers: withCookie(b, SAME_ORIGIN),
          payload: { password },
        });
      const ok = await reauthenticate(PASSWORD);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().message).toBe('Reauthenticated');
      expectEnvelope(
        await reauthenticate('not the password at all'),
        'UNAUTHORIZED',
        'Password is incorrect',
      );
      expect(await sessionState(t, b.sessionId)).toEqual({ ended: false, reason: null });
      expect((await me(b)).statusCode).toBe(200);
    });

    it.each([
      ['/auth/password', { currentPassword: PASSWORD, newPassword: 'another long passphrase here' }],
      ['/auth/reauthenticate', { password: PASSWORD }],
    ])('refuses a cross-site cookie request to %s (403, CSRF) and changes nothing', async (url, payload) => {
      const b = await signInBrowser();
      const email = (await me(b)).json().user.email;
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: withCookie(b, { 'sec-fetch-site': 'cross-site' }),
        payload,
      });
      expectEnvelope(res, 'FORBIDDEN', /must come from this origin/);
      // The password is unchanged: it still signs in.
      expect((await login(t, email)).session.id).toBeTruthy();
    });

    it('answers 401 for a cookie that is not a token of ours', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/auth/me',
        headers: { cookie: 'gatehouse_session=abc' },
      });
      expectEnvelope(res, 'UNAUTHORIZED', 'Invalid or expired session cookie');
    });

    it.each([
      ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['a foreign Origin', { origin: 'https://evil.example' }],
      ['neither Origin nor Sec-Fetch-Site', {}],
    ])('refuses a cookie logout with %s (403, CSRF) and ends nothing', async (_label, headers) => {
      const b = await signInBrowser();
      const res = await logout(b, undefined, headers);
      expectEnvelope(res, 'FORBIDDEN', /must come from this origin/);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(await sessionState(t, b.sessionId)).toEqual({ ended: false, reason: null });
    });
  });

  describe('signing out with the cookie: the same ending path as a bearer token', () => {
    it('ends the session, clears both cookies, and the cookie gets 401 at once', async () => {
      const b = await signInBrowser();
      const res = await logout(b);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ message: 'Logged out successfully' });
      expectCleared(res);
      expect(await sessionState(t, b.sessionId)).toEqual({ ended: true, reason: 'logout' });
      expectEnvelope(await me(b), 'UNAUTHORIZED', 'Session has ended');
      const again = await refresh(b.refresh);
      expectEnvelope(again, 'UNAUTHORIZED');
      expectCleared(again);
    });

    it('a cookie session ended from another device gets 401 at once, and logout then clears it', async () => {
      const b = await signInBrowser();
      const other = await login(t, (await t.store.findUserById(b.userId))!.email);
      const ended = await t.app.inject({
        method: 'POST',
        url: '/auth/logout',
        headers: other.headers,
        payload: { sessionId: b.sessionId },
      });
      expect(ended.statusCode, ended.body).toBe(200);
      expectEnvelope(await me(b), 'UNAUTHORIZED', 'Session has ended');
      const res = await logout(b);
      expectEnvelope(res, 'UNAUTHORIZED');
      expectCleared(res);
    });

    it('signing out another device keeps this browser signed in (no cookie cleared)', async () => {
      const b = await signInBrowser();
      const phone = await signInBrowser((await t.store.findUserById(b.userId))!.email);
      const res = await logout(b, { sessionId: phone.sessionId });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['clear-site-data']).toBeUndefined();
      expect((await me(b)).statusCode).toBe(200);
      expectEnvelope(await me(phone), 'UNAUTHORIZED');

      const already = await logout(b, { sessionId: phone.sessionId });
      expectEnvelope(already, 'CONFLICT');
      expect(already.headers['set-cookie']).toBeUndefined();
    });

    it('scope "others" keeps this browser signed in; scope "all" clears it', async () => {
      const b = await signInBrowser();
      const email = (await t.store.findUserById(b.userId))!.email;
      const phone = await signInBrowser(email);
      const others = await logout(b, { scope: 'others' });
      expect(others.statusCode).toBe(200);
      expect(others.headers['set-cookie']).toBeUndefined();
      expect((await me(b)).statusCode).toBe(200);
      expect(await sessionState(t, phone.sessionId)).toEqual({ ended: true, reason: 'logout_others' });

      const all = await logout(b, { scope: 'all' });
      expect(all.statusCode).toBe(200);
      expectCleared(all);
      expect(await sessionState(t, b.sessionId)).toEqual({ ended: true, reason: 'logout_all' });
    });
  });

  describe('POST /account/refresh', () => {
    it('rotates both cookies; the old refresh cookie presented again ends the session', async () => {
      const b = await signInBrowser();
      const res = await refresh(b.refresh);
      expect(res.statusCode, res.body).toBe(200);
      const rotated = setCookies(res);
      const next = cookieValue(rotated, 'gatehouse_refresh');
      expect(next).not.toBe(b.refresh);
      expect(res.json().session.id).toBe(b.sessionId);
      expect(res.body).not.toMatch(/accessToken|refreshToken/);
      expect((await me({ ...b, session: cookieValue(rotated, 'gatehouse_session') })).statusCode).toBe(200);

      const reused = await refresh(b.refresh);
      expectEnvelope(reused, 'UNAUTHORIZED', /already used/);
      expectCleared(reused);
      expect(await sessionState(t, b.sessionId)).toEqual({ ended: true, reason: 'refresh_reuse' });
    });

    it('answers 401 without a refresh cookie', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/account/refresh', headers: SAME_ORIGIN });
      expectEnvelope(res, 'UNAUTHORIZED', /No refresh cookie/);
    });

    it('refuses a cross-site refresh (403) and keeps the refresh token usable', async () => {
      const b = await signInBrowser();
      expectEnvelope(await refresh(b.refresh, { 'sec-fetch-site': 'cross-site' }), 'FORBIDDEN');
      expect((await refresh(b.refresh)).statusCode).toBe(200);
    });
  });

  describe('the page and the document', () => {
    it('serves /account as HTML with a Content-Security-Policy of its own, and its script and stylesheet', async () => {
      const page = await t.app.inject({ method: 'GET', url: '/account' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(page.body).toContain('<script type="module" src="/account/account.js">');
      const script = await t.app.inject({ method: 'GET', url: '/account/account.js' });
      expect(script.statusCode).toBe(200);
      expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(script.body).toContain('/account/refresh');
      const css = await t.app.inject({ method: 'GET', url: '/account/account.css' });
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    });

    it('sends a person who opens / or /account/ to the page, which links the API document', async () => {
      for (const url of ['/', '/account/']) {
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(302);
        expect(res.headers.location, url).toBe('/account');
      }
      const page = await t.app.inject({ method: 'GET', url: '/account' });
      expect(page.body).toContain('<a href="/docs">API documentation</a>');
    });

    it('documents the cookie scheme, where it is accepted, and the account endpoints', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      expect(doc.components.securitySchemes.cookieAuth).toMatchObject({
        type: 'apiKey',
        in: 'cookie',
        name: 'gatehouse_session',
      });
      const both = [{ bearerAuth: [] }, { cookieAuth: [] }];
      expect(doc.paths['/auth/logout'].post.security).toEqual(both);
      expect(doc.paths['/auth/me'].get.security).toEqual(both);
      expect(doc.paths['/auth/sessions'].get.security).toEqual(both);
      expect(doc.paths['/auth/password'].post.security).toEqual(both);
      expect(doc.paths['/auth/reauthenticate'].post.security).toEqual(both);
      // Public: authenticated by the refresh token in its body, not by a scheme.
      expect(doc.paths['/auth/refresh'].post.security).toEqual([]);
      expect(doc.paths['/account/login'].post.responses).toHaveProperty('403');
      expect(doc.paths['/account/refresh'].post.responses).toHaveProperty('401');
      expect(doc.paths['/account']).toBeUndefined();
    });
  });
});
