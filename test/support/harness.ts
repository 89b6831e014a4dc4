import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { Context } from '../../src/domain/context.js';
import { ERRORS, type ErrorCode } from '../../src/domain/errors.js';
import type { App } from '../../src/http/routes.js';
import { openContext } from '../../src/setup.js';
import type { Store } from '../../src/storage/store.js';
import type { Backend, TestDatabase } from './backends.js';
import { WORKER_DIR_PREFIX } from './worker-dirs.js';

export interface TestApp {
  app: App;
  ctx: Context;
  store: Store;
  config: Config;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * Test defaults: quiet, no rate limits (the rate-limit tests turn them on), and a DATA_DIR
 * outside the repository, where background jobs without MAIL_URL would write their mail.
 */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    RATE_LIMITS: 'off',
    LOG_LEVEL: 'silent',
    // No collections forced in the test runner's own process (test/jobs/memory-trim.test.ts has its own).
    MEMORY_TRIM_IDLE_MS: '0',
    DATA_DIR: WORKER_DATA_DIR,
    ...env,
  });
}

const WORKER_DATA_DIR = join(tmpdir(), `${WORKER_DIR_PREFIX}${process.pid}`);
// The worker's DATA_DIR (mail its background jobs wrote) goes when the worker exits; a worker
// stopped by a signal never gets here, and the run's teardown removes its directory instead
// (global-setup.ts removeFinishedWorkersDirs).
process.once('exit', () => rmSync(WORKER_DATA_DIR, { recursive: true, force: true }));

/** An app on a private, migrated database of the given backend, driven with `inject`. */
export async function startTestApp(backend: Backend, env: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(env);
  const database = await backend.open();
  const { store, ctx } = await openContext(database.db, config);
  const app = await buildApp(ctx, config, { logger: false });
  await app.ready();
  return {
    app,
    ctx,
    store,
    config,
    database,
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}

let counter = 0;
/** A unique, valid email for this process. */
export const uniqueEmail = (prefix = 'user') => `${prefix}.${process.pid}.${++counter}@example.test`;
export const PASSWORD = 'correct horse battery staple';

export interface TokenBody {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  session: { id: string; createdAt: string; expiresAt: string };
  user: { id: string; email: string; name: string | null; roles: string[]; emailVerified: boolean };
}

export interface SignedIn extends TokenBody {
  headers: { authorization: string };
}

export async function register(t: TestApp, email = uniqueEmail(), password = PASSWORD, name?: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email, password, name },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().user as TokenBody['user'];
}

export async function login(
  t: TestApp,
  email: string,
  password = PASSWORD,
  userAgent = 'vitest',
): Promise<SignedIn> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { email, password },
    headers: { 'user-agent': userAgent },
  });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as TokenBody;
  return { ...body, headers: { authorization: `Bearer ${body.accessToken}` } };
}

/**
 * A browser session of the account page (POST /account/login, from its own origin): the session
 * cookie as a Cookie header. Unsafe requests made with it must also say they come from that
 * origin (Sec-Fetch-Site), as a browser does; `cookieHeaders` adds both.
 */
export async function browserSession(t: TestApp, email: string, password = PASSWORD): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/account/login',
    headers: { 'sec-fetch-site': 'same-origin' },
    payload: { email, password },
  });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = [res.headers['set-cookie'] ?? []]
    .flat()
    .find((c) => /^(__Host-)?gatehouse_session=/.test(c));
  expect(cookie).toBeDefined();
  return (cookie as string).split(';')[0] as string;
}

/** The headers of a request made with a browser session's cookie from `site` (Sec-Fetch-Site). */
export const cookieHeaders = (cookie: string, site: 'same-origin' | 'same-site' | 'cross-site') => ({
  cookie,
  'sec-fetch-site': site,
});

/** A new user with one session; `admin` grants the admin role before logging in. */
export async function signedInUser(t: TestApp, opts: { admin?: boolean } = {}): Promise<SignedIn> {
  const user = await register(t, uniqueEmail(opts.admin ? 'admin' : 'user'));
  if (opts.admin) await t.store.setRoles(user.id, ['user', 'admin']);
  return login(t, user.email);
}

/**
 * What an answer must never show (docs/api.md §1): Fastify's error codes, a stack frame, SQL
 * or a database's error text. Words, not letters: a random value in a body (an id, a token)
 * may hold "sql" or "Stack" by chance, and that is no leak.
 */
export const LEAKED_INTERNALS = /\bFST_|\bat .+\.(js|ts):\d+|\bSQL|relation "|\bstack/i;

/** Asserts docs/api.md §1's envelope: fixed message and code per status, a specific description. */
export function expectEnvelope(
  res: LightMyRequestResponse,
  code: ErrorCode,
  description?: string | RegExp,
): Record<string, unknown> {
  const spec = ERRORS[code];
  expect(res.statusCode, res.body).toBe(spec.status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json() as Record<string, unknown>;
  expect(body.message).toBe(spec.message);
  expect(body.code).toBe(code);
  expect(typeof body.description).toBe('string');
  expect((body.description as string).length).toBeGreaterThan(0);
  if (description !== undefined) expect(body.description).toMatch(description);
  // Nothing of a framework's or database's own error shape.
  expect(Object.keys(body).sort()).toEqual(
    body.details ? ['code', 'description', 'details', 'message'] : ['code', 'description', 'message'],
  );
  expect(res.body).not.toMatch(LEAKED_INTERNALS);
  if (spec.status === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
  return body;
}

/**
 * Asserts answers that must not tell their cases apart (no enumeration): the same status,
 * the same bytes, the same headers but for the request id and the date.
 */
export function expectSameAnswers(answers: readonly LightMyRequestResponse[]): void {
  const [first, ...rest] = answers as [LightMyRequestResponse, ...LightMyRequestResponse[]];
  const { 'x-request-id': _a, date: _b, ...firstHeaders } = first.headers;
  for (const res of rest) {
    expect(res.statusCode).toBe(first.statusCode);
    expect(res.body).toBe(first.body);
    const { 'x-request-id': _c, date: _d, ...headers } = res.headers;
    expect(headers).toEqual(firstHeaders);
  }
}

/** Ended-at and reason of a session, straight from the store. */
export async function sessionState(t: TestApp, id: string) {
  const s = await t.store.findSession(id);
  return s ? { ended: s.endedAt !== null, reason: s.endReason } : null;
}
