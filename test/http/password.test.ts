import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  login,
  PASSWORD,
  register,
  type SignedIn,
  sessionState,
  signedInUser,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from '../support/harness.js';

const NEW_PASSWORD = 'a brand new passphrase';

describe.each(backends)('POST /auth/password on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  const change = (who: SignedIn | null, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/auth/password',
      headers: { ...(who?.headers ?? {}), ...headers },
      payload: payload as string,
    });
  const me = (who: SignedIn) => t.app.inject({ method: 'GET', url: '/auth/me', headers: who.headers });
  const refresh = (who: SignedIn) =>
    t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: who.refreshToken } });
  const tryLogin = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });

  it('changes the password and ends every other session of the user, keeping this one', async () => {
    const a = await signedInUser(t);
    const [b, c] = [await login(t, a.user.email), await login(t, a.user.email)];
    const stranger = await signedInUser(t);

    const res = await change(a, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ message: 'Password changed' });
    expect(res.headers['cache-control']).toBe('no-store');

    expect((await me(a)).statusCode).toBe(200);
    expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
    for (const s of [b, c]) {
      expect(await sessionState(t, s.session.id)).toEqual({ ended: true, reason: 'password_changed' });
      expectEnvelope(await me(s), 'UNAUTHORIZED', /ended/);
      expectEnvelope(await refresh(s), 'UNAUTHORIZED');
    }
    expect((await me(stranger)).statusCode).toBe(200);

    expectEnvelope(await tryLogin(a.user.email, PASSWORD), 'UNAUTHORIZED');
    expect((await tryLogin(a.user.email, NEW_PASSWORD)).statusCode).toBe(200);

    const audit = await t.store.listAuditEvents({ userId: a.user.id, limit: 50 });
    expect(audit.find((e) => e.action === 'user.password_changed')).toMatchObject({
      actorUserId: a.user.id,
      sessionIds: [a.session.id],
    });
    const ended = audit.filter((e) => e.action === 'session.ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ reason: 'password_changed', actorUserId: a.user.id });
    expect(new Set(ended[0]?.sessionIds)).toEqual(new Set([b.session.id, c.session.id]));
  });

  it('succeeds with no other session to end', async () => {
    const a = await signedInUser(t);
    expect((await change(a, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).statusCode).toBe(200);
    expect((await me(a)).statusCode).toBe(200);
  });

  describe('401', () => {
    it('when the current password is wrong, and changes nothing', async () => {
      const a = await signedInUser(t);
      const b = await login(t, a.user.email);
      const res = await change(a, { currentPassword: 'not my password', newPassword: NEW_PASSWORD });
      expectEnvelope(res, 'UNAUTHORIZED', 'Current password is incorrect');
      expect(await sessionState(t, b.session.id)).toEqual({ ended: false, reason: null });
      expect((await me(a)).statusCode).toBe(200);
      expect((await tryLogin(a.user.email, PASSWORD)).statusCode).toBe(200);
      const audit = await t.store.listAuditEvents({ userId: a.user.id, limit: 50 });
      expect(audit.some((e) => e.action === 'password.change_failed')).toBe(true);
    });

    it('without a bearer token', async () => {
      expectEnvelope(
        await change(null, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
        'UNAUTHORIZED',
      );
    });

    it('when the session has ended', async () => {
      const a = await signedInUser(t);
      expect(
        (await t.app.inject({ method: 'POST', url: '/auth/logout', headers: a.headers })).statusCode,
      ).toBe(200);
      expectEnvelope(
        await change(a, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
        'UNAUTHORIZED',
        /ended/,
      );
      expect((await tryLogin(a.user.email, PASSWORD)).statusCode).toBe(200);
    });
  });

  describe('422 for a new password that breaks a rule', () => {
    it.each([
      ['too short', 'short'],
      ['too common', 'password123'],
      ['too few different characters', 'aaaaaaaaaaab'],
      ['the same as the current one', PASSWORD],
    ])('%s', async (_label, newPassword) => {
      const a = await signedInUser(t);
      const b = await login(t, a.user.email);
      const body = expectEnvelope(
        await change(a, { currentPassword: PASSWORD, newPassword }),
        'VALIDATION_ERROR',
      );
      expect(body.details).toEqual([{ path: '/newPassword', message: body.description }]);
      expect(await sessionState(t, b.session.id)).toEqual({ ended: false, reason: null });
      expect((await tryLogin(a.user.email, PASSWORD)).statusCode).toBe(200);
    });

    it('the local part of the email', async () => {
      const email = uniqueEmail('longlocalpart');
      await register(t, email);
      const a = await login(t, email);
      const local = email.split('@')[0] as string;
      expectEnvelope(
        await change(a, { currentPassword: PASSWORD, newPassword: local }),
        'VALIDATION_ERROR',
        /email/,
      );
    });

    it.each([
      ['a missing field', { currentPassword: PASSWORD }],
      ['an unknown field', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirm: NEW_PASSWORD }],
      ['a field of the wrong type', { currentPassword: PASSWORD, newPassword: 12345678 }],
      ['an empty current password', { currentPassword: '', newPassword: NEW_PASSWORD }],
    ])('and for %s', async (_label, payload) => {
      const a = await signedInUser(t);
      expectEnvelope(await change(a, payload), 'VALIDATION_ERROR');
    });
  });

  describe('400 for a body that cannot be read', () => {
    it.each([
      ['malformed JSON', '{"currentPassword":', { 'content-type': 'application/json' }],
      ['a JSON array', '[]', { 'content-type': 'application/json' }],
    ])('%s', async (_label, payload, headers) => {
      const a = await signedInUser(t);
      expectEnvelope(await change(a, payload, headers), 'INVALID_INPUT');
    });
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths['/auth/password'].post;
    expect(op.summary).toBe('Change my password');
    // The account page changes the password with its session cookie.
    expect(op.security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
    expect(Object.keys(op.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '413',
      '422',
      '429',
      '500',
      '503',
    ]);
    expect(op.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/PasswordChangeRequest',
    });
    expect(Object.keys(doc.components.schemas.PasswordChangeRequest.properties).sort()).toEqual([
      'currentPassword',
      'newPassword',
    ]);
  });
});

describe.each(backends)('POST /auth/password rate limits on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, {
      RATE_LIMITS: 'on',
      RATE_LIMIT_PER_ACCOUNT: '4',
      RATE_LIMIT_PER_IP: '1000',
    });
  });
  afterAll(() => t.close());

  it('limits guesses at the current password per account, from any address', async () => {
    // Its login spends one of the account's four.
    const a = await signedInUser(t);
    const guess = (n: number) =>
      t.app.inject({
        method: 'POST',
        url: '/auth/password',
        headers: a.headers,
        remoteAddress: `10.0.0.${n}`,
        payload: { currentPassword: `guess number ${n}`, newPassword: NEW_PASSWORD },
      });
    for (const n of [1, 2, 3])
      expectEnvelope(await guess(n), 'UNAUTHORIZED', 'Current password is incorrect');
    const limited = await guess(4);
    expectEnvelope(limited, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Login attempts on the same account share the budget: each is a guess at its password.
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      remoteAddress: '10.0.0.99',
      payload: { email: a.user.email, password: PASSWORD },
    });
    expectEnvelope(res, 'RATE_LIMITED');
  });

  it('limits requests per address', async () => {
    const limited = await startTestApp(backend, { RATE_LIMITS: 'on', RATE_LIMIT_PER_IP: '2' });
    try {
      const a = await signedInUser(limited);
      const res = await limited.app.inject({
        method: 'POST',
        url: '/auth/password',
        headers: a.headers,
        payload: { currentPassword: 'wrong password', newPassword: NEW_PASSWORD },
      });
      // register and login spent this address's two requests.
      expectEnvelope(res, 'RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});
