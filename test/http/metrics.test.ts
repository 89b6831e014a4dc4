import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../../src/config.js';
import { buildMetricsApp } from '../../src/http/metrics.js';
import { backends } from '../support/backends.js';
import { expectEnvelope, signedInUser, startTestApp, type TestApp } from '../support/harness.js';

const TOKEN = 'metrics-token-0123456789';
const pglite = backends[0] as (typeof backends)[0];

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(pglite, {
      RATE_LIMITS: 'on',
      RATE_LIMIT_PER_IP: '5',
      METRICS_TOKEN: TOKEN,
    });
  });
  afterAll(() => t.close());

  const scrape = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return res.body;
  };
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  it('counts logins, logouts by scope, sessions ended by reason, and 429s by route', async () => {
    const a = await signedInUser(t);
    const b = await signedInUser(t);
    await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: a.user.email, password: 'wrong password x' },
    });
    await t.app.inject({ method: 'POST', url: '/auth/logout', headers: a.headers });
    await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: b.headers,
      payload: { scope: 'all' },
    });
    for (let i = 0; i < 6; i++)
      await t.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: { refreshToken: 'x' },
        remoteAddress: '10.9.9.9',
      });

    const text = await scrape();
    expect(value(text, 'gatehouse_logins_total{result="success"}')).toBe(2);
    expect(value(text, 'gatehouse_logins_total{result="failure"}')).toBe(1);
    expect(value(text, 'gatehouse_logouts_total{scope="current"}')).toBe(1);
    expect(value(text, 'gatehouse_logouts_total{scope="all"}')).toBe(1);
    expect(value(text, 'gatehouse_sessions_ended_total{reason="logout"}')).toBe(1);
    expect(value(text, 'gatehouse_sessions_ended_total{reason="logout_all"}')).toBe(1);
    expect(value(text, 'gatehouse_rate_limited_total{route="/auth/refresh"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'gatehouse_revocation_list_size')).toBe(2);
    expect(
      value(
        text,
        'gatehouse_http_request_duration_seconds_count{method="POST",route="/auth/logout",status="200"}',
      ),
    ).toBe(2);
    expect(text).toMatch(/^gatehouse_process_cpu_user_seconds_total /m);
  });

  it('times every route by its pattern: those declared before the metrics and after, and HEAD', async () => {
    const count = (text: string, method: string, route: string, status: number) =>
      value(
        text,
        `gatehouse_http_request_duration_seconds_count{method="${method}",route="${route}",status="${status}"}`,
      );
    const requests = [
      ['GET', '/openapi.json'], // the API document's route, declared before the metrics' plugin
      ['GET', '/.well-known/jwks.json'],
      ['GET', '/health'],
      ['HEAD', '/health'],
    ] as const;
    const before = await scrape();
    for (const [method, url] of requests) expect((await t.app.inject({ method, url })).statusCode).toBe(200);
    const after = await scrape();
    for (const [method, route] of requests)
      expect(count(after, method, route, 200) - count(before, method, route, 200)).toBe(1);
  });

  it('labels unknown URLs as one series, not one per URL', async () => {
    await t.app.inject({ method: 'GET', url: '/no/such/route/123' });
    await t.app.inject({ method: 'GET', url: '/no/such/route/456' });
    const text = await scrape();
    expect(text).not.toContain('/no/such/route');
    expect(
      value(
        text,
        'gatehouse_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}',
      ),
    ).toBe(2);
  });
});

describe('who may read /metrics', () => {
  it('asks for METRICS_TOKEN as a bearer token, and refuses anything else with 401', async () => {
    const t = await startTestApp(pglite, { METRICS_TOKEN: TOKEN });
    try {
      for (const authorization of [
        undefined,
        'Bearer wrong-token-0123456789',
        `Bearer ${TOKEN}x`,
        TOKEN,
        `Basic ${TOKEN}`,
      ]) {
        const res = await t.app.inject({
          method: 'GET',
          url: '/metrics',
          headers: authorization === undefined ? {} : { authorization },
        });
        expectEnvelope(res, 'UNAUTHORIZED', 'The metrics token is missing or wrong');
        expect(res.body).not.toContain('gatehouse_');
      }
      const ok = await t.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('gatehouse_logins_total');
    } finally {
      await t.close();
    }
  });

  it('is not served on the API port without METRICS_TOKEN or METRICS_PORT', async () => {
    const t = await startTestApp(pglite);
    try {
      expectEnvelope(await t.app.inject({ method: 'GET', url: '/metrics' }), 'NOT_FOUND');
    } finally {
      await t.close();
    }
  });

  it('with METRICS_PORT, is served on its own listener only (and still asks for the token if set)', async () => {
    const t = await startTestApp(pglite, { METRICS_PORT: '9999', METRICS_TOKEN: TOKEN });
    const metricsApp = await buildMetricsApp(t.ctx, t.config.metrics);
    try {
      expectEnvelope(
        await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } }),
        'NOT_FOUND',
      );
      await metricsApp.listen({ host: '127.0.0.1', port: 0 });
      const { port } = metricsApp.server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}`;
      const refused = await fetch(`${url}/metrics`);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ code: 'UNAUTHORIZED' });
      const ok = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('gatehouse_http_request_duration_seconds');
      const other = await fetch(`${url}/auth/me`);
      expect(other.status).toBe(404);
      expect(await other.json()).toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await metricsApp.close();
      await t.close();
    }
  });

  it('validates METRICS_TOKEN, METRICS_PORT and METRICS_HOST, naming each', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ METRICS_TOKEN: 'short' })).toEqual([
      expect.stringMatching(/^METRICS_TOKEN must be 16/),
    ]);
    expect(problems({ METRICS_TOKEN: 'has a space in it 0123' })).toEqual([
      expect.stringMatching(/^METRICS_TOKEN/),
    ]);
    expect(problems({ METRICS_PORT: '3000' })).toEqual(['METRICS_PORT must differ from PORT']);
    expect(problems({ METRICS_PORT: 'x' })).toEqual([
      expect.stringMatching(/^METRICS_PORT must be a whole number/),
    ]);
    expect(problems({ METRICS_HOST: '0.0.0.0' })).toEqual(['METRICS_HOST needs METRICS_PORT']);
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({
      token: undefined,
      listen: { host: '127.0.0.1', port: 9464 },
    });
  });
});
