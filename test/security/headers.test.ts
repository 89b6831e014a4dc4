import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { signedInUser, startTestApp, type TestApp } from '../support/harness.js';

/** Security headers on every kind of response, and a /docs page that works under its CSP. */
describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backends[0] as (typeof backends)[0], {
      RATE_LIMITS: 'on',
      RATE_LIMIT_PER_IP: '3',
    });
  });
  afterAll(() => t?.close());

  /** OWASP's REST set, plus Cross-Origin-Resource-Policy; no header only a document can use. */
  const expectApiHeaders = (headers: Record<string, unknown>) => {
    expect(headers['content-security-policy']).toBe(
      "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
    );
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    // Plain HTTP: RFC 6797 §7.2 forbids HSTS here (over HTTPS: below).
    expect(headers['strict-transport-security']).toBeUndefined();
    expect(headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(headers['x-powered-by']).toBeUndefined();
    for (const name of DOCUMENT_ONLY) expect(headers[name], name).toBeUndefined();
  };

  const DOCUMENT_ONLY = ['referrer-policy', 'cross-origin-opener-policy', 'origin-agent-cluster'];

  /** An HTML page: the same, with the document's own headers and a CSP of its own. */
  const expectPageHeaders = (headers: Record<string, unknown>) => {
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['strict-transport-security']).toBeUndefined();
    expect(headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['origin-agent-cluster']).toBe('?1');
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(headers['content-security-policy']).toMatch(/script-src 'self'/);
  };

  it.each(['/account', '/docs/'])('are on the HTML page %s, with those of a document', async (url) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expectPageHeaders(res.headers);
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it.each([
    ['a 200', 'GET', '/health', undefined],
    ['a 401', 'GET', '/auth/me', undefined],
    ['a 404', 'GET', '/no/such/route', undefined],
    ['a 400 (malformed JSON)', 'POST', '/auth/logout', '{'],
    ['a 422', 'POST', '/auth/refresh', '{"refreshToken":1}'],
  ])('are on %s', async (_label, method, url, payload) => {
    const res = await t.app.inject({
      method: method as 'GET',
      url,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.1.0.1' },
      ...(payload ? { payload } : {}),
    });
    expectApiHeaders(res.headers);
  });

  it('are on a 200 carrying tokens and on a 429', async () => {
    const a = await signedInUser(t);
    const me = await t.app.inject({ method: 'GET', url: '/auth/me', headers: a.headers });
    expect(me.statusCode).toBe(200);
    expectApiHeaders(me.headers);
    // Account details: not cached; Pragma (deprecated, RFC 9111 §5.4) only on token responses.
    expect(me.headers['cache-control']).toBe('no-store');
    expect(me.headers.pragma).toBeUndefined();
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: a.refreshToken },
      remoteAddress: '10.3.0.1',
    });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.headers['cache-control']).toBe('no-store');
    expect(refreshed.headers.pragma).toBe('no-cache');
    let last = me;
    for (let i = 0; i < 5; i++)
      last = await t.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: { refreshToken: 'x' },
        remoteAddress: '10.2.0.1',
      });
    expect(last.statusCode).toBe(429);
    expectApiHeaders(last.headers);
  });

  describe('Strict-Transport-Security, over HTTPS only', () => {
    let proxied: TestApp;
    beforeAll(async () => {
      proxied = await startTestApp(backends[0] as (typeof backends)[0], { TRUST_PROXY: '127.0.0.1' });
    });
    afterAll(() => proxied?.close());
    const HTTPS = { 'x-forwarded-proto': 'https' };

    it.each([
      ['a 200', '/health'],
      ['a 401', '/auth/me'],
      ['a 404', '/no/such/route'],
      ['an HTML page', '/account'],
    ])('is on %s when a trusted proxy says the request came over HTTPS', async (_label, url) => {
      const res = await proxied.app.inject({ method: 'GET', url, headers: HTTPS });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('is not sent when the proxy says plain HTTP, nor when an untrusted peer says HTTPS', async () => {
      const plain = await proxied.app.inject({
        method: 'GET',
        url: '/health',
        headers: { 'x-forwarded-proto': 'http' },
      });
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['strict-transport-security']).toBeUndefined();
      const forged = await proxied.app.inject({
        method: 'GET',
        url: '/health',
        headers: HTTPS,
        remoteAddress: '203.0.113.9',
      });
      expect(forged.statusCode).toBe(200);
      expect(forged.headers['strict-transport-security']).toBeUndefined();
      // The app without TRUST_PROXY believes no one.
      const direct = await t.app.inject({ method: 'GET', url: '/health', headers: HTTPS });
      expect(direct.headers['strict-transport-security']).toBeUndefined();
    });
  });

  describe('GET /docs under its Content-Security-Policy', () => {
    it('loads every script and stylesheet from this origin, and each of them is served', async () => {
      const page = await t.app.inject({ method: 'GET', url: '/docs/' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/https?:\/\/|unsafe-inline|unsafe-eval|upgrade-insecure-requests/);
      expect(page.headers['x-content-type-options']).toBe('nosniff');

      const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
      expect(assets.length).toBeGreaterThanOrEqual(4);
      // No inline script would run under script-src 'self': the page must have none.
      expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      for (const asset of assets) {
        expect(asset, 'a relative URL on this origin').not.toMatch(/^(https?:)?\/\//);
        const res = await t.app.inject({ method: 'GET', url: new URL(asset, 'http://x/docs/').pathname });
        expect(res.statusCode, asset).toBe(200);
      }
    });

    it('fetches the API document from this origin', async () => {
      const init = await t.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
      expect(init.statusCode).toBe(200);
      expect(init.body).toContain("resolveUrl('./json')");
      expect(init.body).toContain('validatorUrl: null');
      const doc = await t.app.inject({ method: 'GET', url: '/docs/json' });
      expect(doc.statusCode).toBe(200);
      expect(doc.json().openapi).toBe('3.1.0');
    });
  });
});
