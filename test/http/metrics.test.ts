import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { signedInUser, startTestApp, type TestApp } from '../support/harness.js';

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backends[0] as (typeof backends)[0], {
      RATE_LIMITS: 'on',
      RATE_LIMIT_PER_IP: '5',
    });
  });
  afterAll(() => t.close());

  const scrape = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
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
