import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { appClock } from '../support/app-clock.js';
import { backends } from '../support/backends.js';
import { addPasskey, assertion, authenticatorFor } from '../support/factors.js';
import {
  expectEnvelope,
  expectSameAnswers,
  login,
  PASSWORD,
  register,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from '../support/harness.js';
import { mailerFor } from '../support/mail.js';
import { SmtpSink } from '../support/smtp-sink.js';

const PUBLIC_URL = 'https://id.example.test';
const RESEND_BODY = { message: 'If this address needs verifying, a new link is on its way' };

describe.each(backends)('email verification (docs/api.md §8) on $name', (backend) => {
  let t: TestApp;
  let sink: SmtpSink;
  let deliver: () => Promise<number>;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp(backend, { PUBLIC_URL, MAIL_URL: sink.url });
    deliver = mailerFor(t, sink).deliver;
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const clock = appClock();

  const verify = (payload: unknown) =>
    t.app.inject({ method: 'POST', url: '/auth/email/verify', payload: payload as object });
  const resend = (payload: unknown, userAgent = 'vitest') =>
    t.app.inject({
      method: 'POST',
      url: '/auth/email/verify/resend',
      payload: payload as object,
      headers: { 'user-agent': userAgent },
    });
  /** The token of the latest mail to `email`, after delivering what is queued. */
  const tokenMailedTo = async (email: string) => {
    await deliver();
    const mails = sink.to(email);
    const token = mails.at(-1)?.token;
    if (!token) throw new Error(`no link mailed to ${email}`);
    return token;
  };
  const auditOf = async (userId: string) =>
    (await t.store.listAuditEvents({ userId, limit: 100 })).map((e) => [e.action, e.reason]);

  describe('registration', () => {
    it('answers emailVerified: false and mails a verification link to PUBLIC_URL/account#verify=', async () => {
      const user = await register(t);
      expect(user.emailVerified).toBe(false);
      await deliver();
      const [mail] = sink.to(user.email);
      expect(mail?.subject).toBe('Verify your email address');
      expect(mail?.link).toBe(`${PUBLIC_URL}/account#verify=${mail?.token}`);
    });

    it('stores the token only as its SHA-256', async () => {
      const user = await register(t);
      const token = await tokenMailedTo(user.email);
      const rows = await t.database.db.query<{ token_hash: Uint8Array; purpose: string; email: string }>(
        `SELECT token_hash, purpose, email FROM email_tokens WHERE user_id = $1`,
        [user.id],
      );
      expect(rows).toHaveLength(1);
      const { createHash } = await import('node:crypto');
      expect(Buffer.from(rows[0]!.token_hash)).toEqual(createHash('sha256').update(token).digest());
      expect(rows[0]).toMatchObject({ purpose: 'verify', email: user.email });
      const dump = JSON.stringify(
        await t.database.db.query('SELECT * FROM email_tokens WHERE user_id = $1', [user.id]),
      );
      expect(dump).not.toContain(token);
    });
  });

  describe('POST /auth/email/verify', () => {
    it('200: marks the address verified, answers {message, user}, no-store, audited', async () => {
      const user = await register(t);
      const res = await verify({ token: await tokenMailedTo(user.email) });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({
        message: 'Email verified',
        user: { id: user.id, email: user.email, name: null, roles: ['user'], emailVerified: true },
      });
      expect((await t.store.findUserById(user.id))?.emailVerified).toBe(true);
      expect(await auditOf(user.id)).toContainEqual(['user.email_verified', null]);
    });

    it('tokens issued from then on say so: the email_verified claim and GET /auth/me', async () => {
      const user = await register(t);
      await verify({ token: await tokenMailedTo(user.email) });
      const a = await login(t, user.email);
      expect(a.user.emailVerified).toBe(true);
      const claims = JSON.parse(Buffer.from(a.accessToken.split('.')[1]!, 'base64url').toString());
      expect(claims.email_verified).toBe(true);
      const me = await t.app.inject({ method: 'GET', url: '/auth/me', headers: a.headers });
      expect(me.json().user.emailVerified).toBe(true);
    });

    it('400 INVALID_TOKEN the second time: single use', async () => {
      const user = await register(t);
      const token = await tokenMailedTo(user.email);
      expect((await verify({ token })).statusCode).toBe(200);
      expectEnvelope(await verify({ token }), 'INVALID_TOKEN');
    });

    it('400 INVALID_TOKEN for an unknown token, and for one of the wrong form', async () => {
      expectEnvelope(await verify({ token: 'q3Z8mN1vB7xK0pLs4dT9wYc2eRf6uJh5gAi8oEk3nMw' }), 'INVALID_TOKEN');
      expectEnvelope(await verify({ token: 'short' }), 'INVALID_TOKEN');
    });

    it('works until 24 hours after it was issued, not at 24 hours', async () => {
      clock.freeze();
      const early = await register(t);
      const late = await register(t);
      const earlyToken = await tokenMailedTo(early.email);
      const lateToken = await tokenMailedTo(late.email);
      clock.advance(24 * 3600_000 - 1000);
      expect((await verify({ token: earlyToken })).statusCode).toBe(200);
      clock.advance(1000);
      expectEnvelope(await verify({ token: lateToken }), 'INVALID_TOKEN');
      expect((await t.store.findUserById(late.id))?.emailVerified).toBe(false);
    });

    it('a reset link is not a verification link', async () => {
      const user = await register(t);
      await t.app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: user.email } });
      await deliver();
      const reset = sink.to(user.email).find((m) => m.subject === 'Reset your password');
      expectEnvelope(await verify({ token: reset!.token }), 'INVALID_TOKEN');
    });

    it('400 for a body that is not JSON; 422 for a missing token or an unknown field', async () => {
      const bad = await t.app.inject({
        method: 'POST',
        url: '/auth/email/verify',
        payload: '{"token":',
        headers: { 'content-type': 'application/json' },
      });
      expectEnvelope(bad, 'INVALID_INPUT');
      expectEnvelope(await verify({}), 'VALIDATION_ERROR');
      expectEnvelope(await verify({ token: 'x', extra: 1 }), 'VALIDATION_ERROR');
    });
  });

  describe('POST /auth/email/verify/resend', () => {
    beforeEach(async () => {
      await deliver();
    });

    it('202 and a new working link for an unverified account', async () => {
      const user = await register(t);
      await deliver();
      const res = await resend({ email: user.email.toUpperCase() });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual(RESEND_BODY);
      await deliver();
      const mails = sink.to(user.email);
      expect(mails).toHaveLength(2);
      expect(mails[1]!.token).not.toBe(mails[0]!.token);
      expect((await verify({ token: mails[1]!.token })).statusCode).toBe(200);
      expect(await auditOf(user.id)).toContainEqual(['email.verification_requested', null]);
    });

    it('the same 202, and no mail, for a verified account, an unknown address, a disabled account', async () => {
      const verified = await register(t);
      await verify({ token: await tokenMailedTo(verified.email) });
      const disabled = await register(t);
      await deliver();
      await t.store.setUserDisabled(disabled.id, true);
      const before = sink.received.length;
      const answers = [
        await resend({ email: verified.email }, 'resend-verified'),
        await resend({ email: uniqueEmail('nobody') }, 'resend-unknown'),
        await resend({ email: disabled.email }, 'resend-disabled'),
      ];
      expect(answers[0]!.statusCode).toBe(202);
      expectSameAnswers(answers);
      await deliver();
      expect(sink.received.length).toBe(before);
      const reasons = (await t.store.listAuditEvents({ limit: 1000 }))
        .filter((e) => e.action === 'email.verification_requested' && e.userAgent?.startsWith('resend-'))
        .map((e) => [e.userAgent, e.reason])
        .sort();
      expect(reasons).toEqual([
        ['resend-disabled', 'account_disabled'],
        ['resend-unknown', 'unknown_account'],
        ['resend-verified', 'already_verified'],
      ]);
    });

    it('422 for an address that is not one, or an unknown field; 400 for a body that is not an object', async () => {
      expectEnvelope(await resend({ email: 'not-an-address' }), 'VALIDATION_ERROR');
      expectEnvelope(await resend({ email: uniqueEmail(), more: true }), 'VALIDATION_ERROR');
      expectEnvelope(
        await t.app.inject({
          method: 'POST',
          url: '/auth/email/verify/resend',
          payload: '[]',
          headers: { 'content-type': 'application/json' },
        }),
        'INVALID_INPUT',
      );
    });
  });
});

describe.each(backends)('REQUIRE_VERIFIED_EMAIL=on on $name', (backend) => {
  let t: TestApp;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp(backend, { MAIL_URL: sink.url, REQUIRE_VERIFIED_EMAIL: 'on' });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });
  const tryLogin = (email: string, password: string, url = '/auth/login') =>
    t.app.inject({
      method: 'POST',
      url,
      payload: { email, password },
      headers: { 'user-agent': 'unverified' },
    });

  it('403 EMAIL_NOT_VERIFIED for the right password of an unverified account; no session; audited', async () => {
    const user = await register(t);
    const res = await tryLogin(user.email, PASSWORD);
    expectEnvelope(res, 'EMAIL_NOT_VERIFIED');
    expect(await t.store.listActiveSessions(user.id)).toEqual([]);
    const events = await t.store.listAuditEvents({ userId: user.id, limit: 10 });
    expect(events.find((e) => e.action === 'login.denied')).toMatchObject({ reason: 'email_not_verified' });
  });

  it('the account page sign-in too', async () => {
    const user = await register(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/account/login',
      payload: { email: user.email, password: PASSWORD },
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expectEnvelope(res, 'EMAIL_NOT_VERIFIED');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  /**
   * An unverified account with a passkey: one that had it before REQUIRE_VERIFIED_EMAIL was
   * turned on (made here by adding it while verified, then unverifying the address).
   */
  async function unverifiedWithPasskey() {
    const user = await register(t);
    await t.store.setEmailVerified(user.id);
    const who = await login(t, user.email);
    const authenticator = authenticatorFor(t);
    await addPasskey(t, who, authenticator);
    await t.database.db.query('UPDATE users SET email_verified_at = NULL WHERE id = $1', [user.id]);
    return { user, authenticator };
  }

  it.each([
    ['/auth/login/passkey', {}],
    ['/account/login/passkey', { 'sec-fetch-site': 'same-origin' }],
  ])(
    'a passkey sign-in at %s too: 403 once the passkey verifies, no session, audited',
    async (url, headers) => {
      const { user, authenticator } = await unverifiedWithPasskey();
      const sessions = (await t.store.listActiveSessions(user.id)).map((s) => s.id);
      const before = (await t.store.listAuditEvents({ userId: user.id, limit: 50 })).length;
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers,
        payload: await assertion(t, authenticator),
      });
      expectEnvelope(res, 'EMAIL_NOT_VERIFIED');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect((await t.store.listActiveSessions(user.id)).map((s) => s.id)).toEqual(sessions);
      // Newest first: one event more, the denial.
      const events = await t.store.listAuditEvents({ userId: user.id, limit: 50 });
      expect(events.length - before).toBe(1);
      expect(events[0]).toMatchObject({ action: 'login.denied', reason: 'email_not_verified' });
    },
  );

  it('a passkey answer that does not verify still gets the 401 of any failed sign-in', async () => {
    const { authenticator } = await unverifiedWithPasskey();
    expectEnvelope(
      await t.app.inject({
        method: 'POST',
        url: '/auth/login/passkey',
        payload: await assertion(t, authenticator, { origin: 'https://evil.example.test' }),
      }),
      'UNAUTHORIZED',
    );
  });

  it('a wrong password still gets the 401 of any failed login: the 403 reveals nothing', async () => {
    const user = await register(t);
    expectEnvelope(await tryLogin(user.email, 'not the password at all'), 'UNAUTHORIZED');
  });

  it('logs in once the address is verified', async () => {
    const user = await register(t);
    await mailerFor(t, sink).deliver();
    const token = sink.to(user.email)[0]!.token;
    expect(
      (await t.app.inject({ method: 'POST', url: '/auth/email/verify', payload: { token } })).statusCode,
    ).toBe(200);
    expect((await tryLogin(user.email, PASSWORD)).statusCode).toBe(200);
  });

  it('accounts an operator creates start verified and get no mail', async () => {
    const { register: registerAccount } = await import('../../src/domain/users.js');
    const email = uniqueEmail('operator');
    const user = await registerAccount(
      t.ctx,
      { email, password: PASSWORD },
      { ip: null, userAgent: 'gatehouse-cli' },
      { origin: { ip: null, userAgent: 'gatehouse-cli' }, operator: 'root' },
    );
    expect(user.emailVerified).toBe(true);
    expect((await t.store.listMails(100)).filter((m) => m.to === email)).toEqual([]);
    expect((await tryLogin(email, PASSWORD)).statusCode).toBe(200);
  });
});
