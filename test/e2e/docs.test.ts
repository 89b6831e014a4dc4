import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { chromiumAvailable, launchChromium } from '../support/chromium.js';
import { login, signedInUser, startTestApp, type TestApp } from '../support/harness.js';

/**
 * /docs (Swagger UI) in a real browser, under the Content-Security-Policy
 * Gatehouse sends: it renders every operation, asks nothing of any other
 * host, and the browser reports no policy violation. Debian's Chromium.
 */
const available = chromiumAvailable();

describe.skipIf(!available)('GET /docs in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp(backends[0]!);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders the API document with everything from this origin and no CSP violation', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    const complaints: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) complaints.push(m.text());
    });
    page.on('pageerror', (e) => complaints.push(e.message));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });

    const res = await page.goto(`${base}/docs/`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('#operations-auth-logout').waitFor({ timeout: 15_000 });
    expect(await page.locator('.opblock-tag-section').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.opblock-summary-path', { hasText: '/auth/logout' }).count()).toBe(1);
    // Gatehouse's page: its title, and no top bar (Swagger's logo and its "Explore" box).
    expect(await page.title()).toBe('Gatehouse API');
    expect(await page.locator('.topbar').count()).toBe(0);
    expect(await page.locator('.info .title', { hasText: 'Gatehouse' }).count()).toBe(1);
    await page.waitForTimeout(300);

    expect(complaints).toEqual([]);
    expect(requested.filter((url) => !url.startsWith(base) && !url.startsWith('data:'))).toEqual([]);
    await page.close();
  }, 60_000);

  it('"Try it out" on logout, with a bearer token pasted into Authorize and a documented example, gets 200', async () => {
    const user = await signedInUser(t);
    // A second session of the same user, for the "others" example to end.
    const other = await login(t, user.user.email);
    const page = await browser.newPage();
    await page.goto(`${base}/docs/`);
    await page.locator('#operations-auth-logout').waitFor({ timeout: 15_000 });

    await page.locator('.auth-wrapper .authorize').click();
    await page.locator('.modal-ux input[type=text]').first().fill(user.accessToken);
    await page.locator('.modal-ux .auth-btn-wrapper .authorize').first().click();
    await page.locator('.modal-ux .btn-done').first().click();

    const op = page.locator('#operations-auth-logout');
    await op.locator('.opblock-summary').click();
    await op.locator('.try-out__btn').click();
    await op.locator('.examples-select select').selectOption({ label: 'Every other session of mine' });
    expect(JSON.parse(await op.locator('textarea.body-param__text').inputValue())).toEqual({
      scope: 'others',
    });
    await op.locator('.execute').click();
    const status = op.locator('.live-responses-table tr.response .response-col_status');
    await status.first().waitFor({ timeout: 15_000 });
    expect((await status.first().textContent())?.trim()).toBe('200');
    // The page used the bearer token: this session still works, and only the others ended.
    expect((await t.app.inject({ method: 'GET', url: '/auth/me', headers: user.headers })).statusCode).toBe(
      200,
    );
    expect((await t.app.inject({ method: 'GET', url: '/auth/me', headers: other.headers })).statusCode).toBe(
      401,
    );
    await page.close();
  }, 60_000);
});
