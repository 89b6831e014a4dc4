import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { setUserPassword } from '../../src/domain/accounts.js';
import { addWebhookEndpoint } from '../../src/domain/webhooks.js';
import { appClock } from '../support/app-clock.js';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  expectSameAnswers,
  login,
  PASSWORD,
  register,
  sessionState,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from '../support/harness.js';
import { mailerFor } from '../support/mail.js';
import { SmtpSink } from '../support/smtp-sink.js';

const PUBLIC_URL = 'https://id.example.test';
const FORGOT_BODY = { message: 'If an account has this address, a password reset link is on its way' };
const NEW_PASSWORD = 'a brand new passphrase';

describe.each(backends)('forgotten password (docs/api.md §8) on $name', (backend) => {
  let t: TestApp;
  let sink: SmtpSink;
  let deliver: () => Promise<number>;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp(backend, { PUBLIC_URL, MAIL_URL: sink.url, WEBHOOK_ALLOW_PRIVATE: 'on' });
    deliver = mailerFor(t, sink).deliver;
    // An operator's receiver: every ending writes its session.ended events to the outbox.
    await addWebhookEndpoint(
      t.ctx,
      { url: 'http://127.0.0.1:9/hooks', description: null },
      { allowPrivate: true },
    );
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });
  beforeEach(async () => {
    await deliver();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const clock = appClock();

  const forgot = (payload: unknown, userAgent = 'vitest') =>
    t.app.inject({
      method: 'POST',
      url: '/auth/password/forgot',
      payload: payload as object,
      headers: { 'user-agent': userAgent },
    });
  const reset = (payload: unknown) =>
    t.app.inject({ method: 'POST', url: '/auth/password/reset', payload: payload as object });
  const resetMails = (email: string) => sink.to(email).filter((m) => m.subject === 'Reset your password');
  /** A new account (its verification mail sent) and the token of a reset link mailed to it. */
  const accountWithResetLink = async () => {
    const user = await register(t);
    await forgot({ email: user.email });
    await deliver();
    const token = resetMails(user.email).at(-1)?.token;
    if (!token) throw new Error('no reset link');
    return { user, token };
  };
  const tryLogin = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });

  describe('POST /auth/password/forgot', () => {
    it('202 and a reset link to PUBLIC_URL/account#reset=, text and HTML, audited', async () => {
      const user = await register(t);
      const res = await forgot({ email: user.email });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual(FORGOT_BODY);
      expect(res.headers['cache-control']).toBe('no-store');
      await deliver();
      const [mail] = resetMails(user.email);
      expect(mail?.link).toBe(`${PUBLIC_URL}/account#reset=${mail?.token}`);
      expect(mail?.text).toContain('30 minutes');
      expect(mail?.html).toContain(`href="${mail?.link}"`);
      const events = await t.store.listAuditEvents({ userId: user.id, limit: 10 });
      expect(events.find((e) => e.action === 'password.reset_requested')).toMatchObject({
        reason: null,
        targetUserId: user.id,
      });
    });

    it('the same answer, byte for byte, for an unknown address and a disabled account, and no mail', async () => {
      const known = await register(t);
      const disabled = await register(t);
      await t.store.setUserDisabled(disabled.id, true);
      await deliver();
      const before = sink.received.length;
      const answers = [
        await forgot({ email: known.email }, 'forgot-known'),
        await forgot({ email: uniqueEmail('nobody') }, 'forgot-unknown'),
        await forgot({ email: disabled.email }, 'forgot-disabled'),
      ];
      expect(answers[0]!.statusCode).toBe(202);
      expectSameAnswers(answers);
      await deliver();
      expect(sink.received.slice(before).map((m) => m.envelope.to[0])).toEqual([known.email]);
      const audited = (await t.store.listAuditEvents({ limit: 1000 }))
        .filter((e) => e.action === 'password.reset_requested' && e.userAgent?.startsWith('forgot-'))
        .map((e) => [e.userAgent, e.reason, e.targetUserId])
        .sort();
      expect(audited).toEqual([
        ['forgot-disabled', 'account_disabled', disabled.id],
        ['forgot-known', null, known.id],
        ['forgot-unknown', 'unknown_account', null],
      ]);
    });

    // The login test counts argon2 verifications to show an unknown email costs the same; here
    // the answer is sent before anything is looked up at all, which this counts.
    it('answers before looking the address up, for a known and an unknown address alike (same timing)', async () => {
      const known = await register(t);
      const lookups = vi.spyOn(t.store, 'findUserByEmail');
      const transactions = vi.spyOn(t.store, 'transaction');
      try {
        for (const email of [known.email, uniqueEmail('nobody')]) {
          lookups.mockClear();
          transactions.mockClear();
          const res = await forgot({ email });
          expect(res.statusCode).toBe(202);
          // The answer has left: nothing about the address had been read or written yet.
          expect(lookups).not.toHaveBeenCalled();
          expect(transactions).not.toHaveBeenCalled();
          await t.ctx.mail.afterResponse.settled();
          expect(lookups).toHaveBeenCalledTimes(1);
          expect(transactions).toHaveBeenCalledTimes(1);
        }
      } finally {
        lookups.mockRestore();
        transactions.mockRestore();
      }
    });

    it('422 for an address that is not one or an unknown field; 400 for a body that is not JSON', async () => {
      expectEnvelope(await forgot({ email: 'nope' }), 'VALIDATION_ERROR');
      expectEnvelope(await forgot({ email: uniqueEmail(), password: 'x' }), 'VALIDATION_ERROR');
      expectEnvelope(
        await t.app.inject({
          method: 'POST',
          url: '/auth/password/forgot',
          payload: 'email=a@b.c',
          headers: { 'content-type': 'application/json' },
        }),
        'INVALID_INPUT',
      );
    });
  });

  describe('POST /auth/password/reset', () => {
    it('200: sets the password, ends every session (reason password_reset) with audit and webhook events', async () => {
      const { user, token } = await accountWithResetLink();
      const phone = await login(t, user.email);
      const laptop = await login(t, user.email);
      const res = await reset({ token, newPassword: NEW_PASSWORD });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ message: 'Password reset' });
      expect(res.headers['cache-control']).toBe('no-store');
      for (const s of [phone, laptop]) {
        expect(await sessionState(t, s.session.id)).toEqual({ ended: true, reason: 'password_reset' });
        // Refused at once: the ending went through the one path (revocation list, barrier).
        const me = await t.app.inject({ method: 'GET', url: '/auth/me', headers: s.headers });
        expect(me.statusCode).toBe(401);
      }
      expectEnvelope(await tryLogin(user.email, PASSWORD), 'UNAUTHORIZED');
      expect((await tryLogin(user.email, NEW_PASSWORD)).statusCode).toBe(200);
      const events = await t.store.listAuditEvents({ userId: user.id, limit: 50 });
      expect(events.find((e) => e.action === 'user.password_reset')).toBeDefined();
      const ended = events.find((e) => e.action === 'session.ended' && e.reason === 'password_reset');
      expect(ended?.sessionIds.sort()).toEqual([phone.session.id, laptop.session.id].sort());
      const deliveries = await t.store.listDeliveries({ limit: 1000 });
      const webhookReasons = deliveries
        .map((d) => (d.payload as { data: { sessionId: string; reason: string } }).data)
        .filter((d) => [phone.session.id, laptop.session.id].includes(d.sessionId))
        .map((d) => d.reason);
      expect(webhookReasons).toEqual(['password_reset', 'password_reset']);
    });

    it('also marks the address verified: the link reached it', async () => {
      const { user, token } = await accountWithResetLink();
      expect((await t.store.findUserById(user.id))?.emailVerified).toBe(false);
      expect((await reset({ token, newPassword: NEW_PASSWORD })).statusCode).toBe(200);
      expect((await t.store.findUserById(user.id))?.emailVerified).toBe(true);
    });

    it('400 INVALID_TOKEN the second time: single use', async () => {
      const { token } = await accountWithResetLink();
      expect((await reset({ token, newPassword: NEW_PASSWORD })).statusCode).toBe(200);
      expectEnvelope(await reset({ token, newPassword: 'yet another passphrase' }), 'INVALID_TOKEN');
    });

    it('one of two concurrent resets with the same token wins', async () => {
      const { token } = await accountWithResetLink();
      const [a, b] = await Promise.all([
        reset({ token, newPassword: NEW_PASSWORD }),
        reset({ token, newPassword: 'yet another passphrase' }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 400]);
    });

    it('400 INVALID_TOKEN for an unknown token and for a verification token', async () => {
      expectEnvelope(
        await reset({ token: 'q3Z8mN1vB7xK0pLs4dT9wYc2eRf6uJh5gAi8oEk3nMw', newPassword: NEW_PASSWORD }),
        'INVALID_TOKEN',
      );
      const user = await register(t);
      await deliver();
      const verification = sink.to(user.email)[0]!.token!;
      expectEnvelope(await reset({ token: verification, newPassword: NEW_PASSWORD }), 'INVALID_TOKEN');
      expect((await tryLogin(user.email, PASSWORD)).statusCode).toBe(200);
    });

    it('works until 30 minutes after it was issued, not at 30 minutes', async () => {
      clock.freeze();
      const early = await accountWithResetLink();
      const late = await accountWithResetLink();
      clock.advance(30 * 60_000 - 1000);
      expect((await reset({ token: early.token, newPassword: NEW_PASSWORD })).statusCode).toBe(200);
      clock.advance(1000);
      expectEnvelope(await reset({ token: late.token, newPassword: NEW_PASSWORD }), 'INVALID_TOKEN');
      vi.useRealTimers();
      expect((await tryLogin(late.user.email, PASSWORD)).statusCode).toBe(200);
    });

    it('422 for a weak password, and the token still works afterwards', async () => {
      const { user, token } = await accountWithResetLink();
      const weak = await reset({ token, newPassword: 'short' });
      expectEnvelope(weak, 'VALIDATION_ERROR');
      expect(weak.json().details).toEqual([{ path: '/newPassword', message: expect.any(String) }]);
      expectEnvelope(await reset({ token, newPassword: user.email }), 'VALIDATION_ERROR');
      expect((await reset({ token, newPassword: NEW_PASSWORD })).statusCode).toBe(200);
    });

    it('422 for a missing field or an unknown one; 400 for a body that is not JSON', async () => {
      expectEnvelope(await reset({ token: 'x' }), 'VALIDATION_ERROR');
      expectEnvelope(
        await reset({ token: 'x', newPassword: NEW_PASSWORD, email: 'a@b.c' }),
        'VALIDATION_ERROR',
      );
      expectEnvelope(
        await t.app.inject({
          method: 'POST',
          url: '/auth/password/reset',
          payload: '{',
          headers: { 'content-type': 'application/json' },
        }),
        'INVALID_INPUT',
      );
    });

    it('a password change (POST /auth/password) makes outstanding reset tokens invalid', async () => {
      const { user, token } = await accountWithResetLink();
      const a = await login(t, user.email);
      const change = await t.app.inject({
        method: 'POST',
        url: '/auth/password',
        headers: a.headers,
        payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      });
      expect(change.statusCode, change.body).toBe(200);
      expectEnvelope(await reset({ token, newPassword: 'yet another passphrase' }), 'INVALID_TOKEN');
      expect((await tryLogin(user.email, NEW_PASSWORD)).statusCode).toBe(200);
    });

    it("an operator's set-password (the CLI's) makes outstanding reset tokens invalid", async () => {
      const { user, token } = await accountWithResetLink();
      await setUserPassword(t.ctx, { ...user, createdAt: new Date(), roles: ['user'] }, NEW_PASSWORD, {
        origin: { ip: null, userAgent: 'gatehouse-cli' },
        operator: 'root',
      });
      expectEnvelope(await reset({ token, newPassword: 'yet another passphrase' }), 'INVALID_TOKEN');
    });

    it('a reset makes the other outstanding reset tokens of the account invalid too', async () => {
      const { user, token } = await accountWithResetLink();
      await forgot({ email: user.email });
      await deliver();
      const second = resetMails(user.email).at(-1)!.token!;
      expect(second).not.toBe(token);
      expect((await reset({ token: second, newPassword: NEW_PASSWORD })).statusCode).toBe(200);
      expectEnvelope(await reset({ token, newPassword: 'yet another passphrase' }), 'INVALID_TOKEN');
    });

    it('400 for a disabled account', async () => {
      const { user, token } = await accountWithResetLink();
      await t.store.setUserDisabled(user.id, true);
      expectEnvelope(await reset({ token, newPassword: NEW_PASSWORD }), 'INVALID_TOKEN');
    });
  });
});

describe.each(backends)('rate limits of the mailing endpoints on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { RATE_LIMITS: 'on', RATE_LIMIT_MAIL_PER_ADDRESS: '2' });
  });
  afterAll(() => t.close());

  it('429 past RATE_LIMIT_MAIL_PER_ADDRESS for one address, known or not; other addresses go on', async () => {
    const email = uniqueEmail('flooded');
    const ask = (url: string, address = email) =>
      t.app.inject({ method: 'POST', url, payload: { email: address } });
    expect((await ask('/auth/password/forgot')).statusCode).toBe(202);
    expect((await ask('/auth/email/verify/resend')).statusCode).toBe(202);
    const limited = await ask('/auth/password/forgot');
    expectEnvelope(limited, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expectEnvelope(await ask('/auth/email/verify/resend', email.toUpperCase()), 'RATE_LIMITED');
    expect((await ask('/auth/password/forgot', uniqueEmail('other'))).statusCode).toBe(202);
    await t.ctx.mail.afterResponse.settled();
  });
});
