import * as argon2 from '@node-rs/argon2';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashRefreshToken } from '../../src/domain/tokens.js';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  expectSameAnswers,
  PASSWORD,
  register,
  startTestApp,
  type TestApp,
  type TokenBody,
  uniqueEmail,
} from '../support/harness.js';

// Counts argon2 verifications, to show that an unknown email costs one too (same answer, similar time).
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...actual, verify: vi.fn(actual.verify) };
});

describe.each(backends)('POST /auth/login on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    vi.mocked(argon2.verify).mockClear();
  });

  const tryLogin = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/auth/login', payload: payload as string, headers });

  const auditOf = async (userAgent: string) =>
    (await t.store.listAuditEvents({ limit: 10_000 })).filter((e) => e.userAgent === userAgent);

  describe('200: opens a session', () => {
    it('answers the token response of docs/api.md §3, exactly', async () => {
      const user = await register(t, uniqueEmail(), PASSWORD, 'Ada');
      const res = await tryLogin({ email: user.email, password: PASSWORD });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as TokenBody;
      expect(Object.keys(body).sort()).toEqual(
        [
          'accessToken',
          'expiresIn',
          'refreshExpiresIn',
          'refreshToken',
          'session',
          'tokenType',
          'user',
        ].sort(),
      );
      expect(body.tokenType).toBe('Bearer');
      expect(body.expiresIn).toBe(900);
      expect(body.refreshExpiresIn).toBeGreaterThanOrEqual(2_592_000 - 2);
      expect(body.refreshExpiresIn).toBeLessThanOrEqual(2_592_000);
      expect(body.user).toEqual({
        id: user.id,
        email: user.email,
        name: 'Ada',
        roles: ['user'],
        emailVerified: false,
      });
      expect(Object.keys(body.session).sort()).toEqual(['createdAt', 'expiresAt', 'id']);
      expect(body.session.id).toMatch(/^[0-9a-f-]{36}$/);
      const created = Date.parse(body.session.createdAt);
      const expires = Date.parse(body.session.expiresAt);
      expect(new Date(created).toISOString()).toBe(body.session.createdAt);
      expect(Math.abs(created - Date.now())).toBeLessThan(60_000);
      expect(Math.abs(expires - created - 2_592_000_000)).toBeLessThan(5_000);
    });

    it('sends Cache-Control: no-store (RFC 6749 §5.1)', async () => {
      const user = await register(t);
      const res = await tryLogin({ email: user.email, password: PASSWORD });
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.pragma).toBe('no-cache');
    });

    it('issues an access token signed by the current key, naming the user and session', async () => {
      const user = await register(t);
      const body = (await tryLogin({ email: user.email, password: PASSWORD })).json() as TokenBody;
      const header = decodeProtectedHeader(body.accessToken);
      expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt', kid: t.ctx.keys.signingKey.kid });
      const key = await t.ctx.keys.verificationKey(header.kid as string);
      const { payload } = await jwtVerify(body.accessToken, key as NonNullable<typeof key>);
      expect(payload).toMatchObject({ sub: user.id, sid: body.session.id, iss: 'gatehouse' });
      expect((payload.exp as number) - (payload.iat as number)).toBe(900);
      // The refresh token is opaque, not a JWT.
      expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('accepts the email in any letter case', async () => {
      const user = await register(t);
      const res = await tryLogin({ email: user.email.toUpperCase(), password: PASSWORD });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user.id).toBe(user.id);
    });

    it('stores a session row with the address and user agent, and only a hash of the refresh token', async () => {
      const user = await register(t);
      const res = await tryLogin({ email: user.email, password: PASSWORD }, { 'user-agent': 'Phone/1.0' });
      const body = res.json() as TokenBody;
      const session = await t.store.findSession(body.session.id);
      expect(session).toMatchObject({
        id: body.session.id,
        userId: user.id,
        endedAt: null,
        endReason: null,
        ip: '127.0.0.1',
        userAgent: 'Phone/1.0',
      });
      expect(session?.createdAt.toISOString()).toBe(body.session.createdAt);
      expect(session?.expiresAt.toISOString()).toBe(body.session.expiresAt);
      const rows = await t.database.db.query<{ token_hash: Buffer }>(
        'SELECT token_hash FROM refresh_tokens WHERE session_id = $1',
        [body.session.id],
      );
      expect(rows).toHaveLength(1);
      expect(Buffer.from(rows[0]?.token_hash ?? [])).toEqual(hashRefreshToken(body.refreshToken));
    });

    it('records a session.created audit event', async () => {
      const user = await register(t);
      const body = (
        await tryLogin({ email: user.email, password: PASSWORD }, { 'user-agent': 'audit-created' })
      ).json() as TokenBody;
      const events = await auditOf('audit-created');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'session.created',
        reason: 'login',
        actorUserId: user.id,
        targetUserId: user.id,
        sessionIds: [body.session.id],
        ip: '127.0.0.1',
      });
    });

    it('logs in an account registered with an NFC password from a keyboard that types NFD', async () => {
      const nfc = 'cr\u00e8me br\u00fbl\u00e9e au caf\u00e9';
      const user = await register(t, uniqueEmail('nfc'), nfc);
      const res = await tryLogin({ email: user.email, password: nfc.normalize('NFD') });
      expect(res.statusCode, res.body).toBe(200);
    });

    it('opens a new session on every login; earlier sessions stay active', async () => {
      const user = await register(t);
      const first = (await tryLogin({ email: user.email, password: PASSWORD })).json() as TokenBody;
      const second = (await tryLogin({ email: user.email, password: PASSWORD })).json() as TokenBody;
      expect(second.session.id).not.toBe(first.session.id);
      const active = await t.store.listActiveSessions(user.id);
      expect(active.map((s) => s.id).sort()).toEqual([first.session.id, second.session.id].sort());
    });
  });

  describe('401: wrong credentials', () => {
    it('gives byte-identical answers for a wrong password and an unknown email', async () => {
      const user = await register(t);
      const wrong = await tryLogin({ email: user.email, password: 'not the password at all' });
      const unknown = await tryLogin({ email: uniqueEmail('nobody'), password: 'not the password at all' });
      expectEnvelope(wrong, 'UNAUTHORIZED', 'Invalid email or password');
      expectEnvelope(unknown, 'UNAUTHORIZED', 'Invalid email or password');
      expectSameAnswers([wrong, unknown]);
    });

    it('verifies a password against a hash even when the email is unknown (no timing shortcut)', async () => {
      const res = await tryLogin({ email: uniqueEmail('nobody'), password: 'not the password at all' });
      expect(res.statusCode).toBe(401);
      expect(argon2.verify).toHaveBeenCalledTimes(1);
      expect(vi.mocked(argon2.verify).mock.calls[0]?.[0]).toMatch(/^\$argon2id\$/);
      expect(vi.mocked(argon2.verify).mock.calls[0]?.[1]).toBe('not the password at all');
    });

    it('verifies exactly once for a wrong password too', async () => {
      const user = await register(t);
      vi.mocked(argon2.verify).mockClear();
      expect((await tryLogin({ email: user.email, password: 'not the password at all' })).statusCode).toBe(
        401,
      );
      expect(argon2.verify).toHaveBeenCalledTimes(1);
    });

    it('opens no session and records login.failed naming the account as its target', async () => {
      const user = await register(t);
      const res = await tryLogin(
        { email: user.email, password: 'not the password at all' },
        { 'user-agent': 'audit-failed' },
      );
      expectEnvelope(res, 'UNAUTHORIZED');
      expect(await t.store.listActiveSessions(user.id)).toEqual([]);
      const events = await auditOf('audit-failed');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'login.failed',
        reason: 'bad_credentials',
        actorUserId: null,
        targetUserId: user.id,
        sessionIds: [],
        ip: '127.0.0.1',
        details: {},
      });
    });

    it('records login.failed with no target for an unknown email', async () => {
      await tryLogin({ email: uniqueEmail('nobody'), password: PASSWORD }, { 'user-agent': 'audit-unknown' });
      const events = await auditOf('audit-unknown');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'login.failed',
        reason: 'bad_credentials',
        targetUserId: null,
        details: {},
      });
    });

    it('answers a disabled account with the right password exactly as a wrong password, after one verification', async () => {
      const user = await register(t);
      const wrong = await tryLogin({ email: user.email, password: 'not the password at all' });
      await t.store.setUserDisabled(user.id, true);
      vi.mocked(argon2.verify).mockClear();
      const disabled = await tryLogin(
        { email: user.email, password: PASSWORD },
        { 'user-agent': 'disabled' },
      );
      expectEnvelope(disabled, 'UNAUTHORIZED', 'Invalid email or password');
      expect(disabled.body).toBe(wrong.body);
      expect(argon2.verify).toHaveBeenCalledTimes(1);
      expect(await t.store.listActiveSessions(user.id)).toEqual([]);
      expect(await auditOf('disabled')).toMatchObject([
        { action: 'login.failed', reason: 'account_disabled', targetUserId: user.id },
      ]);
    });

    it('opens no session when the account is disabled while its password is being verified', async () => {
      const user = await register(t);
      // The row the password is checked against is read before the operator acts; the
      // login's own transaction must see the change and refuse.
      const read = t.store.findUserByEmail.bind(t.store);
      const spy = vi.spyOn(t.store, 'findUserByEmail').mockImplementationOnce(async (email) => {
        const row = await read(email);
        await t.store.setUserDisabled(user.id, true);
        return row;
      });
      try {
        const res = await tryLogin({ email: user.email, password: PASSWORD }, { 'user-agent': 'raced' });
        expectEnvelope(res, 'UNAUTHORIZED', 'Invalid email or password');
      } finally {
        spy.mockRestore();
      }
      expect(await t.store.listActiveSessions(user.id)).toEqual([]);
      expect(await auditOf('raced')).toMatchObject([{ action: 'login.failed', reason: 'account_disabled' }]);
    });

    it('opens no session when the password is replaced while the old one is being verified', async () => {
      const user = await register(t);
      const read = t.store.findUserByEmail.bind(t.store);
      const spy = vi.spyOn(t.store, 'findUserByEmail').mockImplementationOnce(async (email) => {
        const row = await read(email);
        await t.store.setPasswordHash(user.id, '$argon2id$v=19$m=19456,t=2,p=1$replaced$replaced');
        return row;
      });
      try {
        expectEnvelope(await tryLogin({ email: user.email, password: PASSWORD }), 'UNAUTHORIZED');
      } finally {
        spy.mockRestore();
      }
      expect(await t.store.listActiveSessions(user.id)).toEqual([]);
    });

    it('refuses the password of another account', async () => {
      const a = await register(t);
      const b = await register(t, uniqueEmail(), 'a different good passphrase');
      expectEnvelope(
        await tryLogin({ email: a.email, password: 'a different good passphrase' }),
        'UNAUTHORIZED',
      );
      expect(await t.store.listActiveSessions(b.id)).toEqual([]);
    });
  });

  describe('422 and 400: a request that is not a login attempt', () => {
    it.each([
      ['a missing password', { email: 'x@example.test' }, '/password', /is required/],
      ['a missing email', { password: PASSWORD }, '/email', /is required/],
      ['an empty password', { email: 'x@example.test', password: '' }, '/password', /.+/],
      [
        'an unknown field',
        { email: 'x@example.test', password: PASSWORD, rememberMe: true },
        '/rememberMe',
        /allowed/,
      ],
      [
        "a password with a lone surrogate (it cannot be any account's)",
        { email: 'x@example.test', password: '\uD800\uD801\uD802\uD803\uDC00\uDC01\uDC02\uDC03' },
        '/password',
        /valid Unicode/,
      ],
      [
        'a deviceName over 100 characters',
        { email: 'x@example.test', password: PASSWORD, deviceName: 'x'.repeat(101) },
        '/deviceName',
        /100/,
      ],
      [
        'a deviceName with a control character',
        { email: 'x@example.test', password: PASSWORD, deviceName: 'my\nphone' },
        '/deviceName',
        /not allowed/,
      ],
      [
        'a deviceName with a C1 control character',
        { email: 'x@example.test', password: PASSWORD, deviceName: 'my\u0085phone' },
        '/deviceName',
        /not allowed/,
      ],
      [
        'an empty deviceName',
        { email: 'x@example.test', password: PASSWORD, deviceName: '' },
        '/deviceName',
        /.+/,
      ],
      [
        'a password of the wrong type',
        { email: 'x@example.test', password: 12345678 },
        '/password',
        /string/,
      ],
    ])('answers 422 for %s, checking no password', async (_label, payload, path, message) => {
      const body = expectEnvelope(await tryLogin(payload), 'VALIDATION_ERROR');
      const details = body.details as { path: string; message: string }[];
      expect(details[0]?.path).toBe(path);
      expect(details[0]?.message).toMatch(message);
      expect(argon2.verify).not.toHaveBeenCalled();
    });

    it.each([
      ['malformed JSON', '{"email":', 'application/json'],
      ['a JSON array', '[{"email":"x@example.test"}]', 'application/json'],
      ['a form body', 'email=x&password=y', 'application/x-www-form-urlencoded'],
    ])('answers 400 for %s', async (_label, payload, contentType) => {
      expectEnvelope(await tryLogin(payload, { 'content-type': contentType }), 'INVALID_INPUT');
      expect(argon2.verify).not.toHaveBeenCalled();
    });
  });
});
