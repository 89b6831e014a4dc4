import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RelyingParty, validateLogoutToken } from '../../examples/oidc-relying-party/app.js';
import { endSessionsAsAdmin } from '../../src/domain/admin.js';
import { endExpiredSessions } from '../../src/domain/expiry.js';
import { backends } from '../support/backends.js';
import { FetchBrowser } from '../support/fetch-browser.js';
import { PASSWORD, register, sessionState, uniqueEmail } from '../support/harness.js';
import {
  startProvider,
  startRegisteredApp,
  TEST_ACTOR,
  type TestProvider,
} from '../support/oidc-provider.js';

/**
 * Two relying parties built on openid-client (examples/oidc-relying-party/app.ts), A
 * confidential with RS256 ID tokens (the default) and B public with EdDSA, against Gatehouse
 * over real HTTP: single sign-on, the ID token's claims (each signature checked by
 * openid-client), RP-initiated logout, and back-channel logout for every kind of ending. The
 * same in Chromium is test/e2e/oidc.test.ts.
 */
describe.each(backends)('Gatehouse as the OpenID Provider of two openid-client apps ($name)', (backend) => {
  let p: TestProvider;
  let a: RelyingParty;
  let b: RelyingParty;

  beforeAll(async () => {
    p = await startProvider(backend);
    a = await startRegisteredApp(p, 'A', 'confidential');
    b = await startRegisteredApp(p, 'B', 'public', { idTokenAlg: 'EdDSA' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await p?.close();
  });

  /** A person with a browser signed in to Gatehouse, then to A and B (no second password). */
  async function signedInToBoth() {
    const email = uniqueEmail('oidc');
    await register(p.t, email);
    const browser = new FetchBrowser();
    await browser.signIn(p.issuer, email, PASSWORD);
    const atA = await browser.get(`${a.url}/login`);
    expect(atA.body).toContain(`A: signed in as ${email}`);
    const atB = await browser.get(`${b.url}/login`);
    expect(atB.body).toContain(`B: signed in as ${email}`);
    // Neither trip showed a sign-in page: straight from authorize to the callback.
    expect(browser.hops.some((h) => h.location?.startsWith('/account'))).toBe(false);
    const sessionA = [...a.sessions.values()].find((s) => s.claims.email === email)!;
    const sessionB = [...b.sessions.values()].find((s) => s.claims.email === email)!;
    return { email, browser, sessionA, sessionB };
  }

  const until = async (check: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('publishes discovery with back-channel logout and the existing JWKS', async () => {
    const res = await fetch(`${p.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(p.issuer);
    expect(doc.jwks_uri).toBe(`${p.issuer}/.well-known/jwks.json`);
    expect(doc.backchannel_logout_supported).toBe(true);
    expect(doc.backchannel_logout_session_supported).toBe(true);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    expect(doc.end_session_endpoint).toBe(`${p.issuer}/oidc/logout`);
    // OIDC Core §15.1: RS256 must be offered; it is the default, EdDSA the other choice.
    expect(doc.id_token_signing_alg_values_supported).toEqual(['RS256', 'EdDSA']);
    const jwks = (await (await fetch(`${p.issuer}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string; alg: string; kty: string; d?: string }[];
    };
    expect(jwks.keys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kid: p.t.ctx.keys.signingKeyFor('EdDSA').kid, alg: 'EdDSA', kty: 'OKP' }),
        expect.objectContaining({ kid: p.t.ctx.keys.signingKeyFor('RS256').kid, alg: 'RS256', kty: 'RSA' }),
      ]),
    );
    for (const k of jwks.keys) expect(k).not.toHaveProperty('d');
  });

  it('signs in to both apps with one Gatehouse session: the sid of both ID tokens', async () => {
    const { browser, sessionA, sessionB } = await signedInToBoth();
    const cookie = browser.jar.get('gatehouse_session')!;
    const gatehouseSid = decodeJwt(cookie).sid;
    // openid-client checked each signature (enableNonRepudiationChecks) against the JWKS.
    expect(decodeProtectedHeader(sessionA.idToken).alg).toBe('RS256');
    expect(decodeProtectedHeader(sessionB.idToken).alg).toBe('EdDSA');
    for (const s of [sessionA, sessionB]) {
      expect(s.sid).toBe(gatehouseSid);
      expect(s.claims.iss).toBe(p.issuer);
      expect(s.claims.amr).toEqual(['pwd']);
      expect(typeof s.claims.auth_time).toBe('number');
      expect(typeof s.claims.nonce).toBe('string');
    }
    expect(sessionA.claims.aud).not.toBe(sessionB.claims.aud);
  });

  it('RP-initiated logout from A ends the session; B gets a valid logout_token; A lands on its URI with state', async () => {
    const { browser, sessionA, sessionB } = await signedInToBoth();
    const before = { a: a.logoutTokens.length, b: b.logoutTokens.length };
    const out = await browser.get(`${a.url}/logout`);
    expect(out.url).toMatch(new RegExp(`^${a.url}/logged-out\\?state=`));
    expect(out.body).toContain('A: you have signed out');
    expect(a.loggedOutStates.at(-1)).toBe(new URL(out.url).searchParams.get('state'));
    expect(await sessionState(p.t, sessionA.sid)).toEqual({ ended: true, reason: 'logout' });
    // Each app's validateLogoutToken accepts only its own algorithm: RS256 at A, EdDSA at B.
    await until(() => b.logoutTokens.length > before.b && a.logoutTokens.length > before.a);
    expect(b.logoutTokens.at(-1)).toMatchObject({ sid: sessionB.sid, sub: sessionB.sub, repeat: false });
    expect([...b.sessions.values()].some((s) => s.sid === sessionB.sid)).toBe(false);
    // Gatehouse's own cookies went with it.
    expect(browser.jar.has('gatehouse_session')).toBe(false);
    const audit = await p.t.store.listAuditEvents({ userId: sessionA.sub, limit: 10 });
    expect(audit.find((e) => e.action === 'session.ended')?.details).toMatchObject({
      via: 'oidc_rp_initiated_logout',
    });
  });

  it('an admin ending the session sends a logout_token to both apps', async () => {
    const { sessionA, sessionB } = await signedInToBoth();
    await endSessionsAsAdmin(p.t.ctx, { sessionId: sessionA.sid }, TEST_ACTOR);
    await until(
      () =>
        ![...a.sessions.values()].some((s) => s.sid === sessionA.sid) &&
        ![...b.sessions.values()].some((s) => s.sid === sessionB.sid),
    );
    expect(a.logoutTokens.some((t) => t.sid === sessionA.sid)).toBe(true);
    expect(b.logoutTokens.some((t) => t.sid === sessionB.sid)).toBe(true);
  });

  it('expiry sends a logout_token to both apps', async () => {
    const { sessionA } = await signedInToBoth();
    // The session's end moved into the past, as time passing would; the sweeper then ends it.
    await p.t.database.db.query(
      "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1",
      [sessionA.sid],
    );
    await endExpiredSessions(p.t.ctx);
    expect(await sessionState(p.t, sessionA.sid)).toEqual({ ended: true, reason: 'expired' });
    await until(
      () =>
        a.logoutTokens.some((t) => t.sid === sessionA.sid) &&
        b.logoutTokens.some((t) => t.sid === sessionA.sid),
    );
  });

  it('userinfo and refresh work for a live session and stop when it ends', async () => {
    const { sessionA } = await signedInToBoth();
    // A third client, driven directly with openid-client, to hold the tokens in the test.
    const port = 1; // never contacted: the redirect is read, not followed
    const client = await p.addClient({ name: 'direct', redirectUris: [`http://127.0.0.1:${port}/cb`] });
    const config = await oidc.discovery(
      new URL(p.issuer),
      client.id,
      { client_secret: client.secret! },
      oidc.ClientSecretPost(client.secret!),
      { execute: [oidc.allowInsecureRequests] },
    );
    const browser = new FetchBrowser();
    const email = uniqueEmail('direct');
    await register(p.t, email);
    await browser.signIn(p.issuer, email, PASSWORD);
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `http://127.0.0.1:${port}/cb`,
      scope: 'openid email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 's1',
    });
    const res = await browser.request(url.href);
    expect(res.status).toBe(302);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(res.headers.get('location')!), {
      pkceCodeVerifier: verifier,
      expectedState: 's1',
    });
    const sub = tokens.claims()!.sub;
    expect(await oidc.fetchUserInfo(config, tokens.access_token, sub)).toMatchObject({ sub, email });
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()!.sid).toBe(tokens.claims()!.sid);
    // Gatehouse's API does not take this client's access token.
    const me = await fetch(`${p.issuer}/auth/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(me.status).toBe(401);

    await endSessionsAsAdmin(p.t.ctx, { sessionId: tokens.claims()!.sid as string }, TEST_ACTOR);
    await expect(oidc.fetchUserInfo(config, refreshed.access_token, sub)).rejects.toThrow();
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect(sessionA).toBeDefined();
  });

  describe("ID tokens in the client's algorithm, verified by openid-client", () => {
    const CALLBACK = 'http://127.0.0.1:1/cb'; // never contacted: the redirect is read, not followed

    /** openid-client expecting `expected` for a client registered with `registered`, and a code for it. */
    async function codeFlow(registered: 'RS256' | 'EdDSA', expected: 'RS256' | 'EdDSA') {
      const client = await p.addClient({
        name: `direct ${registered}`,
        redirectUris: [CALLBACK],
        idTokenSignedResponseAlg: registered,
      });
      const config = await oidc.discovery(
        new URL(p.issuer),
        client.id,
        { id_token_signed_response_alg: expected, client_secret: client.secret! },
        oidc.ClientSecretBasic(client.secret!),
        { execute: [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] },
      );
      const email = uniqueEmail('alg');
      await register(p.t, email);
      const browser = new FetchBrowser();
      await browser.signIn(p.issuer, email, PASSWORD);
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: 's',
        nonce,
      });
      const res = await browser.request(url.href);
      expect(res.status).toBe(302);
      const exchange = () =>
        oidc.authorizationCodeGrant(config, new URL(res.headers.get('location')!), {
          pkceCodeVerifier: verifier,
          expectedState: 's',
          expectedNonce: nonce,
          idTokenExpected: true,
        });
      return { client, config, exchange };
    }

    it.each(['RS256', 'EdDSA'] as const)(
      '%s: the code, refresh and logout tokens all verify',
      async (alg) => {
        const { client, config, exchange } = await codeFlow(alg, alg);
        const tokens = await exchange();
        expect(decodeProtectedHeader(tokens.id_token!)).toMatchObject({
          alg,
          kid: p.t.ctx.keys.signingKeyFor(alg).kid,
        });
        const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
        expect(decodeProtectedHeader(refreshed.id_token!).alg).toBe(alg);
        expect(refreshed.claims()!.sid).toBe(tokens.claims()!.sid);
        // The logout token is signed the same way (Back-Channel Logout 1.0 §2.4), and only that way.
        const jwks = createRemoteJWKSet(new URL(`${p.issuer}/.well-known/jwks.json`));
        const logout = await p.tokens.logoutToken({
          clientId: client.id,
          alg,
          userId: tokens.claims()!.sub,
          sessionId: tokens.claims()!.sid as string,
          jti: `j-${alg}`,
        });
        const check = (algorithm: 'RS256' | 'EdDSA') =>
          validateLogoutToken(logout, {
            issuer: p.issuer,
            clientId: client.id,
            algorithm,
            jwks,
            seen: new Set(),
          });
        expect(await check(alg)).toMatchObject({ sid: tokens.claims()!.sid, repeat: false });
        await expect(check(alg === 'RS256' ? 'EdDSA' : 'RS256')).rejects.toThrow();
      },
    );

    it.each([
      ['RS256', 'EdDSA'],
      ['EdDSA', 'RS256'],
    ] as const)(
      'a client registered for %s gets no %s ID token: openid-client expecting it refuses the answer',
      async (registered, expected) => {
        const { exchange } = await codeFlow(registered, expected);
        await expect(exchange()).rejects.toMatchObject({
          cause: {
            message: 'unexpected JWT "alg" header parameter',
            cause: { header: { alg: registered }, expected },
          },
        });
      },
    );
  });

  describe('the example as docs/oidc.md quotes it', () => {
    const source = readFileSync(new URL('../../examples/oidc-relying-party/app.ts', import.meta.url), 'utf8');
    const docs = readFileSync(new URL('../../docs/oidc.md', import.meta.url), 'utf8');

    /**
     * The statement of the example that starts on the line holding `marker`, through the line
     * that closes it (the first later line at its indentation holding only } or ); ), moved to
     * the left margin as the guide prints it.
     */
    function statement(marker: string): string {
      const lines = source.split('\n');
      const first = lines.findIndex((l) => l.includes(marker));
      expect(first, marker).toBeGreaterThanOrEqual(0);
      const indent = /^ */.exec(lines[first]!)![0].length;
      const last = lines.findIndex(
        (l, i) => i > first && /^ */.exec(l)![0].length === indent && /^[})]+;?$/.test(l.trim()),
      );
      expect(last, marker).toBeGreaterThan(first);
      return lines
        .slice(first, last + 1)
        .map((l) => l.slice(Math.min(indent, /^ */.exec(l)![0].length)))
        .join('\n');
    }

    it.each([
      ['the logout-token check', 'export async function validateLogoutToken'],
      ['discovery', 'const config = await oidc.discovery('],
      ['GET /login', "here.pathname === '/login'"],
      ['GET /callback', "here.pathname === '/callback'"],
      ['GET /logout', "here.pathname === '/logout'"],
    ])('%s, word for word', (_, marker) => {
      const quoted = statement(marker);
      expect(quoted.split('\n').length).toBeGreaterThan(5);
      expect(docs).toContain(`\`\`\`ts\n${quoted}\n\`\`\``);
    });
  });

  describe('the example’s logout-token check (docs/oidc.md)', () => {
    it('accepts what Gatehouse signs and refuses every token the spec says to refuse', async () => {
      const jwks = createRemoteJWKSet(new URL(`${p.issuer}/.well-known/jwks.json`));
      const opts = () => ({
        issuer: p.issuer,
        clientId: 'client-a',
        algorithm: 'EdDSA' as const,
        jwks,
        seen: new Set<string>(),
      });
      const good = { clientId: 'client-a', alg: 'EdDSA' as const, userId: 'u1', sessionId: 's1', jti: 'j1' };
      const ok = await p.tokens.logoutToken(good);
      expect(await validateLogoutToken(ok, opts())).toEqual({ sid: 's1', sub: 'u1', repeat: false });
      const o = opts();
      await validateLogoutToken(ok, o);
      expect((await validateLogoutToken(ok, o)).repeat).toBe(true);

      const { kid, key } = p.t.ctx.keys.signingKey;
      const EVENT = { 'http://schemas.openid.net/event/backchannel-logout': {} };
      const sign = (claims: Record<string, unknown>, typ = 'logout+jwt', iss = p.issuer, aud = 'client-a') =>
        new SignJWT({ sid: 's1', events: EVENT, ...claims })
          .setProtectedHeader({ alg: 'EdDSA', kid, typ })
          .setIssuer(iss)
          .setAudience(aud)
          .setIssuedAt()
          .setExpirationTime('2m')
          .setJti('j2')
          .sign(key);
      const refused = [
        await sign({ nonce: 'n' }),
        await sign({ events: {} }),
        await sign({ events: { 'http://schemas.openid.net/event/backchannel-logout': 'yes' } }),
        await sign({ sid: undefined }),
        await sign({}, 'JWT'),
        await sign({}, 'logout+jwt', 'https://another-issuer.example'),
        await sign({}, 'logout+jwt', p.issuer, 'client-b'),
        `${ok.slice(0, -6)}AAAAAA`,
        // Another algorithm than the client's, however well signed.
        await p.tokens.logoutToken({ ...good, alg: 'RS256' }),
      ];
      for (const token of refused) await expect(validateLogoutToken(token, opts())).rejects.toThrow();
      // Gatehouse's own tokens never carry a nonce, always exp.
      const claims = decodeJwt(ok);
      expect(claims).not.toHaveProperty('nonce');
      expect(claims.exp! - claims.iat!).toBe(120);
    });
  });
});
