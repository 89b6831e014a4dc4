import { mkdirSync } from 'node:fs';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelyingParty } from '../../examples/oidc-relying-party/app.js';
import { runCli } from '../../src/cli/cli.js';
import { endExpiredSessions } from '../../src/domain/expiry.js';
import { backends } from '../support/backends.js';
import { chromiumAvailable, launchChromium } from '../support/chromium.js';
import { PASSWORD, register, sessionState, uniqueEmail } from '../support/harness.js';
import { startProvider, startRegisteredApp, type TestProvider } from '../support/oidc-provider.js';

/**
 * Single sign-on and single logout in real Chromium, with two openid-client apps (A
 * confidential, B public; examples/oidc-relying-party/app.ts): sign in to A on Gatehouse's own
 * account page, into B with no password, out of A by RP-initiated logout, and B is told over
 * its back channel. Then the same ending by an admin from the CLI, and by expiry.
 *
 * Gatehouse and A are on 127.0.0.1, B on localhost: another site, as applications usually
 * are, so the browser does not send Gatehouse's SameSite=Strict cookie with B's trips to it.
 */
const available = chromiumAvailable();
const SCREENSHOTS = 'test-results';

describe.skipIf(!available).each(backends)(
  'single sign-on and single logout in Chromium ($name)',
  (backend) => {
    let p: TestProvider;
    let a: RelyingParty;
    let b: RelyingParty;
    let browser: Browser;
    const problems: string[] = [];

    beforeAll(async () => {
      p = await startProvider(backend);
      a = await startRegisteredApp(p, 'A', 'confidential');
      // B also takes EdDSA ID tokens, A the default RS256: both algorithms in the browser.
      b = await startRegisteredApp(p, 'B', 'public', { host: 'localhost', idTokenAlg: 'EdDSA' });
      browser = await launchChromium();
      mkdirSync(SCREENSHOTS, { recursive: true });
    });
    afterAll(async () => {
      await browser?.close();
      await a?.close();
      await b?.close();
      await p?.close();
    });

    async function person() {
      const email = uniqueEmail('sso');
      await register(p.t, email, PASSWORD, 'Ada Lovelace');
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (err) => problems.push(err.message));
      const visited: string[] = [];
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) visited.push(frame.url());
      });
      return { email, context, page, visited };
    }

    const heading = (page: Page) => page.getByRole('heading', { level: 1 });

    /** A: to Gatehouse's account page, sign in by keyboard, and back to A signed in. */
    async function signInToA(page: Page, email: string, visited: string[]) {
      await page.goto(`${a.url}/login`);
      await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
      expect(page.url()).toMatch(new RegExp(`^${p.issuer}/account\\?oidc=`));
      expect(await page.locator('#status').textContent()).toBe('Sign in to continue to the application.');
      // The sign-in form (the page also holds the register, forgot and account views).
      const form = page.locator('#sign-in-view');
      await form.getByLabel('Email').fill(email);
      await form.getByLabel('Password').fill(PASSWORD);
      await form.getByLabel('Password').press('Enter');
      await page.waitForURL(`${a.url}/`);
      expect(await heading(page).textContent()).toBe(`A: signed in as ${email}`);
      expect(visited.some((u) => u.startsWith(`${p.issuer}/account`))).toBe(true);
    }

    /**
     * B, by its "Sign in" link, with no password asked (no sign-in request at all). B is on
     * another site, so the navigation to /oidc/authorize carries no Gatehouse cookie: it passes
     * through the account page, which, same-origin with Gatehouse, finds the session and
     * continues at once. (A link, not page.goto: an address typed into the browser has no
     * initiating site, and Chromium would send the SameSite=Strict cookie after B's redirect.)
     */
    async function signInToB(page: Page, email: string, visited: string[]) {
      await page.goto(`${b.url}/`);
      const before = visited.length;
      const signIns: string[] = [];
      const onRequest = (r: Request) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname.startsWith('/account/login'))
          signIns.push(r.url());
      };
      page.on('request', onRequest);
      try {
        await page.getByRole('link', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: `B: signed in as ${email}` }).waitFor();
      } finally {
        page.off('request', onRequest);
      }
      expect(page.url()).toBe(`${b.url}/`);
      expect(signIns).toEqual([]);
      expect(visited.slice(before).some((u) => u.startsWith(`${p.issuer}/account?oidc=`))).toBe(true);
    }

    const sidIn = (rp: RelyingParty, email: string) =>
      [...rp.sessions.values()].find((s) => s.claims.email === email)?.sid;

    async function until(check: () => boolean, what: string, ms = 10_000) {
      const end = Date.now() + ms;
      while (!check()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }

    async function expectSignedOutOfB(page: Page, sid: string) {
      await until(() => b.logoutTokens.some((t) => t.sid === sid), "B's logout token");
      expect([...b.sessions.values()].some((s) => s.sid === sid)).toBe(false);
      await page.goto(`${b.url}/`);
      expect(await heading(page).textContent()).toBe('B: signed out');
    }

    it('signs in to A on the account page, to B with no password, out of A; B is told', {
      timeout: 90_000,
    }, async () => {
      const { email, context, page, visited } = await person();
      await signInToA(page, email, visited);
      await page.screenshot({ path: `${SCREENSHOTS}/oidc-a-signed-in.png` });
      await signInToB(page, email, visited);
      await page.screenshot({ path: `${SCREENSHOTS}/oidc-b-signed-in-sso.png` });
      const sid = sidIn(a, email)!;
      expect(sidIn(b, email)).toBe(sid);

      await page.goto(`${a.url}/logout`);
      await page.waitForURL(new RegExp(`^${a.url}/logged-out\\?state=`));
      expect(await heading(page).textContent()).toBe('A: you have signed out');
      expect(a.loggedOutStates.at(-1)).toBe(new URL(page.url()).searchParams.get('state'));
      await page.screenshot({ path: `${SCREENSHOTS}/oidc-a-logged-out.png` });
      expect(await sessionState(p.t, sid)).toEqual({ ended: true, reason: 'logout' });

      await expectSignedOutOfB(page, sid);
      await page.screenshot({ path: `${SCREENSHOTS}/oidc-b-signed-out-by-back-channel.png` });
      // Gatehouse's cookie session went too: A asks for the password again.
      await page.goto(`${a.url}/login`);
      await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
      expect(problems).toEqual([]);
      await context.close();
    });

    it('out of B, on another site, by RP-initiated logout: the session ends and A is told', {
      timeout: 90_000,
    }, async () => {
      const { email, context, page, visited } = await person();
      await signInToA(page, email, visited);
      await signInToB(page, email, visited);
      const sid = sidIn(b, email)!;
      expect(sidIn(a, email)).toBe(sid);

      // The hint, not a cookie, names the session: the cross-site trip to /oidc/logout needs none.
      await page.goto(`${b.url}/logout`);
      await page.waitForURL(new RegExp(`^${b.url}/logged-out\\?state=`));
      expect(await heading(page).textContent()).toBe('B: you have signed out');
      expect(b.loggedOutStates.at(-1)).toBe(new URL(page.url()).searchParams.get('state'));
      expect(await sessionState(p.t, sid)).toEqual({ ended: true, reason: 'logout' });

      await until(() => a.logoutTokens.some((t) => t.sid === sid), "A's logout token");
      expect([...a.sessions.values()].some((s) => s.sid === sid)).toBe(false);
      await page.goto(`${a.url}/`);
      expect(await heading(page).textContent()).toBe('A: signed out');
      await page.screenshot({ path: `${SCREENSHOTS}/oidc-a-signed-out-by-back-channel.png` });
      // The Gatehouse session is over: signing in to B again asks for the password.
      await page.goto(`${b.url}/login`);
      await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
      expect(problems).toEqual([]);
      await context.close();
    });

    it('the same single logout when an admin ends the session from the CLI', {
      timeout: 90_000,
    }, async () => {
      const { email, context, page, visited } = await person();
      await signInToA(page, email, visited);
      await signInToB(page, email, visited);
      const sid = sidIn(a, email)!;
      // The CLI itself, as an operator would run it beside the provider: on PostgreSQL it opens
      // the same database; on the embedded store it finds the data directory held by the
      // running provider and works through its operator channel (test/cli/clients.test.ts).
      let err = '';
      const code = await runCli(['sessions', 'end', '--session', sid], {
        env: { ...p.cliEnv, LOG_LEVEL: 'silent' },
        stdin: { isTTY: false },
        stdout: { write: () => true },
        stderr: { write: (s: string) => (err += s) },
      });
      expect(code, err).toBe(0);
      expect(await sessionState(p.t, sid)).toEqual({ ended: true, reason: 'admin' });
      await until(() => a.logoutTokens.some((t) => t.sid === sid), "A's logout token");
      await page.goto(`${a.url}/`);
      expect(await heading(page).textContent()).toBe('A: signed out');
      await expectSignedOutOfB(page, sid);
      await page.screenshot({ path: `${SCREENSHOTS}/oidc-admin-ended.png` });
      expect(problems).toEqual([]);
      await context.close();
    });

    it('the same single logout when the session expires', { timeout: 90_000 }, async () => {
      const { email, context, page, visited } = await person();
      await signInToA(page, email, visited);
      await signInToB(page, email, visited);
      const sid = sidIn(a, email)!;
      // Its absolute end moved into the past, as time would; the sweeper's pass ends it.
      await p.t.database.db.query(
        "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1",
        [sid],
      );
      await endExpiredSessions(p.t.ctx);
      expect(await sessionState(p.t, sid)).toEqual({ ended: true, reason: 'expired' });
      await until(() => a.logoutTokens.some((t) => t.sid === sid), "A's logout token");
      await page.goto(`${a.url}/`);
      expect(await heading(page).textContent()).toBe('A: signed out');
      await expectSignedOutOfB(page, sid);
      await page.screenshot({ path: `${SCREENSHOTS}/oidc-expired.png` });
      expect(problems).toEqual([]);
      await context.close();
    });
  },
);
