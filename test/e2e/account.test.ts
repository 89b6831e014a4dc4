import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkState } from '../support/account-browser.js';
import { backends } from '../support/backends.js';
import { chromiumAvailable, launchChromium } from '../support/chromium.js';
import {
  PASSWORD,
  register,
  sessionState,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from '../support/harness.js';

/**
 * The account page in a real browser: two devices (browser contexts) of one
 * user sign in, see each other, one signs the other out, and both end up
 * signed out everywhere. Debian's Chromium (`apt-get install -y chromium`).
 */
const available = chromiumAvailable();

const LAPTOP =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1';
const SCREENSHOTS = 'test-results';

describe.skipIf(!available)('the account page in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(backends[0]!);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function device(userAgent: string, viewport = { width: 1100, height: 760 }) {
    const context = await browser.newContext({ userAgent, viewport });
    const page = await context.newPage();
    // Script errors and CSP violations fail the test; a 401 the page expects is not one.
    page.on('pageerror', (err) => problems.push(`${userAgent.slice(13, 30)}: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        problems.push(`${userAgent.slice(13, 30)}: ${m.text()}`);
    });
    return { context, page };
  }

  const heading = (page: Page, name: string) => page.getByRole('heading', { name, level: 1 });
  const rows = (page: Page) => page.locator('#sessions tbody tr');
  const status = (page: Page) => page.locator('#status');

  async function signIn(page: Page, email: string) {
    await page.goto(`${base}/account`);
    await heading(page, 'Sign in').waitFor();
    // By keyboard, as a person would: type, Tab, type, Enter.
    await page.locator('#sign-in-view').getByLabel('Email').focus();
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await heading(page, 'Your account').waitFor();
    await rows(page).first().waitFor();
  }

  async function expectSignedOut(
    page: Page,
    context: BrowserContext,
    message?: RegExp,
    where = status(page),
  ) {
    await heading(page, 'Sign in').waitFor();
    expect(await page.locator('#account-view').isHidden()).toBe(true);
    if (message) expect(await where.textContent()).toMatch(message);
    expect((await context.cookies()).map((c) => c.name)).not.toContain('gatehouse_session');
  }

  it('signs in on two devices, signs one out from the other, then everywhere', {
    timeout: 60_000,
  }, async () => {
    const user = await register(t, uniqueEmail('e2e'), PASSWORD, 'Ada Lovelace');
    const laptop = await device(LAPTOP);
    const phone = await device(PHONE, { width: 390, height: 844 });

    // Two devices, each seeing both sessions, its own marked "This device".
    await signIn(laptop.page, user.email);
    await signIn(phone.page, user.email);
    await laptop.page.getByRole('button', { name: 'Refresh list' }).click();
    await expect.poll(() => rows(laptop.page).count()).toBe(2);
    expect(await laptop.page.locator('#who').textContent()).toBe(`Ada Lovelace (${user.email})`);
    const current = laptop.page.locator('#sessions tbody tr.current');
    expect(await current.locator('.device').textContent()).toBe('Chrome on Linux');
    expect(await current.locator('.badge').textContent()).toBe('This device');
    const other = laptop.page.locator('#sessions tbody tr:not(.current)');
    expect(await other.locator('.device').textContent()).toBe('Safari on iOS');
    expect(await other.locator('td').nth(1).textContent()).toBe('127.0.0.1');
    // Last active, in words (the exact time on hover).
    expect(await current.locator('td').nth(3).textContent()).toBe('just now');
    expect(await current.locator('td time').nth(1).getAttribute('title')).toMatch(/\d/);
    expect(await phone.page.locator('#sessions tbody tr.current .device').textContent()).toBe(
      'Safari on iOS',
    );

    // The cookies are HttpOnly and SameSite=Strict; the refresh token is sent to one path only.
    const cookies = await laptop.context.cookies();
    const session = cookies.find((c) => c.name === 'gatehouse_session');
    const refresh = cookies.find((c) => c.name === 'gatehouse_refresh');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/account/refresh' });
    expect(await laptop.page.evaluate(() => document.cookie)).toBe('');

    mkdirSync(SCREENSHOTS, { recursive: true });
    await laptop.page.screenshot({ path: `${SCREENSHOTS}/account-page.png`, fullPage: true });

    // The laptop signs the phone out from its row.
    const phoneSessionId = await other.getAttribute('data-session-id');
    await laptop.page.getByRole('button', { name: /^Sign out Safari on iOS/ }).click();
    await expect.poll(() => status(laptop.page).textContent()).toBe('Safari on iOS has been signed out.');
    await expect.poll(() => rows(laptop.page).count()).toBe(1);
    expect(await sessionState(t, phoneSessionId!)).toEqual({ ended: true, reason: 'logout' });

    // The phone finds out on its next action: signed out, cookies gone.
    await phone.page.getByRole('button', { name: 'Refresh list' }).click();
    await expectSignedOut(
      phone.page,
      phone.context,
      /^This device was signed out from another device/,
      phone.page.locator('#alert'),
    );
    await checkState(phone.page, '390-signed-out-elsewhere');
    await phone.page.reload();
    await expectSignedOut(phone.page, phone.context);
    await phone.page.screenshot({ path: `${SCREENSHOTS}/account-page-signed-out.png` });

    // Back on the phone, then "Sign out everywhere" from the laptop ends both.
    await signIn(phone.page, user.email);
    await laptop.page.getByRole('button', { name: 'Refresh list' }).click();
    await expect.poll(() => rows(laptop.page).count()).toBe(2);
    await laptop.page.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
    await laptop.page
      .getByRole('dialog', { name: 'Sign out everywhere?' })
      .getByRole('button', { name: 'Sign out everywhere' })
      .click();
    await expectSignedOut(laptop.page, laptop.context, /You have signed out on every device/);
    await phone.page.reload();
    await expectSignedOut(phone.page, phone.context);
    const active = await t.store.listActiveSessions(user.id);
    expect(active).toHaveLength(0);

    expect(problems).toEqual([]);
    await laptop.context.close();
    await phone.context.close();
  });

  it('shows the signed-out state when its own session already ended (logout answers 401)', async () => {
    const user = await register(t, uniqueEmail('e2e'), PASSWORD);
    const laptop = await device(LAPTOP);
    await signIn(laptop.page, user.email);
    // Ended elsewhere (e.g. by an admin or another device) while the page was open.
    const other = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: user.email, password: PASSWORD },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { authorization: `Bearer ${other.json().accessToken}` },
      payload: { scope: 'all' },
    });
    expect(res.statusCode).toBe(200);

    await laptop.page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expectSignedOut(
      laptop.page,
      laptop.context,
      /already been signed out/,
      laptop.page.locator('#alert'),
    );
    await checkState(laptop.page, 'already-signed-out');
    expect(problems).toEqual([]);
    await laptop.context.close();
  });

  it('serves the page with a strict Content-Security-Policy and nothing from elsewhere', async () => {
    const res = await fetch(`${base}/account`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    const script = await fetch(`${base}/account/account.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).not.toMatch(/https?:\/\/(?!www\.w3\.org|simplewebauthn\.dev\/docs)/);
  });
});
