import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { PASSWORD, startTestApp, type TestApp } from '../support/harness.js';
import {
  authorize,
  browserCookie,
  CALLBACK,
  client,
  expectOAuthError,
  ISSUER,
  pkce,
  redirectedTo,
  startOidcApp,
} from '../support/oidc-inject.js';

/** The authorization endpoint: what is shown, what is redirected, and where (docs/api.md §9). */
describe.each(backends)('GET /oidc/authorize on $name', (backend) => {
  let t: TestApp;
  let confidential: { id: string; secret: string | null };
  let publicClient: { id: string; secret: string | null };
  const { challenge } = pkce();
  const valid = () => ({
    client_id: confidential.id,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'xyz',
  });
  const rows = async () =>
    Number((await t.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM oidc_codes'))[0]!.n);

  beforeAll(async () => {
    t = await startOidcApp(backend);
    confidential = await client(t);
    publicClient = await client(t, { type: 'public', name: 'spa' });
  });
  afterAll(() => t.close());

  describe('shown here, never redirected', () => {
    it.each([
      ['no client_id', { client_id: '' }],
      ['an unknown client', { client_id: 'nobody' }],
      ['no redirect_uri', { redirect_uri: '' }],
      ['a redirect_uri with a trailing slash', { redirect_uri: `${CALLBACK}/` }],
      ['a redirect_uri with another query', { redirect_uri: `${CALLBACK}?next=/` }],
      ['a redirect_uri in other case', { redirect_uri: CALLBACK.toUpperCase() }],
      ['a redirect_uri on another host', { redirect_uri: 'https://evil.example.test/callback' }],
      ['a redirect_uri that only starts like it', { redirect_uri: `${CALLBACK}.evil.example.test` }],
    ])('answers 400 invalid_request for %s', async (_, change) => {
      const before = await rows();
      const res = await authorize(t, { ...valid(), ...change });
      expectOAuthError(res, 400, 'invalid_request');
      expect(await rows()).toBe(before);
    });

    it.each([
      ['a parameter given twice', `&redirect_uri=${encodeURIComponent('https://evil.example.test/')}`],
      ['a value that is not printable ASCII (RFC 6749 Appendix A)', '&state=%C3%A9'],
    ])('answers 422 for %s, before reading any', async (_, extra) => {
      const res = await t.app.inject({ url: `/oidc/authorize?${new URLSearchParams(valid())}${extra}` });
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe('VALIDATION_ERROR');
      expect(res.headers.location).toBeUndefined();
    });

    it('answers 400 for a removed client', async () => {
      const gone = await client(t, { name: 'gone' });
      await t.store.removeOidcClient(gone.id);
      expectOAuthError(await authorize(t, { ...valid(), client_id: gone.id }), 400, 'invalid_request');
    });
  });

  describe('redirected to the registered URI with error, state and iss', () => {
    it.each([
      ['unsupported_response_type', { response_type: 'token' }],
      ['invalid_scope', { scope: 'profile email' }],
      ['invalid_request', { code_challenge_method: 'plain' }],
      ['invalid_request', { code_challenge_method: '' }],
      ['invalid_request', { code_challenge: 'too-short' }],
      ['invalid_request', { prompt: 'none login' }],
      ['invalid_request', { prompt: 'bogus' }],
      ['invalid_request', { max_age: '-1' }],
      ['invalid_request', { response_mode: 'fragment' }],
      ['request_not_supported', { request: 'eyJ.e30.' }],
      ['request_uri_not_supported', { request_uri: 'https://x.example/r' }],
    ])('%s for %j', async (error, change) => {
      const before = await rows();
      const res = await authorize(t, { ...valid(), ...change });
      const query = redirectedTo(res, CALLBACK);
      expect(query, String(res.headers.location)).not.toBeNull();
      expect(query!.get('error')).toBe(error);
      expect(query!.get('state')).toBe('xyz');
      expect(query!.get('iss')).toBe(ISSUER);
      expect(query!.has('code')).toBe(false);
      expect(await rows()).toBe(before);
    });

    it('refuses a public client without PKCE, and accepts a confidential one without it', async () => {
      const { code_challenge: _, code_challenge_method: __, ...noPkce } = valid();
      const res = await authorize(t, { ...noPkce, client_id: publicClient.id });
      expect(redirectedTo(res, CALLBACK)?.get('error')).toBe('invalid_request');
      const { cookie } = await browserCookie(t);
      const ok = await authorize(t, noPkce, cookie);
      expect(redirectedTo(ok, CALLBACK)?.get('code'), String(ok.headers.location)).toBeTruthy();
    });
  });

  describe('sign-in, single sign-on, prompt and max_age', () => {
    const interactionOf = (location: string) => new URL(location, ISSUER).searchParams.get('oidc')!;

    it('sends a browser without a session to the account page, and back with a code once signed in', async () => {
      const first = await authorize(t, valid());
      expect(first.statusCode).toBe(302);
      expect(first.headers.location).toMatch(/^\/account\?oidc=[\w.-]+$/);
      const { cookie } = await browserCookie(t);
      const resumed = await t.app.inject({
        url: `/oidc/authorize/resume?interaction=${interactionOf(first.headers.location as string)}`,
        headers: { cookie },
      });
      const query = redirectedTo(resumed, CALLBACK);
      expect(query?.get('code')).toMatch(/^[\w-]{43}$/);
      expect(query?.get('state')).toBe('xyz');
      expect(resumed.headers['cache-control']).toBe('no-store');
    });

    it('answers a signed-in browser at once (single sign-on)', async () => {
      const { cookie } = await browserCookie(t);
      expect(redirectedTo(await authorize(t, valid(), cookie), CALLBACK)?.get('code')).toBeTruthy();
    });

    it('prompt=none: through the page silently, then login_required when there is no session', async () => {
      const first = await authorize(t, { ...valid(), prompt: 'none' });
      expect(first.headers.location).toMatch(/&silent=1$/);
      const resumed = await t.app.inject({
        url: `/oidc/authorize/resume?interaction=${interactionOf(first.headers.location as string)}`,
      });
      expect(redirectedTo(resumed, CALLBACK)?.get('error')).toBe('login_required');
      const { cookie } = await browserCookie(t);
      expect(
        redirectedTo(await authorize(t, { ...valid(), prompt: 'none' }, cookie), CALLBACK)?.get('code'),
      ).toBeTruthy();
    });

    it.each([
      ['prompt=login', { prompt: 'login' }],
      ['max_age=0', { max_age: '0' }],
    ])(
      '%s asks a signed-in browser to sign in again, and a sign-in after the request satisfies it',
      async (_, change) => {
        const { cookie, email } = await browserCookie(t);
        const first = await authorize(t, { ...valid(), ...change }, cookie);
        expect(first.headers.location).toMatch(/^\/account\?oidc=[\w.-]+&login=1$/);
        const interaction = interactionOf(first.headers.location as string);
        // Coming back with the old sign-in is not enough.
        const stale = await t.app.inject({
          url: `/oidc/authorize/resume?interaction=${interaction}`,
          headers: { cookie },
        });
        expect(stale.headers.location).toMatch(/&login=1$/);
        await new Promise((r) => setTimeout(r, 5));
        const again = await t.app.inject({
          method: 'POST',
          url: '/account/login',
          headers: { origin: 'http://localhost:80', host: 'localhost:80' },
          payload: { email, password: PASSWORD },
        });
        const fresh = ([] as string[])
          .concat(again.headers['set-cookie'] ?? [])
          .map((c) => c.split(';')[0])
          .join('; ');
        const resumed = await t.app.inject({
          url: `/oidc/authorize/resume?interaction=${interaction}`,
          headers: { cookie: fresh },
        });
        expect(redirectedTo(resumed, CALLBACK)?.get('code')).toBeTruthy();
      },
    );

    it('max_age longer than the sign-in is old: a code at once', async () => {
      const { cookie } = await browserCookie(t);
      expect(
        redirectedTo(await authorize(t, { ...valid(), max_age: '3600' }, cookie), CALLBACK)?.get('code'),
      ).toBeTruthy();
    });

    it('refuses a forged or tampered interaction (400, no redirect)', async () => {
      const first = await authorize(t, valid());
      const interaction = interactionOf(first.headers.location as string);
      const tampered = `${interaction.slice(0, -4)}AAAA`;
      for (const value of [tampered, 'nonsense']) {
        const res = await t.app.inject({ url: `/oidc/authorize/resume?interaction=${value}` });
        expectOAuthError(res, 400, 'invalid_request');
      }
    });

    it('an ended session is no session: to the account page again', async () => {
      const { cookie } = await browserCookie(t);
      const logout = await t.app.inject({
        method: 'POST',
        url: '/auth/logout',
        headers: { cookie, origin: 'http://localhost:80', host: 'localhost:80' },
      });
      expect(logout.statusCode).toBe(200);
      expect((await authorize(t, valid(), cookie)).headers.location).toMatch(/^\/account\?oidc=/);
    });
  });

  it('takes the same request as a form POST (OIDC Core §3.1.2.1)', async () => {
    const { cookie } = await browserCookie(t);
    const post = (params: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/oidc/authorize',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(params).toString(),
      });
    const res = await post({ ...valid(), nonce: 'n', prompt: 'consent', max_age: '3600' });
    expect(redirectedTo(res, CALLBACK)?.get('code')).toBeTruthy();
    expectOAuthError(
      await post({ ...valid(), redirect_uri: 'https://evil.example.test/' }),
      400,
      'invalid_request',
    );
  });

  it('answers 404 on every OpenID route when OIDC_ISSUER is not set', async () => {
    const off = await startTestApp(backend);
    try {
      for (const url of [
        '/.well-known/openid-configuration',
        '/oidc/authorize',
        '/oidc/userinfo',
        '/oidc/logout',
      ]) {
        const res = await off.app.inject({ url });
        expect(res.statusCode, url).toBe(404);
        expect(res.json().code).toBe('NOT_FOUND');
      }
    } finally {
      await off.close();
    }
  });
});
