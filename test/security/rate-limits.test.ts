import { randomInt, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { backoffDelayMs, LoginBackoff, MemoryFailureCounter } from '../../src/http/login-backoff.js';
import { type Backend, backends } from '../support/backends.js';
import {
  expectEnvelope,
  PASSWORD,
  register,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from '../support/harness.js';

const TEST_REDIS_URL = process.env.TEST_REDIS_URL || undefined;
/**
 * Two instances sharing counts through Redis. A count that times out goes uncounted (fail open,
 * tested above with Redis down); on a loaded machine the default 500 ms was too short for this
 * process's event loop, once for each test below, and the test counted one attempt too few.
 */
const SHARED_REDIS = { REDIS_URL: TEST_REDIS_URL as string, REDIS_COMMAND_TIMEOUT_MS: '10000' };
const pglite = backends[0] as Backend;

/** A client address of its own per call, so runs (and tests) never share a counter. */
const someAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

const attempt = (t: TestApp, email: string, password = 'not the password', from = someAddress()) =>
  t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password }, remoteAddress: from });

describe('rate limits on credential endpoints', () => {
  it('limits logins per account even though the per-address limit ran first', async () => {
    // @fastify/rate-limit's route hooks let only the first limiter count; both must.
    const t = await startTestApp(pglite, {
      RATE_LIMITS: 'on',
      RATE_LIMIT_PER_IP: '1000',
      RATE_LIMIT_PER_ACCOUNT: '3',
      LOGIN_BACKOFF_AFTER: '1000',
    });
    try {
      const email = uniqueEmail('limited');
      for (let i = 0; i < 3; i++) expect((await attempt(t, email)).statusCode).toBe(401);
      const limited = await attempt(t, email);
      expectEnvelope(limited, 'RATE_LIMITED', /retry in \d+ s/);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Another account, from the same addresses, is not affected.
      expect((await attempt(t, uniqueEmail('other'))).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('limits requests per client address across credential endpoints', async () => {
    const t = await startTestApp(pglite, { RATE_LIMITS: 'on', RATE_LIMIT_PER_IP: '3' });
    try {
      const from = someAddress();
      const refresh = () =>
        t.app.inject({
          method: 'POST',
          url: '/auth/refresh',
          payload: { refreshToken: 'x' },
          remoteAddress: from,
        });
      expect((await refresh()).statusCode).toBe(401);
      expect((await attempt(t, uniqueEmail(), undefined, from)).statusCode).toBe(401);
      expect((await refresh()).statusCode).toBe(401);
      expectEnvelope(await refresh(), 'RATE_LIMITED');
      expectEnvelope(await attempt(t, uniqueEmail(), undefined, from), 'RATE_LIMITED');
      expect((await attempt(t, uniqueEmail())).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});

describe('backoff after failed logins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(pglite, {
      RATE_LIMITS: 'on',
      RATE_LIMIT_PER_IP: '1000',
      RATE_LIMIT_PER_ACCOUNT: '1000',
      LOGIN_BACKOFF_AFTER: '2',
      LOGIN_BACKOFF_MAX: '2',
    });
  });
  afterAll(() => t?.close());

  it('makes the next attempt wait after repeated failures, even with the right password', async () => {
    const { email } = await register(t);
    expect((await attempt(t, email)).statusCode).toBe(401);
    expect((await attempt(t, email)).statusCode).toBe(401);
    const waiting = await attempt(t, email, PASSWORD);
    expectEnvelope(waiting, 'RATE_LIMITED', /failed logins for this account; retry in 1 s/);
    expect(waiting.headers['retry-after']).toBe('1');
  });

  it('lets the user in once the wait is over, and a success starts the count again', async () => {
    const { email } = await register(t);
    for (let i = 0; i < 2; i++) expect((await attempt(t, email)).statusCode).toBe(401);
    expect((await attempt(t, email, PASSWORD)).statusCode).toBe(429);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await attempt(t, email, PASSWORD)).statusCode).toBe(200);
    // Reset: two failures are free again.
    for (let i = 0; i < 2; i++) expect((await attempt(t, email)).statusCode).toBe(401);
    expect((await attempt(t, email)).statusCode).toBe(429);
  });

  it('never holds an account longer than the cap, however many failures', async () => {
    const { email } = await register(t);
    for (let i = 0; i < 2; i++) expect((await attempt(t, email)).statusCode).toBe(401);
    // Keep failing as soon as allowed: the waits grow 1 s, 2 s, then stay at the 2 s cap.
    for (const wait of [1, 2, 2]) {
      const refused = await attempt(t, email);
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(wait);
      await new Promise((r) => setTimeout(r, Number(refused.headers['retry-after']) * 1000 + 50));
      expect((await attempt(t, email)).statusCode).toBe(401);
    }
    const refused = await attempt(t, email);
    expect(refused.headers['retry-after']).toBe('2');
    await new Promise((r) => setTimeout(r, 2050));
    expect((await attempt(t, email, PASSWORD)).statusCode).toBe(200);
  }, 20_000);

  it('checks only one of 5 parallel attempts once a wait is over: the attempt is counted before the password is checked', async () => {
    const { email } = await register(t);
    for (let i = 0; i < 2; i++) expect((await attempt(t, email)).statusCode).toBe(401);
    await new Promise((r) => setTimeout(r, 1100));
    const answers = await Promise.all(Array.from({ length: 5 }, () => attempt(t, email)));
    const statuses = answers.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([401, 429, 429, 429, 429]);
  });

  it('checks at most the free failures of 5 parallel first attempts', async () => {
    const { email } = await register(t);
    const answers = await Promise.all(Array.from({ length: 5 }, () => attempt(t, email)));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([401, 401, 429, 429, 429]);
  });

  it('gives an attempt back when it ends in neither success nor failure (a refused new password)', async () => {
    const { email } = await register(t);
    const session = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email, password: PASSWORD },
    });
    const headers = { authorization: `Bearer ${session.json().accessToken}` };
    for (let i = 0; i < 3; i++) {
      const weak = await t.app.inject({
        method: 'POST',
        url: '/auth/password',
        headers,
        payload: { currentPassword: PASSWORD, newPassword: 'qwertyui' },
      });
      expect(weak.statusCode).toBe(422);
    }
    // Three 422s counted nothing: two wrong passwords are still free.
    for (let i = 0; i < 2; i++) expect((await attempt(t, email)).statusCode).toBe(401);
  });

  it('treats an email with no account exactly like one with an account (no enumeration)', async () => {
    const { email } = await register(t);
    const nobody = uniqueEmail('nobody');
    const seen = async (e: string) => {
      const out: [number, string | undefined][] = [];
      for (let i = 0; i < 4; i++) {
        const res = await attempt(t, e);
        out.push([res.statusCode, res.headers['retry-after'] as string | undefined]);
      }
      return out;
    };
    expect(await seen(nobody)).toEqual(await seen(email));
  });
});

describe('LoginBackoff (policy)', () => {
  it('doubles from one second after the free failures, up to the cap', () => {
    const policy = { after: 3, maxMs: 60_000 };
    expect([0, 1, 2, 3, 4, 5, 8, 9, 40].map((n) => backoffDelayMs(n, policy))).toEqual([
      0, 0, 0, 1000, 2000, 4000, 32_000, 60_000, 60_000,
    ]);
  });

  it('whatever the failures and successes, never asks to wait longer than the cap', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('fail' as const) }),
      fc.record({ kind: fc.constant('succeed' as const) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 400_000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1000, max: 300_000 }),
        fc.array(step, { maxLength: 60 }),
        async (after, maxMs, steps) => {
          let now = 1_000_000;
          const clock = () => now;
          const backoff = new LoginBackoff({ after, maxMs }, new MemoryFailureCounter(100, clock), clock);
          let lastFailure: number | null = null;
          for (const s of steps) {
            if (s.kind === 'wait') now += s.ms;
            else if (s.kind === 'succeed') {
              await backoff.succeeded('a@b.test');
              lastFailure = null;
            } else if ((await backoff.attempt('a@b.test')) === 0) {
              lastFailure = now; // let through, and counted as a failure (its password was wrong)
            }
            const wait = await backoff.waitMs('a@b.test');
            expect(wait).toBeGreaterThanOrEqual(0);
            expect(wait).toBeLessThanOrEqual(maxMs);
            if (lastFailure === null) expect(wait).toBe(0);
            else if (now >= lastFailure + maxMs) expect(wait).toBe(0);
          }
        },
      ),
      { numRuns: 300, seed: 20_260_103 },
    );
  });

  it('keeps its memory bounded: the least recently failed account is forgotten first', async () => {
    const counter = new MemoryFailureCounter(3);
    const policy = { after: 100, maxMs: 1000 };
    for (const key of ['a', 'b', 'c', 'a', 'd']) await counter.reserve(key, Date.now(), policy, 60_000);
    expect(counter.size).toBe(3);
    expect(await counter.read('b')).toBeNull();
    expect((await counter.read('a'))?.count).toBe(2);
  });
});

describe('REDIS_URL', () => {
  it('must be a redis:// or rediss:// URL', () => {
    for (const url of ['redis://127.0.0.1:6379', 'rediss://cache.internal:6380/2', 'redis://:secret@h'])
      expect(loadConfig({ REDIS_URL: url }).rateLimits.redisUrl).toBe(url);
    for (const url of ['http://127.0.0.1:6379', '127.0.0.1:6379', 'redis://', 'redis:///x']) {
      expect(() => loadConfig({ REDIS_URL: url })).toThrow(ConfigError);
      try {
        loadConfig({ REDIS_URL: url });
      } catch (err) {
        expect((err as ConfigError).problems.join('\n')).toMatch(
          /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/,
        );
      }
    }
  });

  it('keeps logins working when Redis cannot be reached (limits fall back to this instance)', async () => {
    const t = await startTestApp(pglite, {
      RATE_LIMITS: 'on',
      REDIS_URL: 'redis://127.0.0.1:1',
      LOGIN_BACKOFF_AFTER: '2',
    });
    try {
      const { email } = await register(t);
      expect((await attempt(t, email)).statusCode).toBe(401);
      expect((await attempt(t, email)).statusCode).toBe(401);
      expectEnvelope(await attempt(t, email, PASSWORD), 'RATE_LIMITED');
      expect((await attempt(t, uniqueEmail('other'))).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});

describe.runIf(TEST_REDIS_URL)('limits shared by two instances through Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const env = {
      RATE_LIMITS: 'on',
      ...SHARED_REDIS,
      RATE_LIMIT_PER_IP: '4',
      RATE_LIMIT_PER_ACCOUNT: '4',
      LOGIN_BACKOFF_AFTER: '1000',
    };
    [a, b] = await Promise.all([startTestApp(pglite, env), startTestApp(pglite, env)]);
  });
  afterAll(() => Promise.all([a?.close(), b?.close()]));

  it('counts one address across both instances', async () => {
    const from = someAddress();
    for (const t of [a, b, a, b])
      expect((await attempt(t, uniqueEmail(), undefined, from)).statusCode).toBe(401);
    expectEnvelope(await attempt(a, uniqueEmail(), undefined, from), 'RATE_LIMITED');
    expectEnvelope(await attempt(b, uniqueEmail(), undefined, from), 'RATE_LIMITED');
  });

  it('counts one account across both instances, from any address', async () => {
    const email = `${randomUUID()}@example.test`;
    for (const t of [a, b, b, a]) expect((await attempt(t, email)).statusCode).toBe(401);
    expectEnvelope(await attempt(b, email), 'RATE_LIMITED');
  });
});

describe.runIf(TEST_REDIS_URL)('login backoff shared by two instances through Redis', () => {
  it('makes an attempt on one instance wait for failures made on the other', async () => {
    const env = {
      RATE_LIMITS: 'on',
      ...SHARED_REDIS,
      RATE_LIMIT_PER_IP: '1000',
      RATE_LIMIT_PER_ACCOUNT: '1000',
      LOGIN_BACKOFF_AFTER: '2',
    };
    const [a, b] = await Promise.all([startTestApp(pglite, env), startTestApp(pglite, env)]);
    try {
      const email = `${randomUUID()}@example.test`;
      expect((await attempt(a, email)).statusCode).toBe(401);
      expect((await attempt(b, email)).statusCode).toBe(401);
      const refused = await attempt(a, email);
      expectEnvelope(refused, 'RATE_LIMITED', /failed logins/);
      expectEnvelope(await attempt(b, email), 'RATE_LIMITED', /failed logins/);
      // Once the wait is over, 5 parallel attempts spread over both instances: one is checked.
      await new Promise((r) => setTimeout(r, 1100));
      const answers = await Promise.all([a, b, a, b, a].map((t) => attempt(t, email)));
      expect(answers.map((r) => r.statusCode).sort()).toEqual([401, 429, 429, 429, 429]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
