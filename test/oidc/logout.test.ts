import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OidcTokens } from '../../src/oidc/tokens.js';
import { backends } from '../support/backends.js';
import { sessionState, type TestApp } from '../support/harness.js';
import {
  browserCookie,
  CALLBACK,
  client,
  codeFor,
  expectOAuthError,
  ISSUER,
  LOGGED_OUT,
  startOidcApp,
  token,
} from '../support/oidc-inject.js';

/** RP-Initiated Logout (GET and POST /oidc/logout): which session ends, and where the browser goes. */
describe.each(backends)('RP-initiated logout on $name', (backend) => {
  let t: TestApp;
  let app: { id: string; secret: string | null };
  let other: { id: string; secret: string | null };

  beforeAll(async () => {
    t = await startOidcApp(backend);
    app = await client(t);
    other = await client(t, { name: 'other', postLogoutRedirectUris: ['https://other.example.test/bye'] });
  });
  afterAll(() => t.close());

  /** A browser signed in to `app`: its cookie, the ID token, and the Gatehouse session id. */
  async function signedIn() {
    const { cookie } = await browserCookie(t);
    const { code, verifier } = await codeFor(t, app, cookie);
    const tokens = (
      await token(
        t,
        { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier },
        app,
      )
    ).json();
    const sid = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url').toString()).sid as string;
    return { cookie, idToken: tokens.id_token as string, sid };
  }
  const logout = (params: Record<string, string>, cookie?: string) =>
    t.app.inject({ url: `/oidc/logout?${new URLSearchParams(params)}`, headers: cookie ? { cookie } : {} });

  it('ends the hinted session and returns to the registered URI with state; clears the browser’s cookies', async () => {
    const { cookie, idToken, sid } = await signedIn();
    const res = await logout(
      { id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: 'bye' },
      cookie,
    );
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${LOGGED_OUT}?state=bye`);
    expect(await sessionState(t, sid)).toEqual({ ended: true, reason: 'logout' });
    expect(String(res.headers['set-cookie'])).toMatch(/gatehouse_session=;.*Max-Age=0/);
    const audit = await t.store.listAuditEvents({ limit: 5 });
    expect(audit.find((e) => e.sessionIds.includes(sid))).toMatchObject({
      action: 'session.ended',
      reason: 'logout',
      details: { via: 'oidc_rp_initiated_logout', clientId: app.id },
    });
  });

  it('redirects once the ending is committed and its logout tokens queued, not once they are delivered', async () => {
    // No dispatcher runs in this app: nothing is ever delivered, and the redirect does not wait for it.
    const bc = await client(t, { name: 'bc', backchannelLogoutUri: 'https://bc.example.test/logout' });
    const peer = await client(t, { name: 'peer', backchannelLogoutUri: 'https://peer.example.test/logout' });
    const { cookie } = await browserCookie(t);
    await codeFor(t, peer, cookie);
    const { code, verifier } = await codeFor(t, bc, cookie);
    const exchanged = await token(
      t,
      { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier },
      bc,
    );
    const idToken = exchanged.json().id_token as string;
    const sid = decodeJwt(idToken).sid as string;
    const res = await logout({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: 's' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${LOGGED_OUT}?state=s`);
    expect(await sessionState(t, sid)).toEqual({ ended: true, reason: 'logout' });
    // Queued for both clients, the one that asked included, and not yet sent.
    const queued = await t.database.db.query<{ client_id: string; attempts: number; delivered: boolean }>(
      `SELECT client_id, attempts, delivered_at IS NOT NULL AS delivered FROM event_outbox
       WHERE client_id IS NOT NULL AND payload->>'sid' = $1`,
      [sid],
    );
    expect(queued.sort((x, y) => (x.client_id < y.client_id ? -1 : 1))).toEqual(
      [bc.id, peer.id].sort().map((id) => ({ client_id: id, attempts: 0, delivered: false })),
    );
  });

  it('works as a form POST too, and an expired ID token is still a good hint', async () => {
    const { sid } = await signedIn();
    const session = (await t.store.findSession(sid))!;
    // An ID token of this session that expires in a second, then has.
    const idToken = await new OidcTokens(ISSUER, t.ctx.keys, 30).idToken(
      {
        clientId: app.id,
        alg: 'RS256',
        userId: session.userId,
        sessionId: sid,
        authTime: session.authTime,
        authMethods: session.authMethods,
        nonce: null,
        claims: {},
      },
      new Date(0),
    );
    await new Promise((r) => setTimeout(r, 1100));
    expect(decodeJwt(idToken).exp! * 1000).toBeLessThan(Date.now());
    const res = await t.app.inject({
      method: 'POST',
      url: '/oidc/logout',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        id_token_hint: idToken,
        post_logout_redirect_uri: LOGGED_OUT,
      }).toString(),
    });
    expect(res.headers.location).toBe(LOGGED_OUT);
    expect((await sessionState(t, sid))?.ended).toBe(true);
  });

  describe('400 and no redirect, nothing ended', () => {
    it.each([
      [
        'an unregistered post_logout_redirect_uri',
        () => ({ post_logout_redirect_uri: 'https://evil.example.test/' }),
      ],
      [
        'a post-logout URI registered for another client',
        () => ({ post_logout_redirect_uri: 'https://other.example.test/bye' }),
      ],
      [
        'a post-logout URI that only starts like the registered one',
        () => ({ post_logout_redirect_uri: `${LOGGED_OUT}/x` }),
      ],
      ['a client_id that is not the hint’s', () => ({ client_id: other.id })],
      ['a hint that is not an ID token of ours', () => ({ id_token_hint: 'e30.e30.e30' })],
    ])('for %s', async (_, change) => {
      const { idToken, sid } = await signedIn();
      const res = await logout({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, ...change() });
      expectOAuthError(res, 400, 'invalid_request');
      expect(await sessionState(t, sid)).toEqual({ ended: false, reason: null });
    });

    it('for an id_token_hint from another issuer', async () => {
      const { sid } = await signedIn();
      const { privateKey } = await generateKeyPair('EdDSA');
      const foreign = await new SignJWT({ sid })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'theirs' })
        .setIssuer('https://another-issuer.example.test')
        .setAudience(app.id)
        .setSubject('someone')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      const res = await logout({ id_token_hint: foreign, post_logout_redirect_uri: LOGGED_OUT });
      expectOAuthError(res, 400, 'invalid_request');
      expect(res.json().error_description).toMatch(/another issuer/);
      expect(await sessionState(t, sid)).toEqual({ ended: false, reason: null });
    });

    it('for a hint that is our access token or logout token rather than an ID token', async () => {
      const { cookie } = await browserCookie(t);
      const { code, verifier } = await codeFor(t, app, cookie);
      const tokens = (
        await token(
          t,
          { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier },
          app,
        )
      ).json();
      const sid = decodeJwt(tokens.id_token).sid as string;
      const logoutToken = await new OidcTokens(ISSUER, t.ctx.keys, 30).logoutToken({
        clientId: app.id,
        alg: 'RS256',
        userId: decodeJwt(tokens.id_token).sub!,
        sessionId: sid,
        jti: 'j',
      });
      for (const hint of [tokens.access_token, logoutToken])
        expectOAuthError(await logout({ id_token_hint: hint }), 400, 'invalid_request');
      expect(await sessionState(t, sid)).toEqual({ ended: false, reason: null });
    });

    it('for a hint claiming our issuer but signed by another key', async () => {
      const { sid } = await signedIn();
      const { privateKey } = await generateKeyPair('EdDSA');
      const forged = await new SignJWT({ sid })
        .setProtectedHeader({ alg: 'EdDSA', kid: t.ctx.keys.signingKey.kid })
        .setIssuer(ISSUER)
        .setAudience(app.id)
        .setSubject('someone')
        .sign(privateKey);
      expectOAuthError(await logout({ id_token_hint: forged }), 400, 'invalid_request');
      expect(await sessionState(t, sid)).toEqual({ ended: false, reason: null });
    });

    it("for a hint whose header names the RSA key's kid with another algorithm than the key's", async () => {
      const { sid } = await signedIn();
      // Signed with the real Ed25519 key, but claiming the RS256 key: the key decides the algorithm.
      const confused = await new SignJWT({ sid })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: t.ctx.keys.signingKeyFor('RS256').kid })
        .setIssuer(ISSUER)
        .setAudience(app.id)
        .setSubject('someone')
        .sign(t.ctx.keys.signingKey.key);
      expectOAuthError(await logout({ id_token_hint: confused }), 400, 'invalid_request');
      expect(await sessionState(t, sid)).toEqual({ ended: false, reason: null });
    });
  });

  it('without an id_token_hint ends nothing and sends the browser to the account page', async () => {
    const { cookie, sid } = await signedIn();
    const res = await logout({ client_id: app.id, post_logout_redirect_uri: LOGGED_OUT, state: 's' }, cookie);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/account');
    expect(await sessionState(t, sid)).toEqual({ ended: false, reason: null });
  });

  it('a hint whose session already ended still returns to the registered URI', async () => {
    const { idToken } = await signedIn();
    await logout({ id_token_hint: idToken });
    const again = await logout({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: 'z' });
    expect(again.headers.location).toBe(`${LOGGED_OUT}?state=z`);
  });
});
