import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appClock } from '../support/app-clock.js';
import { backends } from '../support/backends.js';
import {
  addPasskey,
  assertion,
  authenticatorFor,
  enableTotp,
  passwordStep,
  totpCode,
} from '../support/factors.js';
import { PASSWORD, signedInUser, type TestApp } from '../support/harness.js';
import {
  browserCookie,
  CALLBACK,
  client,
  codeFor,
  cookieHeader,
  expectOAuthError,
  ISSUER,
  SAME_ORIGIN,
  startOidcApp,
  token,
} from '../support/oidc-inject.js';

/** POST /oidc/token and /oidc/userinfo: each protocol error, and what a reused code or token revokes. */
describe.each(backends)('the token endpoint on $name', (backend) => {
  let t: TestApp;
  let app: { id: string; secret: string | null };
  let spa: { id: string; secret: string | null };
  let cookie: string;

  beforeAll(async () => {
    t = await startOidcApp(backend);
    app = await client(t);
    spa = await client(t, { type: 'public', name: 'spa' });
    cookie = (await browserCookie(t)).cookie;
  });
  afterAll(() => t.close());

  const exchange = (c: typeof app, code: string, verifier: string, extra: Record<string, string> = {}) =>
    token(
      t,
      { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, ...extra },
      c,
    );
  const userinfo = (accessToken: string) =>
    t.app.inject({ url: '/oidc/userinfo', headers: { authorization: `Bearer ${accessToken}` } });

  it('exchanges a code once: tokens with the ID token claims, no-store', async () => {
    const { code, verifier } = await codeFor(t, app, cookie);
    const res = await exchange(app, code, verifier);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'openid email' });
    const id = decodeJwt(body.id_token);
    expect(id).toMatchObject({ iss: ISSUER, aud: app.id, nonce: 'n', amr: ['pwd'] });
    expect(typeof id.sid).toBe('string');
    expect(typeof id.auth_time).toBe('number');
    const info = await userinfo(body.access_token);
    expect(info.statusCode, info.body).toBe(200);
    expect(info.json()).toMatchObject({ sub: id.sub });
  });

  it('a public client exchanges with client_id and PKCE alone', async () => {
    const { code, verifier } = await codeFor(t, spa, cookie);
    expect((await exchange(spa, code, verifier)).statusCode).toBe(200);
  });

  describe("the ID token's amr (RFC 8176) says how the session was proven", () => {
    /** The tokens of a code exchanged through the browser session `cookie`. */
    const tokensFor = async (browser: string) => {
      const { code, verifier } = await codeFor(t, app, browser);
      const res = await exchange(app, code, verifier);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { id_token: string; refresh_token: string };
    };
    const signIn = (url: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url, headers: SAME_ORIGIN, payload });
    /** A signed-in user with TOTP on, and the password step of a new browser sign-in. */
    const totpSignIn = async () => {
      const who = await signedInUser(t);
      const { secret, recoveryCodes } = await enableTotp(t, who);
      return { who, secret, recoveryCodes, mfaToken: await passwordStep(t, who.user.email) };
    };
    // The confirmation spent this step's code; the next step's is accepted too.
    const nextCode = (secret: string) => totpCode(secret, Date.now() + 30_000);

    it('password and TOTP: pwd, otp and mfa; the session records both proofs', async () => {
      const { secret, mfaToken } = await totpSignIn();
      const browser = cookieHeader(
        await signIn('/account/login/mfa', { mfaToken, code: await nextCode(secret) }),
      );
      const id = decodeJwt((await tokensFor(browser)).id_token);
      expect(id.amr).toEqual(['pwd', 'otp', 'mfa']);
      expect((await t.store.findSession(id.sid as string))?.authMethods).toEqual(['password', 'totp']);
    });

    it('password and a recovery code: pwd and mfa, no otp (a recovery code is not the authenticator app)', async () => {
      const { recoveryCodes, mfaToken } = await totpSignIn();
      const browser = cookieHeader(
        await signIn('/account/login/mfa', { mfaToken, recoveryCode: recoveryCodes[0] }),
      );
      const id = decodeJwt((await tokensFor(browser)).id_token);
      expect(id.amr).toEqual(['pwd', 'mfa']);
      expect((await t.store.findSession(id.sid as string))?.authMethods).toEqual([
        'password',
        'recovery_code',
      ]);
    });

    it('a passkey: hwk, user and mfa, no pwd', async () => {
      const who = await signedInUser(t);
      const authenticator = authenticatorFor(t);
      await addPasskey(t, who, authenticator);
      const browser = cookieHeader(await signIn('/account/login/passkey', await assertion(t, authenticator)));
      const id = decodeJwt((await tokensFor(browser)).id_token);
      expect(id.amr).toEqual(['hwk', 'user', 'mfa']);
      expect(id.sub).toBe(who.user.id);
    });

    it('a reauthentication replaces the proof with auth_time: a password after TOTP is pwd alone', async () => {
      const { secret, mfaToken } = await totpSignIn();
      const browser = cookieHeader(
        await signIn('/account/login/mfa', { mfaToken, code: await nextCode(secret) }),
      );
      const first = await tokensFor(browser);
      const before = decodeJwt(first.id_token);
      expect(before.amr).toEqual(['pwd', 'otp', 'mfa']);
      const reauth = await t.app.inject({
        method: 'POST',
        url: '/auth/reauthenticate',
        headers: { ...SAME_ORIGIN, cookie: browser },
        payload: { password: PASSWORD },
      });
      expect(reauth.statusCode, reauth.body).toBe(200);
      const refreshed = await token(
        t,
        { grant_type: 'refresh_token', refresh_token: first.refresh_token },
        app,
      );
      expect(refreshed.statusCode, refreshed.body).toBe(200);
      const after = decodeJwt(refreshed.json().id_token);
      expect(after.amr).toEqual(['pwd']);
      expect(after.auth_time).toBe(Math.floor(Date.parse(reauth.json().authTime) / 1000));
      expect((await t.store.findSession(after.sid as string))?.authMethods).toEqual(['password']);
    });

    it('a TOTP code alone, as a reauthentication, is one factor: otp', async () => {
      const who = await signedInUser(t);
      const { secret } = await enableTotp(t, who);
      const reauth = await t.app.inject({
        method: 'POST',
        url: '/auth/reauthenticate',
        headers: who.headers,
        payload: { code: await nextCode(secret) },
      });
      expect(reauth.statusCode, reauth.body).toBe(200);
      // The account page's session cookie holds the access token of its session.
      const id = decodeJwt((await tokensFor(`gatehouse_session=${who.accessToken}`)).id_token);
      expect(id.sid).toBe(who.session.id);
      expect(id.amr).toEqual(['otp']);
    });

    it('no amr for a session whose proof was never recorded (opened before migration 012), rather than a guess', async () => {
      const { refresh_token, id_token } = await tokensFor((await browserCookie(t)).cookie);
      await t.database.db.query('UPDATE sessions SET auth_methods = NULL WHERE id = $1', [
        decodeJwt(id_token).sid,
      ]);
      const refreshed = await token(t, { grant_type: 'refresh_token', refresh_token }, app);
      expect(refreshed.statusCode, refreshed.body).toBe(200);
      const id = decodeJwt(refreshed.json().id_token);
      expect(id).not.toHaveProperty('amr');
      expect(typeof id.auth_time).toBe('number');
    });
  });

  describe('client authentication: 401 invalid_client with WWW-Authenticate', () => {
    it.each([
      ['an unknown client', () => ({ id: 'nobody', secret: 'x' })],
      ['a wrong secret', () => ({ id: app.id, secret: 'ghcs_wrong' })],
      ['no secret for a confidential client', () => ({ id: app.id, secret: null })],
      ['a secret for a public client', () => ({ id: spa.id, secret: 'anything' })],
    ])('%s', async (_, who) => {
      const { code, verifier } = await codeFor(t, app, cookie);
      const res = await exchange(who(), code, verifier);
      expectOAuthError(res, 401, 'invalid_client');
      expect(res.headers['www-authenticate']).toMatch(/^Basic /);
      // The code was not spent by the failed attempt.
      expect((await exchange(app, code, verifier)).statusCode).toBe(200);
    });
  });

  describe('400 invalid_grant', () => {
    it('for a code presented again, which also revokes what the first exchange issued', async () => {
      const { code, verifier } = await codeFor(t, app, cookie);
      const first = (await exchange(app, code, verifier)).json();
      expect((await userinfo(first.access_token)).statusCode).toBe(200);
      expectOAuthError(await exchange(app, code, verifier), 400, 'invalid_grant');
      const info = await userinfo(first.access_token);
      expectOAuthError(info, 401, 'invalid_token');
      expect(info.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
      expectOAuthError(
        await token(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, app),
        400,
        'invalid_grant',
      );
    });

    it('for an expired code', async () => {
      const { code, verifier } = await codeFor(t, app, cookie);
      await t.database.db.query("UPDATE oidc_codes SET expires_at = now() - interval '1 second'");
      expectOAuthError(await exchange(app, code, verifier), 400, 'invalid_grant');
    });

    it.each([
      ['a wrong code_verifier', { code_verifier: 'x'.repeat(43) }],
      ['no code_verifier', { code_verifier: '' }],
      ['another redirect_uri', { redirect_uri: `${CALLBACK}/other` }],
    ])('for %s (PKCE failure or mismatch)', async (_, change) => {
      const { code, verifier } = await codeFor(t, app, cookie);
      expectOAuthError(await exchange(app, code, verifier, change), 400, 'invalid_grant');
    });

    it("for another client's code, and for a code that never was", async () => {
      const { code, verifier } = await codeFor(t, spa, cookie);
      expectOAuthError(await exchange(app, code, verifier), 400, 'invalid_grant');
      expectOAuthError(await exchange(app, 'made-up', verifier), 400, 'invalid_grant');
    });

    it('for a code whose Gatehouse session has since ended', async () => {
      const fresh = await browserCookie(t);
      const { code, verifier } = await codeFor(t, app, fresh.cookie);
      await t.app.inject({
        method: 'POST',
        url: '/auth/logout',
        headers: { cookie: fresh.cookie, origin: 'http://localhost:80', host: 'localhost:80' },
      });
      expectOAuthError(await exchange(app, code, verifier), 400, 'invalid_grant');
    });
  });

  describe('refresh tokens', () => {
    it('rotate; a rotated one presented again revokes the grant, not the Gatehouse session', async () => {
      const { code, verifier } = await codeFor(t, app, cookie);
      const first = (await exchange(app, code, verifier)).json();
      const second = await token(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, app);
      expect(second.statusCode, second.body).toBe(200);
      const next = second.json();
      expect(next.refresh_token).not.toBe(first.refresh_token);
      expect(decodeJwt(next.id_token).nonce).toBeUndefined();
      expectOAuthError(
        await token(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, app),
        400,
        'invalid_grant',
      );
      expectOAuthError(
        await token(t, { grant_type: 'refresh_token', refresh_token: next.refresh_token }, app),
        400,
        'invalid_grant',
      );
      const sid = decodeJwt(first.id_token).sid as string;
      expect((await t.store.findSession(sid))?.endedAt).toBeNull();
    });

    it('refuses a wider scope (invalid_scope) and another client’s token (invalid_grant)', async () => {
      const { code, verifier } = await codeFor(t, app, cookie);
      const first = (await exchange(app, code, verifier)).json();
      expectOAuthError(
        await token(
          t,
          { grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'openid profile' },
          app,
        ),
        400,
        'invalid_scope',
      );
      expectOAuthError(
        await token(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, spa),
        400,
        'invalid_grant',
      );
    });
  });

  describe('malformed requests', () => {
    it('400 unsupported_grant_type, and invalid_request without grant_type or code', async () => {
      expectOAuthError(await token(t, { grant_type: 'password' }, app), 400, 'unsupported_grant_type');
      expectOAuthError(await token(t, {}, app), 400, 'invalid_request');
      expectOAuthError(await token(t, { grant_type: 'authorization_code' }, app), 400, 'invalid_request');
    });

    it('400 invalid_request for a JSON body', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/oidc/token',
        payload: { grant_type: 'authorization_code', client_id: spa.id },
      });
      expectOAuthError(res, 400, 'invalid_request');
    });

    it('400 invalid_request for credentials sent twice (HTTP Basic and the body)', async () => {
      expectOAuthError(
        await token(t, { grant_type: 'authorization_code', client_secret: 'x' }, app),
        400,
        'invalid_request',
      );
    });
  });

  it('leaves the API fast path alone: GET /auth/me with an API token or the cookie makes no database query', async () => {
    const who = await signedInUser(t);
    const db = t.database.db;
    const spies = [vi.spyOn(db, 'query'), vi.spyOn(db, 'exec'), vi.spyOn(db, 'transaction')];
    const calls = () => spies.reduce((n, spy) => n + spy.mock.calls.length, 0);
    try {
      const me = (headers: Record<string, string>) => t.app.inject({ url: '/auth/me', headers });
      // The spies do see the store's queries: a route that reads the database shows up.
      expect((await t.app.inject({ url: '/auth/sessions', headers: who.headers })).statusCode).toBe(200);
      expect(calls()).toBeGreaterThan(0);
      for (const spy of spies) spy.mockClear();

      const bearer = await me(who.headers);
      expect(bearer.statusCode, bearer.body).toBe(200);
      expect(bearer.json().session.id).toBe(who.session.id);
      const browser = await me({ cookie });
      expect(browser.statusCode, browser.body).toBe(200);
      expect(calls()).toBe(0);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('userinfo answers 401 invalid_token once the session is idle too long, before the sweeper ends it', async () => {
    const clock = appClock();
    clock.freeze();
    try {
      const browser = await browserCookie(t);
      const { code, verifier } = await codeFor(t, app, browser.cookie);
      const first = (await exchange(app, code, verifier)).json();
      const sid = decodeJwt(first.id_token).sid as string;
      const idleMs = t.ctx.settings.policy.idleTtl * 1000;
      // An application refreshing its tokens is not the person using the session: just before
      // the idle limit it still gets an access token, which outlives the limit.
      clock.advance(idleMs - 60_000);
      const refreshed = await token(
        t,
        { grant_type: 'refresh_token', refresh_token: first.refresh_token },
        app,
      );
      expect(refreshed.statusCode, refreshed.body).toBe(200);
      const { access_token, refresh_token } = refreshed.json();
      expect((await userinfo(access_token)).statusCode).toBe(200);

      clock.advance(120_000);
      expect(decodeJwt(access_token).exp! * 1000).toBeGreaterThan(Date.now());
      const res = await userinfo(access_token);
      expectOAuthError(res, 401, 'invalid_token');
      expect(res.json().error_description).toBe('The Gatehouse session has ended');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
      // The token endpoint decides the same, and neither wrote the ending: that is the sweeper's.
      expectOAuthError(
        await token(t, { grant_type: 'refresh_token', refresh_token }, app),
        400,
        'invalid_grant',
      );
      expect(await t.store.findSession(sid)).toMatchObject({ endedAt: null });
    } finally {
      vi.useRealTimers();
    }
  });

  it("userinfo refuses Gatehouse's own access token, and nothing at all", async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/account/login',
      headers: { origin: 'http://localhost:80', host: 'localhost:80' },
      payload: {},
    });
    expect(login.statusCode).toBe(422);
    const gatehouseToken = cookie
      .split('; ')
      .find((c) => c.startsWith('gatehouse_session='))!
      .split('=')[1]!;
    expectOAuthError(await userinfo(gatehouseToken), 401, 'invalid_token');
    const none = await t.app.inject({ url: '/oidc/userinfo' });
    expectOAuthError(none, 401, 'invalid_token');
  });

  it('is rate limited per address like the other credential endpoints (429 with Retry-After)', async () => {
    const limited = await startOidcApp(backend, { RATE_LIMITS: 'on', RATE_LIMIT_PER_IP: '2' });
    try {
      const send = () =>
        token(limited, { grant_type: 'authorization_code', code: 'x' }, { id: 'nobody', secret: 'x' });
      expect((await send()).statusCode).toBe(401);
      expect((await send()).statusCode).toBe(401);
      const res = await send();
      expect(res.statusCode).toBe(429);
      expect(res.json().code).toBe('RATE_LIMITED');
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
    } finally {
      await limited.close();
    }
  });
});
