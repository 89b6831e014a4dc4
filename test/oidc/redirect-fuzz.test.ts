import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import type { TestApp } from '../support/harness.js';
import {
  browserCookie,
  CALLBACK,
  client,
  codeFor,
  LOGGED_OUT,
  pkce,
  startOidcApp,
  token,
} from '../support/oidc-inject.js';

/**
 * No request, however formed, makes Gatehouse redirect a browser anywhere its operator did
 * not register: property-based over the authorization endpoint's redirect_uri (and everything
 * beside it) and the logout endpoint's post_logout_redirect_uri. A redirect goes to a URI
 * registered for the client the request names — with only the protocol's own parameters added
 * — or to the account page, on this origin; anything else is a failure.
 */
const RUNS = Number(process.env.FUZZ_RUNS || 300);
const SEED =
  process.env.FUZZ_SEED && process.env.FUZZ_SEED !== 'random' ? Number(process.env.FUZZ_SEED) : 20_261_130;

const OTHER_CALLBACK = 'https://other.example.test/cb?tenant=1';
const OTHER_LOGGED_OUT = 'https://other.example.test/bye';
const ADDED = ['code', 'state', 'error', 'error_description', 'iss'];

/** Variations on a registered URI that a careless matcher would accept. */
const near = (uri: string) =>
  fc.oneof(
    fc.constant(uri),
    fc.string({ maxLength: 12 }).map((s) => uri + s),
    fc.string({ maxLength: 12 }).map((s) => s + uri),
    fc.constantFrom(
      `${uri}/`,
      `${uri}#frag`,
      `${uri}?x=1`,
      `${uri}/../evil`,
      uri.toUpperCase(),
      uri.replace('https://', 'http://'),
      uri.replace('https://', 'https://evil.example.test@'),
      uri.replace('.example.test', '.example.test.evil.example'),
      uri.replace('/', '%2F'),
      encodeURIComponent(uri),
      `//${uri.slice(8)}`,
      'javascript:alert(1)',
      '/account',
    ),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
  );

/** The URI a Location header points to, without the parameters the protocol adds; null if it is not absolute. */
function withoutAdded(location: string, keep: string[] = []): string | null {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return null;
  }
  for (const name of ADDED) if (!keep.includes(name)) url.searchParams.delete(name);
  return url.href;
}

describe.each(backends.slice(0, 1))('redirects only ever go to registered URIs ($name)', (backend) => {
  let t: TestApp;
  let app: { id: string; secret: string | null };
  let other: { id: string; secret: string | null };
  let cookie: string;
  const registered = new Map<string, { redirect: string[]; postLogout: string[] }>();
  const hints: string[] = [];

  beforeAll(async () => {
    t = await startOidcApp(backend);
    app = await client(t);
    other = await client(t, {
      name: 'other',
      type: 'public',
      redirectUris: [OTHER_CALLBACK],
      postLogoutRedirectUris: [OTHER_LOGGED_OUT],
    });
    registered.set(app.id, { redirect: [CALLBACK], postLogout: [LOGGED_OUT] });
    registered.set(other.id, { redirect: [OTHER_CALLBACK], postLogout: [OTHER_LOGGED_OUT] });
    cookie = (await browserCookie(t)).cookie;
    // Real ID tokens to hint with (each of its own session, so ending one leaves the others).
    for (let i = 0; i < 4; i++) {
      const browser = await browserCookie(t);
      const { code, verifier } = await codeFor(t, app, browser.cookie);
      const res = await token(
        t,
        { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier },
        app,
      );
      hints.push(res.json().id_token);
    }
  });
  afterAll(() => t.close());

  const clientId = () => fc.constantFrom(app.id, other.id, 'unknown-client', '');

  it('the authorization endpoint (and its resume) never redirects to an unregistered redirect_uri', async () => {
    const { challenge } = pkce();
    let redirectsToClient = 0;
    await fc.assert(
      fc.asyncProperty(
        clientId(),
        fc.oneof(near(CALLBACK), near(OTHER_CALLBACK)),
        fc.record(
          {
            response_type: fc.constantFrom('code', 'token', 'code id_token', ''),
            scope: fc.constantFrom('openid', 'openid email', 'email', ''),
            code_challenge: fc.constantFrom(challenge, 'short', ''),
            code_challenge_method: fc.constantFrom('S256', 'plain', ''),
            prompt: fc.constantFrom('none', 'login', 'consent', 'none login', 'x', ''),
            max_age: fc.constantFrom('0', '60', '-1', 'x', ''),
            state: fc.string({ maxLength: 20 }),
            nonce: fc.string({ maxLength: 20 }),
          },
          { requiredKeys: [] },
        ),
        fc.boolean(),
        async (client_id, redirect_uri, rest, signedIn) => {
          const params = new URLSearchParams({ ...rest, client_id, redirect_uri });
          const res = await t.app.inject({
            url: `/oidc/authorize?${params}`,
            headers: signedIn ? { cookie } : {},
          });
          expect(res.statusCode).toBeLessThan(500);
          const location = res.headers.location as string | undefined;
          if (location === undefined) return;
          if (location.startsWith('/account?')) {
            expect(location).toMatch(/^\/account\?oidc=[\w.-]+(&login=1)?(&silent=1)?$/);
            // The way back, too: resume answers for the same request.
            const interaction = new URLSearchParams(location.slice('/account?'.length)).get('oidc');
            const resumed = await t.app.inject({
              url: `/oidc/authorize/resume?interaction=${interaction}`,
              headers: signedIn ? { cookie } : {},
            });
            const back = resumed.headers.location as string | undefined;
            if (back && !back.startsWith('/account?'))
              expect(registered.get(client_id)?.redirect).toContain(withoutAdded(back));
            return;
          }
          redirectsToClient++;
          // Exactly a URI registered for the client this request named.
          expect(registered.get(client_id)?.redirect ?? []).toContain(withoutAdded(location));
          expect(redirect_uri).toBe(withoutAdded(location));
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    // The property was tested on redirects, not only on refusals.
    expect(redirectsToClient).toBeGreaterThan(RUNS / 20);
  });

  it('the logout endpoint never redirects to an unregistered post_logout_redirect_uri', async () => {
    let redirectsToClient = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.option(clientId(), { nil: undefined }),
        fc.oneof(near(LOGGED_OUT), near(OTHER_LOGGED_OUT)),
        fc.option(
          fc.oneof(fc.constantFrom(...hints), fc.constant('e30.e30.e30'), fc.string({ maxLength: 40 })),
          {
            nil: undefined,
          },
        ),
        fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
        async (client_id, post_logout_redirect_uri, id_token_hint, state) => {
          const params = new URLSearchParams({ post_logout_redirect_uri });
          if (client_id !== undefined) params.set('client_id', client_id);
          if (id_token_hint !== undefined) params.set('id_token_hint', id_token_hint);
          if (state !== undefined) params.set('state', state);
          const res = await t.app.inject({ url: `/oidc/logout?${params}` });
          expect(res.statusCode).toBeLessThan(500);
          const location = res.headers.location as string | undefined;
          if (location === undefined || location === '/account') return;
          redirectsToClient++;
          const hinted = id_token_hint && hints.includes(id_token_hint) ? app.id : undefined;
          const allowed = registered.get(client_id || hinted || '')?.postLogout ?? [];
          const url = new URL(location);
          url.searchParams.delete('state');
          expect(allowed).toContain(url.href);
          expect(post_logout_redirect_uri).toBe(url.href);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    expect(redirectsToClient).toBeGreaterThan(0);
  });
});
