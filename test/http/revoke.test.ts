import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRefreshToken } from '../../src/domain/tokens.js';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  login,
  type SignedIn,
  sessionState,
  signedInUser,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

describe.each(backends)('POST /auth/revoke on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  const revoke = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/auth/revoke', payload: payload as string, headers });
  const me = (who: SignedIn) => t.app.inject({ method: 'GET', url: '/auth/me', headers: who.headers });
  const refresh = (refreshToken: string) =>
    t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });

  const expectRevoked = (res: Awaited<ReturnType<typeof revoke>>) => {
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ message: 'Token revoked' });
    expect(res.headers['cache-control']).toBe('no-store');
  };

  const allAudit = async () => (await t.store.listAuditEvents({ limit: 10_000 })).length;
  const endedAudit = async (userId: string) =>
    (await t.store.listAuditEvents({ userId, limit: 50 })).filter((e) => e.action === 'session.ended');

  /** A user with two sessions: `a` to revoke, `b` that must survive. */
  async function twoDevices() {
    const a = await signedInUser(t);
    const b = await login(t, a.user.email, undefined, 'other-device');
    return [a, b] as const;
  }

  describe('200: ends the session the token belongs to', () => {
    it('for a refresh token: its session ends (reason revoked), its access token gets 401', async () => {
      const [a, b] = await twoDevices();
      expectRevoked(await revoke({ token: a.refreshToken }, { 'user-agent': 'revoke-test' }));

      expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'revoked' });
      expectEnvelope(await me(a), 'UNAUTHORIZED', /ended/);
      expectEnvelope(await refresh(a.refreshToken), 'UNAUTHORIZED');
      expect(await sessionState(t, b.session.id)).toEqual({ ended: false, reason: null });
      expect((await me(b)).statusCode).toBe(200);

      const events = await endedAudit(a.user.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        reason: 'revoked',
        actorUserId: null,
        targetUserId: a.user.id,
        sessionIds: [a.session.id],
        userAgent: 'revoke-test',
      });
    });

    it('with token_type_hint "refresh_token"', async () => {
      const a = await signedInUser(t);
      expectRevoked(await revoke({ token: a.refreshToken, token_type_hint: 'refresh_token' }));
      expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'revoked' });
    });

    it('for an access token: its session ends, and the audit names the user as actor', async () => {
      const [a, b] = await twoDevices();
      expectRevoked(await revoke({ token: a.accessToken, token_type_hint: 'access_token' }));
      expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'revoked' });
      expectEnvelope(await me(a), 'UNAUTHORIZED', /ended/);
      expectEnvelope(await refresh(a.refreshToken), 'UNAUTHORIZED');
      expect((await me(b)).statusCode).toBe(200);
      expect((await endedAudit(a.user.id))[0]).toMatchObject({
        reason: 'revoked',
        actorUserId: a.user.id,
        sessionIds: [a.session.id],
      });
    });

    it('for a rotated (already used) refresh token, still ending its session', async () => {
      const a = await signedInUser(t);
      const next = (await refresh(a.refreshToken)).json();
      expectRevoked(await revoke({ token: a.refreshToken }));
      expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'revoked' });
      expectEnvelope(await refresh(next.refreshToken), 'UNAUTHORIZED');
    });
  });

  describe('200 and nothing changes: the endpoint reveals nothing about the token', () => {
    it.each([
      ['an unknown refresh token', () => newRefreshToken().token],
      ['garbage', () => 'not a token at all'],
      ['a JWT-looking string', () => 'aaa.bbb.ccc'],
      ['a token with a tampered signature', (a: SignedIn) => `${a.accessToken.slice(0, -4)}AAAA`],
    ])('for %s', async (_label, token) => {
      const a = await signedInUser(t);
      const before = await allAudit();
      expectRevoked(await revoke({ token: token(a) }));
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
      expect((await me(a)).statusCode).toBe(200);
      expect(await allAudit()).toBe(before);
    });

    it('for a refresh token whose session was already revoked', async () => {
      const a = await signedInUser(t);
      expectRevoked(await revoke({ token: a.refreshToken }));
      const before = await allAudit();
      expectRevoked(await revoke({ token: a.refreshToken }));
      expectRevoked(await revoke({ token: a.accessToken }));
      expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'revoked' });
      expect(await allAudit()).toBe(before);
    });

    it('for the token of a session that ended by logout, keeping its reason', async () => {
      const a = await signedInUser(t);
      await t.app.inject({ method: 'POST', url: '/auth/logout', headers: a.headers });
      expectRevoked(await revoke({ token: a.refreshToken }));
      expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'logout' });
      expect(await endedAudit(a.user.id)).toHaveLength(1);
    });
  });

  describe('422: a readable body that breaks a rule', () => {
    it.each([
      ['a missing token', {}, '/token', /is required/],
      ['an empty token', { token: '' }, '/token', /.+/],
      ['a token of the wrong type', { token: 42 }, '/token', /string/],
      [
        'an unknown token_type_hint',
        { token: 'x', token_type_hint: 'id_token' },
        '/token_type_hint',
        /one of/,
      ],
      ['an unknown field', { token: 'x', client_id: 'y' }, '/client_id', /not an allowed field/],
    ])('for %s', async (_label, payload, path, message) => {
      const details = expectEnvelope(await revoke(payload), 'VALIDATION_ERROR').details as {
        path: string;
        message: string;
      }[];
      expect(details[0]?.path).toBe(path);
      expect(details[0]?.message).toMatch(message);
    });
  });

  describe('an RFC 7009 form body (application/x-www-form-urlencoded)', () => {
    const form = (body: string, contentType = 'application/x-www-form-urlencoded') =>
      revoke(body, { 'content-type': contentType });

    it.each([
      ['the token alone', (tok: string) => `token=${tok}`],
      ['a token_type_hint', (tok: string) => `token=${tok}&token_type_hint=refresh_token`],
      [
        'percent-encoded characters',
        (tok: string) => `token=${encodeURIComponent(tok).replaceAll('-', '%2D')}`,
      ],
      ['a charset', (tok: string) => `token_type_hint=refresh_token&token=${tok}`],
    ])('ends the session for %s', async (label, body) => {
      const [a, b] = await twoDevices();
      const type = label === 'a charset' ? 'application/x-www-form-urlencoded; charset=UTF-8' : undefined;
      expectRevoked(await form(body(a.refreshToken), type));
      expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'revoked' });
      expect(await sessionState(t, b.session.id)).toEqual({ ended: false, reason: null });
    });

    it('answers 200 for a well-formed form with a token that is not valid, ending nothing', async () => {
      const before = await allAudit();
      expectRevoked(await form('token=not-a-token'));
      expect(await allAudit()).toBe(before);
    });

    it.each([
      ['a missing token', 'token_type_hint=refresh_token', '/token'],
      ['an unknown field', 'token=x&client_id=y', '/client_id'],
      ['a prototype key', 'token=x&__proto__=y', '/__proto__'],
      ['an unknown hint', 'token=x&token_type_hint=id_token', '/token_type_hint'],
    ])('answers 422 for %s, like the same JSON body', async (_label, body, path) => {
      const details = expectEnvelope(await form(body), 'VALIDATION_ERROR').details as { path: string }[];
      expect(details[0]?.path).toBe(path);
    });

    it.each([
      ['a field given twice', 'token=abc&token=abc', undefined],
      ['a pair without =', 'token', undefined],
      ['an empty name', '=abc', undefined],
      ['a bad percent-escape', 'token=abc%zz', undefined],
      ['bytes that are not UTF-8', 'token=abc%FF', undefined],
      ['too many pairs', `token=abc${'&a=1'.repeat(8)}`, undefined],
      ['another charset', 'token=abc', 'application/x-www-form-urlencoded; charset=iso-8859-1'],
    ])('answers 400 for %s, ending nothing', async (_label, payload, contentType) => {
      const a = await signedInUser(t);
      const res = await form(payload.replaceAll('abc', a.refreshToken), contentType);
      expectEnvelope(res, 'INVALID_INPUT', /form body/);
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
    });

    it('answers 413 for a form body over the size limit', async () => {
      expectEnvelope(await form(`token=${'a'.repeat(20_000)}`), 'PAYLOAD_TOO_LARGE');
    });

    it('is still refused (400) by the routes that read JSON only', async () => {
      const a = await signedInUser(t);
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: `refreshToken=${a.refreshToken}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectEnvelope(res, 'INVALID_INPUT', /must be JSON/);
    });
  });

  describe('400: a body that cannot be read ends nothing', () => {
    it.each([
      ['malformed JSON', '{"token":', 'application/json', /not valid JSON/],
      ['a JSON array', '["x"]', 'application/json', /JSON object/],
      ['a text body', 'abc', 'text/plain', /must be JSON/],
    ])('for %s', async (_label, payload, contentType, description) => {
      const a = await signedInUser(t);
      const body = payload.replace('abc', a.refreshToken);
      expectEnvelope(await revoke(body, { 'content-type': contentType }), 'INVALID_INPUT', description);
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
    });
  });
});
