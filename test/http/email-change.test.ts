import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { appClock } from '../support/app-clock.js';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  login,
  PASSWORD,
  register,
  type SignedIn,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from '../support/harness.js';
import { mailerFor } from '../support/mail.js';
import { SmtpSink } from '../support/smtp-sink.js';

const FRESH = 60;

describe.each(backends)('POST /auth/email (docs/api.md §8) on $name', (backend) => {
  let t: TestApp;
  let sink: SmtpSink;
  let deliver: () => Promise<number>;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp(backend, {
      PUBLIC_URL: 'https://id.example.test',
      MAIL_URL: sink.url,
      FRESH_AUTH_MAX_AGE: String(FRESH),
    });
    deliver = mailerFor(t, sink).deliver;
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

  const change = (who: SignedIn | null, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/auth/email',
      headers: who?.headers ?? {},
      payload: payload as object,
    });
  const verify = (token: string | null | undefined) =>
    t.app.inject({ method: 'POST', url: '/auth/email/verify', payload: { token } });
  const signedIn = async () => {
    const user = await register(t);
    return { user, a: await login(t, user.email) };
  };

  it('202: a confirmation link to the new address, a notice to the old one; the address is unchanged until confirmed', async () => {
    const { user, a } = await signedIn();
    const newEmail = uniqueEmail('new');
    const res = await change(a, { newEmail });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ message: 'A confirmation link is on its way to the new address' });
    expect(res.headers['cache-control']).toBe('no-store');
    await deliver();
    const [confirmation] = sink.to(newEmail);
    expect(confirmation?.subject).toBe('Confirm your new email address');
    expect(confirmation?.link).toMatch(/^https:\/\/id\.example\.test\/account#verify=/);
    const notice = sink.to(user.email).find((m) => m.subject === 'Your email address is being changed');
    expect(notice?.text).toContain(newEmail);
    expect(notice?.link).toBeNull();
    expect(notice?.html).toContain('change your password');
    expect((await t.store.findUserById(user.id))?.email).toBe(user.email);
    const events = await t.store.listAuditEvents({ userId: user.id, limit: 10 });
    expect(events.find((e) => e.action === 'user.email_change_requested')).toMatchObject({
      actorUserId: user.id,
      sessionIds: [a.session.id],
    });
  });

  it('the confirmation link moves the account to the new, verified address: log in with it, not the old', async () => {
    const { user, a } = await signedIn();
    const newEmail = uniqueEmail('new');
    await change(a, { newEmail });
    await deliver();
    const res = await verify(sink.to(newEmail)[0]?.token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user).toEqual({
      id: user.id,
      email: newEmail,
      name: null,
      roles: ['user'],
      emailVerified: true,
    });
    const login200 = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: newEmail, password: PASSWORD },
    });
    expect(login200.statusCode).toBe(200);
    expectEnvelope(
      await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: user.email, password: PASSWORD },
      }),
      'UNAUTHORIZED',
    );
    const events = await t.store.listAuditEvents({ userId: user.id, limit: 10 });
    expect(events.find((e) => e.action === 'user.email_changed')).toBeDefined();
  });

  it('after the change, a verification link for the old address no longer works', async () => {
    const { user, a } = await signedIn();
    await deliver();
    const oldLink = sink.to(user.email)[0]!.token;
    const newEmail = uniqueEmail('new');
    await change(a, { newEmail });
    await deliver();
    expect((await verify(sink.to(newEmail)[0]?.token)).statusCode).toBe(200);
    expectEnvelope(await verify(oldLink), 'INVALID_TOKEN');
  });

  it('403 REAUTHENTICATION_REQUIRED without a fresh proof; nothing is queued', async () => {
    clock.freeze();
    const { a } = await signedIn();
    clock.advance((FRESH + 1) * 1000);
    const newEmail = uniqueEmail('new');
    expectEnvelope(await change(a, { newEmail }), 'REAUTHENTICATION_REQUIRED');
    expect((await t.store.listMails(100)).filter((m) => m.to === newEmail)).toEqual([]);
    // A new proof lets it through.
    const re = await t.app.inject({
      method: 'POST',
      url: '/auth/reauthenticate',
      headers: a.headers,
      payload: { password: PASSWORD },
    });
    expect(re.statusCode).toBe(200);
    expect((await change(a, { newEmail })).statusCode).toBe(202);
  });

  it('the account page may ask with its session cookie, from its own origin only', async () => {
    const user = await register(t);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/account/login',
      headers: { 'sec-fetch-site': 'same-origin' },
      payload: { email: user.email, password: PASSWORD },
    });
    const cookie = [signIn.headers['set-cookie'] ?? []]
      .flat()
      .find((c) => c.startsWith('gatehouse_session='))
      ?.split(';')[0];
    expect(cookie).toBeDefined();
    const ask = (site: string) =>
      t.app.inject({
        method: 'POST',
        url: '/auth/email',
        headers: { cookie: cookie as string, 'sec-fetch-site': site },
        payload: { newEmail: uniqueEmail('page') },
      });
    expectEnvelope(await ask('cross-site'), 'FORBIDDEN');
    expect((await ask('same-origin')).statusCode).toBe(202);
  });

  it('401 without a bearer token', async () => {
    expectEnvelope(await change(null, { newEmail: uniqueEmail() }), 'UNAUTHORIZED');
  });

  it('409 when another account has the new address; nothing is queued', async () => {
    const other = await register(t);
    const { a } = await signedIn();
    await deliver();
    const before = (await t.store.listMails(1000)).length;
    expectEnvelope(await change(a, { newEmail: other.email.toUpperCase() }), 'CONFLICT');
    expect((await t.store.listMails(1000)).length).toBe(before);
  });

  it('409 at confirmation when the address was taken meanwhile; the account keeps its address', async () => {
    const { user, a } = await signedIn();
    const newEmail = uniqueEmail('contested');
    await change(a, { newEmail });
    await deliver();
    await register(t, newEmail);
    expectEnvelope(await verify(sink.to(newEmail)[0]?.token), 'CONFLICT');
    expect((await t.store.findUserById(user.id))?.email).toBe(user.email);
  });

  it('422 for the current address, for something that is not an address, for an unknown field', async () => {
    const { user, a } = await signedIn();
    expectEnvelope(await change(a, { newEmail: user.email }), 'VALIDATION_ERROR');
    expectEnvelope(await change(a, { newEmail: 'not-an-address' }), 'VALIDATION_ERROR');
    expectEnvelope(await change(a, { newEmail: uniqueEmail(), password: PASSWORD }), 'VALIDATION_ERROR');
  });

  it('400 for a body that is not JSON', async () => {
    const { a } = await signedIn();
    expectEnvelope(
      await t.app.inject({
        method: 'POST',
        url: '/auth/email',
        headers: { ...a.headers, 'content-type': 'application/json' },
        payload: '"ada@example.org"',
      }),
      'INVALID_INPUT',
    );
  });
});
