import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loggerOptions } from '../../src/app.js';
import { AppError } from '../../src/domain/errors.js';
import { toAppError } from '../../src/http/errors.js';
import type { App } from '../../src/http/routes.js';
import { openContext } from '../../src/setup.js';
import { DatabaseUnavailableError } from '../../src/storage/db.js';
import { type Backend, backends } from '../support/backends.js';
import {
  expectEnvelope,
  LEAKED_INTERNALS,
  PASSWORD,
  signedInUser,
  startTestApp,
  type TestApp,
  testConfig,
  uniqueEmail,
} from '../support/harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What every error answer carries besides the envelope. */
function expectErrorHeaders(res: LightMyRequestResponse) {
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['x-request-id']).toMatch(UUID);
}

const SECRET_CAUSE = 'relation "users" does not exist: SELECT password_hash FROM users';

/**
 * The real app, plus routes that fail the ways only a bug or an outage can, registered before
 * `ready()` (startTestApp has already called it); its log lines are collected in `logs`.
 */
async function startFailingApp(backend: Backend) {
  const database = await backend.open();
  const config = testConfig();
  const ctx = (await openContext(database.db, config)).ctx;
  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = { ...(loggerOptions('info') as object), stream };
  const app: App = await buildApp(ctx, config, { logger });
  app.get('/test/throws', () => {
    throw new Error(SECRET_CAUSE);
  });
  app.get('/test/rejects', async () => {
    await Promise.resolve();
    throw new TypeError(SECRET_CAUSE);
  });
  app.get('/test/throws-a-string', () => {
    throw SECRET_CAUSE;
  });
  app.get('/test/database-down', async () => {
    throw new DatabaseUnavailableError('database unavailable', { cause: new Error(SECRET_CAUSE) });
  });
  await app.ready();
  return {
    app,
    logs,
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}

describe.each(backends)('error answers on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { BODY_LIMIT: '1024' });
  });
  afterAll(() => t.close());

  describe('404: unknown routes answer in the envelope', () => {
    it.each([
      ['GET', '/nope', /No route for GET \/nope$/],
      ['POST', '/auth/nope', /No route for POST \/auth\/nope$/],
      ['DELETE', '/auth/logout', /No route for DELETE \/auth\/logout$/],
      ['GET', '/auth/login', /No route for GET \/auth\/login$/],
    ] as const)('for %s %s', async (method, url, description) => {
      const res = await t.app.inject({ method, url });
      expectEnvelope(res, 'NOT_FOUND', description);
      expectErrorHeaders(res);
    });

    it('does not echo the query string', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/nope?token=secret-value' });
      expectEnvelope(res, 'NOT_FOUND', /No route for GET \/nope$/);
      expect(res.body).not.toContain('secret-value');
    });

    it('for a POST with a body to an unknown route', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/nope', payload: { a: 1 } });
      expectEnvelope(res, 'NOT_FOUND');
    });
  });

  describe('400: errors raised before routing answer in the envelope', () => {
    it.each([
      ['GET', '/auth/%E0%A4%A'],
      ['GET', '/%'],
      ['GET', '/%c0%af'],
      ['GET', '/health%zz'],
      ['GET', '/auth/me%ff'],
      ['POST', '/auth/logout%ed%a0%80'],
      ['GET', '/auth/%E0%A4%A?access_token=x'],
      ['HEAD', '/%'],
    ] as const)('for %s %s (a bad percent-encoding, or bytes that are not UTF-8)', async (method, url) => {
      const res = await t.app.inject({ method, url });
      if (method === 'HEAD') expect(res.statusCode).toBe(400);
      else expectEnvelope(res, 'INVALID_INPUT', /The URL is not valid/);
      expectErrorHeaders(res);
      // No hook runs for such a request: the headers every response carries are still there.
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    });
  });

  describe('413: a body over BODY_LIMIT', () => {
    it('answers PAYLOAD_TOO_LARGE and creates nothing', async () => {
      const email = uniqueEmail();
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/register',
        payload: { email, password: PASSWORD, name: 'x'.repeat(2000) },
      });
      expectEnvelope(res, 'PAYLOAD_TOO_LARGE', /size limit/);
      expectErrorHeaders(res);
      expect(await t.store.findUserByEmail(email)).toBeNull();
    });

    it('answers 413 on logout too, ending nothing', async () => {
      const a = await signedInUser(t);
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/logout',
        headers: a.headers,
        payload: { scope: 'all', padding: 'x'.repeat(2000) },
      });
      expectEnvelope(res, 'PAYLOAD_TOO_LARGE');
      expect((await t.store.findSession(a.session.id))?.endedAt).toBeNull();
    });

    it('accepts a body just under the limit', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/register',
        payload: { email: uniqueEmail(), password: PASSWORD, name: 'x'.repeat(200) },
      });
      expect(res.statusCode, res.body).toBe(201);
    });
  });

  describe('400: a body that is not JSON', () => {
    it.each([
      ['application/xml', '<email>x@example.test</email>'],
      ['text/plain', '{"email":"x@example.test"}'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--',
      ],
      ['application/x-www-form-urlencoded', 'email=x%40example.test'],
    ])('for Content-Type %s', async (contentType, payload) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload,
        headers: { 'content-type': contentType },
      });
      expectEnvelope(res, 'INVALID_INPUT', /must be JSON/);
      expectErrorHeaders(res);
    });

    it('accepts application/json with a charset', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/register',
        payload: JSON.stringify({ email: uniqueEmail(), password: PASSWORD }),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(res.statusCode, res.body).toBe(201);
    });

    it('refuses a prototype-poisoning body without a framework error shape', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: '{"email":"x@example.test","password":"p","__proto__":{"admin":true}}',
        headers: { 'content-type': 'application/json' },
      });
      expectEnvelope(res, 'INVALID_INPUT');
    });
  });

  describe('every error answer', () => {
    const json = { 'content-type': 'application/json' };
    const cases: [string, () => Promise<LightMyRequestResponse>][] = [
      ['400', () => t.app.inject({ method: 'POST', url: '/auth/login', payload: '{', headers: json })],
      ['401', () => t.app.inject({ method: 'GET', url: '/auth/me' })],
      ['404', () => t.app.inject({ method: 'GET', url: '/nope' })],
      [
        '409',
        async () => {
          const a = await signedInUser(t);
          return t.app.inject({
            method: 'POST',
            url: '/auth/register',
            payload: { email: a.user.email, password: PASSWORD },
          });
        },
      ],
      ['413', () => t.app.inject({ method: 'POST', url: '/auth/login', payload: { p: 'x'.repeat(2000) } })],
      ['422', () => t.app.inject({ method: 'POST', url: '/auth/login', payload: {} })],
    ];

    it.each(cases)('(%s) has Cache-Control: no-store and an X-Request-Id', async (status, send) => {
      const res = await send();
      expect(String(res.statusCode)).toBe(status);
      expectErrorHeaders(res);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).not.toMatch(LEAKED_INTERNALS);
      expect(res.body).not.toMatch(/statusCode/i);
    });

    it('gets a request id of its own', async () => {
      const ids = new Set<unknown>();
      for (let i = 0; i < 5; i++)
        ids.add((await t.app.inject({ method: 'GET', url: '/nope' })).headers['x-request-id']);
      expect(ids.size).toBe(5);
    });

    it('(401) sends WWW-Authenticate with error="invalid_token" (RFC 6750)', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/auth/me',
        headers: { authorization: 'Bearer x' },
      });
      expectEnvelope(res, 'UNAUTHORIZED');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="gatehouse", error="invalid_token"');
    });

    it('other than 401 sends no WWW-Authenticate', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/nope' });
      expect(res.headers['www-authenticate']).toBeUndefined();
    });
  });
});

describe.each(backends)('500 and 503 from failures inside a route on $name', (backend) => {
  let f: Awaited<ReturnType<typeof startFailingApp>>;
  beforeAll(async () => {
    f = await startFailingApp(backend);
  });
  afterAll(() => f.close());

  it.each([
    ['a thrown Error', '/test/throws'],
    ['a rejected promise', '/test/rejects'],
    ['a thrown non-Error', '/test/throws-a-string'],
  ])('answers 500 for %s, naming the request id and never the cause', async (_label, url) => {
    const res = await f.app.inject({ method: 'GET', url });
    const body = expectEnvelope(res, 'INTERNAL_ERROR');
    expectErrorHeaders(res);
    const requestId = res.headers['x-request-id'] as string;
    expect(body.description).toBe(`An unexpected error occurred (request id ${requestId})`);
    expect(res.body).not.toContain('password_hash');
    expect(res.body).not.toContain('relation');
  });

  it('logs the cause of a 500 under its request id, for the operator', async () => {
    const res = await f.app.inject({ method: 'GET', url: '/test/throws' });
    const requestId = res.headers['x-request-id'];
    const line = f.logs.find((l) => l.reqId === requestId && l.msg === 'request failed');
    expect(line).toMatchObject({ level: 50, err: { message: SECRET_CAUSE } });
  });

  it('answers 503 with Retry-After when the database is unreachable, hiding the cause', async () => {
    const res = await f.app.inject({ method: 'GET', url: '/test/database-down' });
    expectEnvelope(res, 'SERVICE_UNAVAILABLE', /database is unreachable/);
    expectErrorHeaders(res);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).not.toContain('password_hash');
  });
});

describe('toAppError: the one mapping to the envelope', () => {
  it('passes an AppError through unchanged', () => {
    const err = new AppError('CONFLICT', 'Session already ended');
    expect(toAppError(err)).toBe(err);
  });

  it.each([
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'PAYLOAD_TOO_LARGE'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'INVALID_INPUT'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'INVALID_INPUT'],
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 'INVALID_INPUT'],
    ['FST_ERR_SOMETHING_NEW', 405, 'INVALID_INPUT'],
    ['FST_ERR_SOMETHING_NEW', 404, 'NOT_FOUND'],
    ['FST_ERR_SOMETHING_NEW', 429, 'RATE_LIMITED'],
    ['FST_ERR_SOMETHING_NEW', 500, 'INTERNAL_ERROR'],
  ])('maps Fastify %s (%i) to %s, dropping its text', (code, statusCode, expected) => {
    const err = Object.assign(new Error('framework text that must not leak'), { code, statusCode });
    const mapped = toAppError(err);
    expect(mapped.code).toBe(expected);
    expect(mapped.description).not.toContain('framework text');
  });

  it('maps a JSON SyntaxError to 400', () => {
    expect(toAppError(new SyntaxError('Unexpected token')).code).toBe('INVALID_INPUT');
  });

  it('maps an unknown error to INTERNAL_ERROR, keeping it only as the cause', () => {
    const cause = new Error(SECRET_CAUSE);
    const mapped = toAppError(cause);
    expect(mapped.code).toBe('INTERNAL_ERROR');
    expect(mapped.cause).toBe(cause);
    expect(mapped.description).not.toContain('relation');
  });

  it('maps schema validation to 422 with details, and a non-object body to 400', () => {
    const invalid = (params: Record<string, unknown>, keyword: string, instancePath = '') =>
      Object.assign(new Error('x'), {
        validation: [{ instancePath, keyword, params, message: 'must be string' }],
        validationContext: 'body',
      });
    expect(toAppError(invalid({ missingProperty: 'token' }, 'required'))).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ path: '/token', message: 'is required' }],
    });
    expect(toAppError(invalid({ type: 'string' }, 'type', '/token'))).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ path: '/token', message: 'must be string' }],
    });
    expect(toAppError(invalid({ type: 'object' }, 'type')).code).toBe('INVALID_INPUT');
  });
});
