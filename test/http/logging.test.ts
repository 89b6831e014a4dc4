import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loggerOptions } from '../../src/app.js';
import type { App } from '../../src/http/routes.js';
import { openContext } from '../../src/setup.js';
import { type Backend, backends, type TestDatabase } from '../support/backends.js';
import { type TokenBody, testConfig, uniqueEmail } from '../support/harness.js';

const PASSWORD = 'log-test secret passphrase 1';
const NEW_PASSWORD = 'log-test secret passphrase 2';
const WRONG_PASSWORD = 'log-test wrong passphrase 3';

/** The real app logging everything (level trace) into memory, rate limits on as in production. */
async function startLoggedApp(backend: Backend) {
  const database: TestDatabase = await backend.open();
  const config = testConfig({ RATE_LIMITS: 'on', RATE_LIMIT_PER_IP: '1000', RATE_LIMIT_PER_ACCOUNT: '1000' });
  const ctx = (await openContext(database.db, config)).ctx;
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app: App = await buildApp(ctx, config, { logger: { ...(loggerOptions('trace') as object), stream } });
  // Stands for a careless future log line that includes a request body.
  app.post('/test/log-body', async (request) => {
    request.log.info({ body: request.body }, 'body seen');
    return { ok: true };
  });
  await app.ready();
  return {
    app,
    lines,
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}

describe.each(backends)('nothing secret is ever logged on $name', (backend) => {
  let s: Awaited<ReturnType<typeof startLoggedApp>>;
  const secrets: { label: string; value: string }[] = [];
  const secret = (label: string, value: string) => {
    secrets.push({ label, value });
    return value;
  };

  beforeAll(async () => {
    s = await startLoggedApp(backend);
    const { app } = s;
    const email = uniqueEmail('logging');
    secret('password', PASSWORD);
    secret('new password', NEW_PASSWORD);
    secret('wrong password', WRONG_PASSWORD);
    const ok = (res: { statusCode: number; body: string }, status = 200) =>
      expect(res.statusCode, res.body).toBe(status);

    ok(
      await app.inject({ method: 'POST', url: '/auth/register', payload: { email, password: PASSWORD } }),
      201,
    );
    // A weak password is refused with its reason, never its value.
    ok(
      await app.inject({
        method: 'POST',
        url: '/auth/register',
        payload: { email: uniqueEmail(), password: secret('weak password', 'Password123') },
      }),
      422,
    );
    ok(
      await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: WRONG_PASSWORD } }),
      401,
    );

    const first = (
      await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: PASSWORD } })
    ).json() as TokenBody;
    secret('access token', first.accessToken);
    secret('refresh token', first.refreshToken);
    secret('authorization header', `Bearer ${first.accessToken}`);
    // Also a token's signature alone, in case a line ever carries part of one.
    secret('access token signature', first.accessToken.split('.')[2] as string);

    const auth = { authorization: `Bearer ${first.accessToken}` };
    ok(await app.inject({ method: 'GET', url: '/auth/me', headers: auth }));
    ok(await app.inject({ method: 'GET', url: '/auth/sessions', headers: auth }));

    const rotated = (
      await app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: { refreshToken: first.refreshToken },
      })
    ).json() as TokenBody;
    secret('rotated access token', rotated.accessToken);
    secret('rotated refresh token', rotated.refreshToken);

    ok(
      await app.inject({
        method: 'POST',
        url: '/auth/password',
        headers: { authorization: `Bearer ${rotated.accessToken}` },
        payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      }),
    );
    ok(
      await app.inject({
        method: 'POST',
        url: '/auth/logout',
        headers: { authorization: `Bearer ${rotated.accessToken}` },
      }),
    );
    // Rejected uses of the tokens: ended session, reuse detection, a malformed header.
    ok(await app.inject({ method: 'GET', url: '/auth/me', headers: auth }), 401);
    ok(
      await app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: { refreshToken: first.refreshToken },
      }),
      401,
    );
    ok(
      await app.inject({
        method: 'GET',
        url: '/auth/me',
        headers: { authorization: `Bearer ${first.accessToken} trailing` },
      }),
      401,
    );

    const third = (
      await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: NEW_PASSWORD } })
    ).json() as TokenBody;
    secret('third refresh token', third.refreshToken);
    secret('third access token', third.accessToken);
    ok(await app.inject({ method: 'POST', url: '/auth/revoke', payload: { token: third.refreshToken } }));
    ok(await app.inject({ method: 'POST', url: '/auth/revoke', payload: { token: third.accessToken } }));

    // The account page: tokens travel in cookies.
    const browser = await app.inject({
      method: 'POST',
      url: '/account/login',
      payload: { email, password: NEW_PASSWORD },
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    ok(browser);
    const cookies = [browser.headers['set-cookie']].flat().map((c) => String(c).split(';')[0] as string);
    for (const c of cookies) secret(`cookie ${c.split('=')[0]}`, c.split('=')[1] as string);
    const cookieHeader = cookies.join('; ');
    ok(await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie: cookieHeader } }));
    ok(
      await app.inject({
        method: 'POST',
        url: '/account/refresh',
        headers: { cookie: cookieHeader, 'sec-fetch-site': 'same-origin' },
      }),
    );

    ok(
      await app.inject({
        method: 'POST',
        url: '/test/log-body',
        payload: {
          password: PASSWORD,
          currentPassword: PASSWORD,
          newPassword: NEW_PASSWORD,
          token: third.refreshToken,
          refreshToken: first.refreshToken,
          accessToken: first.accessToken,
        },
      }),
    );
  });
  afterAll(() => s.close());

  it('logged the requests at all (the check below is not vacuous)', () => {
    const entries = s.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const urls = entries.map((e) => (e.req as { url?: string } | undefined)?.url).filter(Boolean);
    for (const url of ['/auth/register', '/auth/login', '/auth/refresh', '/auth/logout', '/auth/revoke'])
      expect(urls).toContain(url);
    expect(entries.some((e) => e.level === 20 && e.msg === 'request rejected')).toBe(true);
    expect(secrets.length).toBeGreaterThan(12);
  });

  it('no log line contains a password, a token, a cookie or an Authorization header value', () => {
    for (const line of s.lines)
      for (const { label, value } of secrets)
        expect(line.includes(value), `${label} in: ${line}`).toBe(false);
  });

  it('redacts secret fields should a log line ever include a body', () => {
    const line = s.lines.find((l) => l.includes('"body seen"'));
    expect(line).toBeDefined();
    const { body } = JSON.parse(line as string) as { body: Record<string, string> };
    expect(body).toEqual({
      password: '[redacted]',
      currentPassword: '[redacted]',
      newPassword: '[redacted]',
      token: '[redacted]',
      refreshToken: '[redacted]',
      accessToken: '[redacted]',
    });
  });
});
