import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { generate } from 'otplib';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkState,
  type Device,
  expectAccessible,
  heading,
  NARROW,
  openDevice,
  PHONE,
  scriptErrors,
  WIDE,
} from '../support/account-browser.js';
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
import { mailerFor } from '../support/mail.js';
import { SmtpSink } from '../support/smtp-sink.js';

/**
 * Every flow of the account console in Chromium, end to end (issue #16, "Must
 * be shown"): register and verify from the mail received over SMTP; forgot
 * and reset from the mail; enrol TOTP; sign in with TOTP and with a recovery
 * code; add a passkey with Chromium's virtual authenticator and sign in with
 * it; the fresh-proof dialog. Mail goes through a real SMTP server (smtp-server,
 * parsed with mailparser). WebAuthn needs a domain for its RP ID, so the page
 * is opened at http://localhost (PUBLIC_URL), not 127.0.0.1. Screenshots in
 * test-results/; axe-core on every state.
 */
const available = chromiumAvailable();

const NEW_PASSWORD = 'a different long passphrase 42';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The TOTP code of `secret` for the 30-second step `steps` after now's. */
const totp = (secret: string, steps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

describe.skipIf(!available)('the account console flows in Chromium', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let deliver: () => Promise<number>;
  let base: string;
  let browser: Browser;
  const devices: Device[] = [];

  beforeAll(async () => {
    sink = await SmtpSink.start();
    const port = await freePort();
    base = `http://localhost:${port}`;
    t = await startTestApp(backends[0]!, {
      PUBLIC_URL: base,
      MAIL_URL: sink.url,
      REQUIRE_VERIFIED_EMAIL: 'on',
    });
    await t.app.listen({ port, host: '127.0.0.1' });
    deliver = mailerFor(t, sink).deliver;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.stop();
  });

  async function device(opts: Parameters<typeof openDevice>[1] = {}): Promise<Device> {
    const d = await openDevice(browser, opts);
    devices.push(d);
    return d;
  }

  /** The latest mail to `email` after delivering what is queued, over SMTP. */
  async function mailTo(email: string, subject: RegExp) {
    await deliver();
    const mail = sink.to(email).at(-1);
    expect(mail?.subject).toMatch(subject);
    expect(mail?.link).toBeTruthy();
    return mail!;
  }

  const signInForm = (page: Page) => page.locator('#sign-in-view');

  async function passwordStep(page: Page, email: string, password = PASSWORD) {
    await page.goto(`${base}/account`);
    await heading(page, 'Sign in').waitFor();
    await signInForm(page).getByLabel('Email').fill(email);
    await signInForm(page).getByLabel('Password').fill(password);
    await signInForm(page).getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async function signIn(page: Page, email: string, password = PASSWORD) {
    await passwordStep(page, email, password);
    await heading(page, 'Your account').waitFor();
  }

  async function signOut(page: Page) {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await heading(page, 'Sign in').waitFor();
  }

  /** A registered user whose address is verified (REQUIRE_VERIFIED_EMAIL is on here). */
  async function verifiedUser(prefix: string) {
    const user = await register(t, uniqueEmail(prefix));
    await t.store.setEmailVerified(user.id);
    return user;
  }

  it('registers, verifies from the mail received over SMTP, and signs in', { timeout: 90_000 }, async () => {
    const { page, errors } = await device();
    const email = uniqueEmail('register');
    await page.goto(`${base}/account`);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await heading(page, 'Create an account').waitFor();
    await page.getByLabel('Name (optional)').fill('Grace Hopper');
    await page.locator('#register-view').getByLabel('Email').fill(email);
    // A weak password first: refused on the form, and no account is made.
    await page.locator('#register-view').getByLabel('Password').fill('password1');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('#register-error').textContent()).toMatch(/password/i);
    expect(await t.store.findUserByEmail(email)).toBeNull();
    await checkState(page, 'register-error');
    await page.locator('#register-view').getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await heading(page, 'Sign in').waitFor();
    expect(await page.locator('#status').textContent()).toMatch(/^Account created\. We sent a link to /);
    await checkState(page, 'registered');

    // Unverified: the right password is refused with a pointer to the mail.
    await signInForm(page).getByLabel('Password').fill(PASSWORD);
    await signInForm(page).getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect
      .poll(() => page.locator('#sign-in-error').textContent())
      .toMatch(/^Verify your email address first/);
    await checkState(page, 'sign-in-unverified');

    // "Ask for a new one below": the button under the message, for the address typed above.
    await signInForm(page).getByRole('button', { name: 'Send a new verification link' }).click();
    await expect
      .poll(() => page.locator('#status').textContent())
      .toBe(`If ${email} has an account waiting for verification, a new link is on its way.`);
    expect(await page.locator('#sign-in-resend').isHidden()).toBe(true);
    await checkState(page, 'verification-resent');

    // Two mails, received by the SMTP server: the registration's and the one just asked for. The
    // new one's link opens the page, which verifies and forgets the token.
    const mail = await mailTo(email, /verify/i);
    const links = sink.to(email).map((m) => m.link);
    expect(links).toHaveLength(2);
    expect(links[1]).not.toBe(links[0]);
    expect(mail.link).toMatch(new RegExp(`^${base}/account#verify=[\\w-]{43}$`));
    await page.goto(mail.link!);
    await expect
      .poll(() => page.locator('#verify-result').textContent())
      .toBe('Your email address is verified. Thank you.');
    expect(await page.evaluate(() => location.href)).toBe(`${base}/account`);
    await checkState(page, 'verified');
    await page.setViewportSize(NARROW);
    await checkState(page, '360-verified');
    await page.setViewportSize(WIDE);

    // The same link again: used, said plainly, with a way to get a new one.
    await page.goto(mail.link!);
    await expect
      .poll(() => page.locator('#verify-result').textContent())
      .toBe('This link has expired or has already been used.');
    expect(await page.locator('#resend-form').isVisible()).toBe(true);
    await checkState(page, 'verify-link-used');

    await signIn(page, email);
    expect(await page.locator('#who').textContent()).toBe(`Grace Hopper (${email})`);
    expect(await page.locator('#email-state').textContent()).toBe('Verified');
    await checkState(page, 'account');
    expect(scriptErrors(errors)).toEqual([]);
  });

  it('an expired verification link offers a new one: the form sends it, and it verifies', {
    timeout: 90_000,
  }, async () => {
    const email = uniqueEmail('expired');
    const user = await register(t, email);
    const first = await mailTo(email, /verify/i);
    // A day later: the link has expired (it lives 24 hours).
    await t.database.db.query('UPDATE email_tokens SET expires_at = now() WHERE user_id = $1', [user.id]);
    const { page, errors } = await device({ viewport: NARROW, userAgent: PHONE });
    await page.goto(first.link!);
    await expect
      .poll(() => page.locator('#verify-result').textContent())
      .toBe('This link has expired or has already been used.');
    const form = page.locator('#resend-form');
    await form.getByLabel('Email').fill(email);
    await form.getByRole('button', { name: 'Send a new link' }).click();
    await expect
      .poll(() => page.locator('#status').textContent())
      .toBe(`If ${email} has an account waiting for verification, a new link is on its way.`);
    await checkState(page, '360-verify-link-resent');

    const again = await mailTo(email, /verify/i);
    expect(again.link).not.toBe(first.link);
    await page.goto(again.link!);
    await expect
      .poll(() => page.locator('#verify-result').textContent())
      .toBe('Your email address is verified. Thank you.');
    expect((await t.store.findUserById(user.id))?.emailVerified).toBe(true);
    expect(scriptErrors(errors)).toEqual([]);
  });

  it('forgot and reset from the mail: every session ends, the new password works', {
    timeout: 90_000,
  }, async () => {
    const user = await verifiedUser('reset');
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'user-agent': PHONE },
      payload: { email: user.email, password: PASSWORD },
    });
    const { page, errors } = await device({ viewport: NARROW, userAgent: PHONE });
    await page.goto(`${base}/account`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await heading(page, 'Forgot your password?').waitFor();
    await page.locator('#forgot-view').getByLabel('Email').fill(user.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/a link to choose a new password/);
    await checkState(page, '360-forgot-sent');

    const mail = await mailTo(user.email, /password/i);
    expect(mail.link).toMatch(new RegExp(`^${base}/account#reset=[\\w-]{43}$`));
    await page.goto(mail.link!);
    await heading(page, 'Choose a new password').waitFor();
    expect(await page.evaluate(() => location.hash)).toBe('');
    await page.locator('#reset-view').getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await heading(page, 'Sign in').waitFor();
    expect(await page.locator('#status').textContent()).toMatch(/^Your password has been changed/);
    await checkState(page, '360-reset-done');
    expect(await sessionState(t, elsewhere.json().session.id)).toEqual({
      ended: true,
      reason: 'password_reset',
    });

    // The old password no longer works; the new one does.
    await passwordStep(page, user.email, PASSWORD);
    await expect
      .poll(() => page.locator('#sign-in-error').textContent())
      .toBe('That email and password do not match an account.');
    await checkState(page, '360-sign-in-wrong-password');
    await signIn(page, user.email, NEW_PASSWORD);
    await checkState(page, '360-account');
    expect(scriptErrors(errors)).toEqual([]);
  });

  it('enrols TOTP from the QR code page, then signs in with a code and with a recovery code', {
    timeout: 120_000,
  }, async () => {
    const user = await verifiedUser('totp');
    // On a phone: the QR code, the key, the codes and the second step all fit 360 px.
    const { page, context, errors } = await device({ viewport: NARROW, userAgent: PHONE });
    await signIn(page, user.email);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('heading', { name: 'Scan this QR code with your authenticator app' }).waitFor();
    // A QR code drawn in the page (no image fetched), and the key for typing in by hand.
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
    expect(await qr.evaluate((e) => e.tagName)).toBe('svg');
    const secret = ((await page.locator('#totp-secret').textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await checkState(page, '360-totp-enrol');

    // A wrong code first: said, and nothing is enabled.
    await page.getByLabel('Code shown by the app').fill('000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => page.locator('#totp-error').textContent()).toMatch(/^That code is not right/);
    await checkState(page, '360-totp-wrong-code');
    expect(
      (await t.store.listAuditEvents({ userId: user.id, limit: 50 })).map((e) => e.action),
    ).not.toContain('mfa.totp_enabled');

    await page.getByLabel('Code shown by the app').fill(await totp(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    const codes = await page.locator('#recovery-list code').allTextContents();
    expect(codes).toHaveLength(10);
    await checkState(page, '360-recovery-codes');
    // Downloaded as a text file, all ten in it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('gatehouse-recovery-codes.txt');
    const saved = await readFile((await download.path())!, 'utf8');
    for (const code of codes) expect(saved).toContain(code);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    expect(await page.locator('#recovery-codes').isHidden()).toBe(true);
    await expect
      .poll(() => page.locator('#totp-state').textContent())
      .toMatch(/^On: .* 10 recovery codes left\.$/);
    await checkState(page, '360-totp-on');
    await signOut(page);

    // The password, then a code: the code of the next step, since the enrolment's step is spent.
    await passwordStep(page, user.email);
    await heading(page, 'Two-step verification').waitFor();
    await checkState(page, '360-mfa-code');
    await page.locator('#mfa-view').getByLabel('Code from your authenticator app').fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.locator('#mfa-error').textContent()).toMatch(/^That code is wrong/);
    await checkState(page, '360-mfa-wrong-code');
    await page
      .locator('#mfa-view')
      .getByLabel('Code from your authenticator app')
      .fill(await totp(secret, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await heading(page, 'Your account').waitFor();
    await signOut(page);

    // The password, then a recovery code.
    await passwordStep(page, user.email);
    await heading(page, 'Two-step verification').waitFor();
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await checkState(page, '360-mfa-recovery-code');
    await page.locator('#mfa-view').getByLabel('Recovery code').fill(codes[3]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await heading(page, 'Your account').waitFor();
    await expect.poll(() => page.locator('#totp-state').textContent()).toMatch(/ 9 recovery codes left\.$/);
    const audit = (await t.store.listAuditEvents({ userId: user.id, limit: 50 })).map((e) => e.action);
    expect(audit).toContain('mfa.recovery_code_used');

    // Turning it off asks first; afterwards the password alone signs in.
    await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
    const turnOff = page.getByRole('dialog', { name: 'Turn off two-step verification?' });
    await turnOff.waitFor();
    await checkState(page, '360-totp-off-dialog');
    await turnOff.getByRole('button', { name: 'Turn off' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('Two-step verification is off.');
    await signOut(page);
    await signIn(page, user.email);
    expect(scriptErrors(errors)).toEqual([]);
    await context.close();
  });

  async function virtualAuthenticator(page: Page): Promise<CDPSession> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return cdp;
  }

  it("adds a passkey with Chromium's virtual authenticator, renames it, signs in with it, deletes it", {
    timeout: 120_000,
  }, async () => {
    const user = await verifiedUser('passkey');
    const { page, errors } = await device();
    await page.goto(`${base}/account`);
    const cdp = await virtualAuthenticator(page);
    await signIn(page, user.email);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^Passkey .* added\./);
    const item = page.locator('#passkey-list li');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.locator('.passkey-name').textContent()).toBe('Passkey on Linux');
    await checkState(page, 'passkey-added');
    await page.setViewportSize(NARROW);
    await checkState(page, '360-passkey-added');
    await page.setViewportSize(WIDE);

    await page.getByRole('button', { name: 'Rename passkey Passkey on Linux' }).click();
    await page.getByLabel('New name for Passkey on Linux').fill('Work laptop');
    await checkState(page, 'passkey-rename');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => item.locator('.passkey-name').textContent()).toBe('Work laptop');
    await signOut(page);

    // No email, no password: the browser offers the passkey it holds for this site.
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await heading(page, 'Your account').waitFor();
    expect(await page.locator('#who').textContent()).toBe(user.email);
    await expect.poll(() => item.locator('.meta').textContent()).toMatch(/last used/);
    await checkState(page, 'passkey-signed-in');
    await page.setViewportSize(NARROW);
    await checkState(page, '360-passkey-signed-in');
    await page.setViewportSize(WIDE);
    const audit = await t.store.listAuditEvents({ userId: user.id, limit: 50 });
    expect(audit.find((e) => e.action === 'session.created' && e.details.method === 'passkey')).toBeTruthy();

    await page.getByRole('button', { name: 'Delete passkey Work laptop' }).click();
    const confirmDelete = page.getByRole('dialog', { name: 'Delete the passkey Work laptop?' });
    await confirmDelete.waitFor();
    await checkState(page, 'passkey-delete-dialog');
    await confirmDelete.getByRole('button', { name: 'Delete passkey' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('Passkey Work laptop deleted.');
    await expect.poll(() => item.count()).toBe(0);
    await signOut(page);

    // The deleted passkey signs no one in: said on the form.
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect
      .poll(() => page.locator('#sign-in-error').textContent())
      .toBe('That passkey is not registered to any account here.');
    await expectAccessible(page, 'passkey-unknown');
    await cdp.detach();
    expect(scriptErrors(errors)).toEqual([]);
  });

  it('says to verify the address when a passkey of an unverified account signs in', {
    timeout: 90_000,
  }, async () => {
    const user = await verifiedUser('passkey-unverified');
    const { page, errors } = await device();
    await page.goto(`${base}/account`);
    const cdp = await virtualAuthenticator(page);
    await signIn(page, user.email);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect.poll(() => page.locator('#passkey-list li').count()).toBe(1);
    await signOut(page);
    // An account whose passkey predates REQUIRE_VERIFIED_EMAIL: its address was never proved.
    await t.database.db.query('UPDATE users SET email_verified_at = NULL WHERE id = $1', [user.id]);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    // The words of a password refused for the same reason, pointing at the resend form.
    await expect
      .poll(() => page.locator('#sign-in-error').textContent())
      .toBe('Verify your email address first: follow the link we sent you. You can ask for a new one below.');
    await checkState(page, 'passkey-unverified');
    expect(await t.store.listActiveSessions(user.id)).toEqual([]);
    // The passkey named no address: the new link goes to the one typed above, once there is one.
    const resend = signInForm(page).getByRole('button', { name: 'Send a new verification link' });
    await resend.click();
    await expect
      .poll(() => page.locator('#sign-in-error').textContent())
      .toBe('Type your email address above, then ask for the link again.');
    await signInForm(page).getByLabel('Email').fill(user.email);
    await deliver();
    const mailed = sink.to(user.email).length;
    await resend.click();
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/a new link is on its way\.$/);
    expect((await mailTo(user.email, /verify/i)).link).toMatch(/#verify=/);
    expect(sink.to(user.email)).toHaveLength(mailed + 1);
    await cdp.detach();
    expect(scriptErrors(errors)).toEqual([]);
  });

  it('asks for the password again when a change needs a fresh proof, then makes the change', {
    timeout: 90_000,
  }, async () => {
    const user = await verifiedUser('proof');
    const { page, errors } = await device({ viewport: NARROW, userAgent: PHONE });
    await signIn(page, user.email);
    // The last proof of this session is an hour old (FRESH_AUTH_MAX_AGE is 10 minutes).
    const sessionId = await page.locator('#sessions tbody tr.current').getAttribute('data-session-id');
    await t.store.setAuthTime(sessionId!, new Date(Date.now() - 3_600_000), ['password']);

    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor();
    await checkState(page, '360-proof-dialog');
    await dialog.getByLabel('Password').fill('not my password');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect
      .poll(() => page.locator('#proof-error').textContent())
      .toBe('That password is not right. Try again.');
    await checkState(page, '360-proof-wrong-password');
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // The change went ahead after the proof.
    await page.getByRole('heading', { name: 'Scan this QR code with your authenticator app' }).waitFor();
    expect(await sessionState(t, sessionId!)).toEqual({ ended: false, reason: null });

    // Changing the password: the current one checked, every other session ended, this one kept.
    await page.getByRole('button', { name: 'Cancel' }).click();
    const passwordForm = page.locator('#password-section');
    await passwordForm.getByLabel('Current password').fill(PASSWORD);
    await passwordForm.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect
      .poll(() => page.locator('#status').textContent())
      .toBe('Password changed. Every other device has been signed out.');
    expect(await sessionState(t, sessionId!)).toEqual({ ended: false, reason: null });
    expect(scriptErrors(errors)).toEqual([]);
  });

  it('changes the email address: a link to the new one, which completes the change', {
    timeout: 90_000,
  }, async () => {
    const user = await verifiedUser('change');
    const newEmail = uniqueEmail('changed');
    const { page, errors } = await device();
    await signIn(page, user.email);
    await page.getByLabel('New email address').fill(newEmail);
    await page.getByRole('button', { name: 'Change email' }).click();
    await expect
      .poll(() => page.locator('#status').textContent())
      .toMatch(new RegExp(`^We sent a link to ${newEmail}`));
    await checkState(page, 'email-change-sent');
    const mail = await mailTo(newEmail, /.+/);
    expect(mail.link).toMatch(new RegExp(`^${base}/account#verify=[\\w-]{43}$`));
    await page.goto(mail.link!);
    await expect
      .poll(() => page.locator('#verify-result').textContent())
      .toBe('Your email address is verified. Thank you.');
    // The old address can no longer sign in; the new one can (on another device).
    const other = await device();
    await passwordStep(other.page, user.email);
    await expect
      .poll(() => other.page.locator('#sign-in-error').textContent())
      .toBe('That email and password do not match an account.');
    await signIn(other.page, newEmail);
    expect(await other.page.locator('#profile-email').textContent()).toBe(newEmail);
    expect(scriptErrors([...errors, ...other.errors])).toEqual([]);
  });
});
