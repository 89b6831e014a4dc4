import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { addClient, type NewClientInput } from '../../src/oidc/clients.js';
import type { Backend } from './backends.js';
import { PASSWORD, register, startTestApp, type TestApp, uniqueEmail } from './harness.js';
import { TEST_ACTOR } from './oidc-provider.js';

/**
 * The OpenID Provider driven through `inject` (no listening socket): for the protocol's
 * negative cases, where every answer is read hop by hop. The issuer is an address nothing
 * listens on; nothing here fetches it.
 */
export const ISSUER = 'http://127.0.0.1:9';
export const CALLBACK = 'https://app.example.test/callback';
export const LOGGED_OUT = 'https://app.example.test/logged-out';

export function startOidcApp(backend: Backend, env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp(backend, { OIDC_ISSUER: ISSUER, ...env });
}

export async function client(
  t: TestApp,
  input: Partial<NewClientInput> = {},
): Promise<{ id: string; secret: string | null }> {
  const { client: c, secret } = await addClient(
    t.ctx,
    {
      name: 'app',
      type: 'confidential',
      redirectUris: [CALLBACK],
      postLogoutRedirectUris: [LOGGED_OUT],
      ...input,
    },
    TEST_ACTOR,
  );
  return { id: c.id, secret };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Headers of a request from the account page's own origin (its sign-in routes require one). */
export const SAME_ORIGIN = { origin: 'http://localhost:80', host: 'localhost:80' };

/** The Cookie header a browser would send after a sign-in answered `res`. */
export function cookieHeader(res: LightMyRequestResponse): string {
  expect(res.statusCode, res.body).toBe(200);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  expect(cookies.length, res.body).toBeGreaterThan(0);
  return cookies.map((c) => c.split(';')[0]).join('; ');
}

/** A new user signed in on the account page: the Cookie header a browser would send. */
export async function browserCookie(t: TestApp): Promise<{ cookie: string; email: string }> {
  const email = uniqueEmail('oidc');
  await register(t, email);
  const res = await t.app.inject({
    method: 'POST',
    url: '/account/login',
    headers: SAME_ORIGIN,
    payload: { email, password: PASSWORD },
  });
  return { cookie: cookieHeader(res), email };
}

export const authorizeUrl = (params: Record<string, string>) =>
  `/oidc/authorize?${new URLSearchParams(params).toString()}`;

export function authorize(t: TestApp, params: Record<string, string>, cookie?: string) {
  return t.app.inject({ method: 'GET', url: authorizeUrl(params), headers: cookie ? { cookie } : {} });
}

/** The query of a redirect to the client, or null when the answer was not such a redirect. */
export function redirectedTo(res: LightMyRequestResponse, base: string): URLSearchParams | null {
  const location = res.headers.location;
  if (res.statusCode !== 302 || typeof location !== 'string' || !location.startsWith(`${base}?`)) return null;
  return new URL(location).searchParams;
}

/** A code for the client, through a signed-in browser. */
export async function codeFor(
  t: TestApp,
  c: { id: string },
  cookie: string,
  extra: Record<string, string> = {},
): Promise<{ code: string; verifier: string; res: LightMyRequestResponse }> {
  const { verifier, challenge } = pkce();
  const res = await authorize(
    t,
    {
      client_id: c.id,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid email',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'st',
      nonce: 'n',
      ...extra,
    },
    cookie,
  );
  const query = redirectedTo(res, CALLBACK);
  expect(query?.get('code'), res.headers.location as string).toBeTruthy();
  return { code: query!.get('code')!, verifier, res };
}

export function token(
  t: TestApp,
  body: Record<string, string>,
  c?: { id: string; secret: string | null },
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (c?.secret) headers.authorization = `Basic ${Buffer.from(`${c.id}:${c.secret}`).toString('base64')}`;
  const form = c && !c.secret ? { client_id: c.id, ...body } : body;
  return t.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers,
    payload: new URLSearchParams(form).toString(),
  });
}

/** Asserts an OAuth error answer: its status, `error`, and the envelope beside it. */
export function expectOAuthError(res: LightMyRequestResponse, status: 400 | 401, error: string): void {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers.location).toBeUndefined();
  const body = res.json() as Record<string, unknown>;
  expect(body.error).toBe(error);
  expect(typeof body.error_description).toBe('string');
  expect(body.code).toBe(status === 401 ? 'UNAUTHORIZED' : 'INVALID_INPUT');
  expect(body.message).toBe(status === 401 ? 'Unauthorized' : 'Invalid input data');
  expect(res.headers['cache-control']).toBe('no-store');
}
