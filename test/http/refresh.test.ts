import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashRefreshToken, newRefreshToken } from '../../src/domain/tokens.js';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  type SignedIn,
  sessionState,
  signedInUser,
  startTestApp,
  type TestApp,
  type TokenBody,
} from '../support/harness.js';

describe.each(backends)('POST /auth/refresh on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  const refresh = (refreshToken: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken }, headers });
  const me = (accessToken: string) =>
    t.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${accessToken}` } });
  const logout = (who: SignedIn) =>
    t.app.inject({ method: 'POST', url: '/auth/logout', headers: who.headers });

  async function rotate(refreshToken: string): Promise<TokenBody> {
    const res = await refresh(refreshToken);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as TokenBody;
  }

  const endedAudit = async (userId: string) =>
    (await t.store.listAuditEvents({ userId, limit: 50 })).filter((e) => e.action === 'session.ended');

  describe('200: rotates the pair within the same session', () => {
    it('answers a new token pair for the same session and user, with no-store', async () => {
      const a = await signedInUser(t);
      const res = await refresh(a.refreshToken);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const next = res.json() as TokenBody;
      expect(Object.keys(next).sort()).toEqual(
        Object.keys(a)
          .filter((k) => k !== 'headers')
          .sort(),
      );
      expect(next).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
      expect(next.session).toEqual(a.session);
      expect(next.user).toEqual(a.user);
      expect(next.refreshExpiresIn).toBeLessThanOrEqual(a.refreshExpiresIn);
      expect(next.refreshExpiresIn).toBeGreaterThan(a.refreshExpiresIn - 5);
      expect(next.refreshToken).not.toBe(a.refreshToken);
      // (The access token carries no jti: issued within the same second, it may equal the old one.)
    });

    it('the new access token works, and the new refresh token rotates again', async () => {
      const a = await signedInUser(t);
      const second = await rotate(a.refreshToken);
      expect((await me(second.accessToken)).json().session.id).toBe(a.session.id);
      const third = await rotate(second.refreshToken);
      expect(third.session.id).toBe(a.session.id);
      expect((await me(third.accessToken)).statusCode).toBe(200);
    });

    it('the old access token of the same session keeps working until logout', async () => {
      const a = await signedInUser(t);
      const next = await rotate(a.refreshToken);
      expect((await me(a.accessToken)).statusCode).toBe(200);
      expect((await logout(a)).statusCode).toBe(200);
      expectEnvelope(await me(a.accessToken), 'UNAUTHORIZED', /ended/);
      expectEnvelope(await me(next.accessToken), 'UNAUTHORIZED', /ended/);
      expectEnvelope(await refresh(next.refreshToken), 'UNAUTHORIZED');
    });

    it('opens no new session, marks the old token used, and touches lastUsedAt', async () => {
      const a = await signedInUser(t);
      const before = await t.store.findSession(a.session.id);
      await new Promise((r) => setTimeout(r, 20));
      const next = await rotate(a.refreshToken);
      expect((await t.store.listActiveSessions(a.user.id)).map((s) => s.id)).toEqual([a.session.id]);
      const after = await t.store.findSession(a.session.id);
      expect(after?.lastUsedAt.getTime()).toBeGreaterThan(before?.lastUsedAt.getTime() as number);
      const rows = await t.database.db.query<{ token_hash: Uint8Array; rotated_at: Date | null }>(
        'SELECT token_hash, rotated_at FROM refresh_tokens WHERE session_id = $1',
        [a.session.id],
      );
      const byHash = new Map(rows.map((r) => [Buffer.from(r.token_hash).toString('hex'), r.rotated_at]));
      expect(byHash.size).toBe(2);
      expect(byHash.get(hashRefreshToken(a.refreshToken).toString('hex'))).toBeInstanceOf(Date);
      expect(byHash.get(hashRefreshToken(next.refreshToken).toString('hex'))).toBeNull();
    });
  });

  describe('401: reuse of a rotated refresh token ends the whole session (RFC 9700)', () => {
    it('answers 401 and ends the session with reason refresh_reuse', async () => {
      const a = await signedInUser(t);
      const next = await rotate(a.refreshToken);

      expectEnvelope(await refresh(a.refreshToken), 'UNAUTHORIZED', /already used/);
      expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'refresh_reuse' });

      // Every token of the session stops working, the newest pair included.
      expectEnvelope(await me(next.accessToken), 'UNAUTHORIZED', /ended/);
      expectEnvelope(await me(a.accessToken), 'UNAUTHORIZED', /ended/);
      expectEnvelope(await refresh(next.refreshToken), 'UNAUTHORIZED', /ended/);
    });

    it('records a session.ended audit event with no actor', async () => {
      const a = await signedInUser(t);
      await rotate(a.refreshToken);
      await refresh(a.refreshToken, { 'user-agent': 'stolen-copy' });
      const events = await endedAudit(a.user.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        reason: 'refresh_reuse',
        actorUserId: null,
        targetUserId: a.user.id,
        sessionIds: [a.session.id],
        userAgent: 'stolen-copy',
        details: { rotatedAt: expect.any(String) },
      });
    });

    it("leaves the user's other sessions alone", async () => {
      const a = await signedInUser(t);
      const other = (
        await t.app.inject({
          method: 'POST',
          url: '/auth/login',
          payload: { email: a.user.email, password: 'correct horse battery staple' },
        })
      ).json() as TokenBody;
      await rotate(a.refreshToken);
      await refresh(a.refreshToken);
      expect(await sessionState(t, other.session.id)).toEqual({ ended: false, reason: null });
      expect((await me(other.accessToken)).statusCode).toBe(200);
    });

    it('a third presentation answers 401 and records nothing more', async () => {
      const a = await signedInUser(t);
      await rotate(a.refreshToken);
      await refresh(a.refreshToken);
      expectEnvelope(await refresh(a.refreshToken), 'UNAUTHORIZED', /ended/);
      expect(await endedAudit(a.user.id)).toHaveLength(1);
    });

    it('20 parallel refreshes with one token: one 200, the rest 401, and no pair keeps working', async () => {
      const a = await signedInUser(t);
      const results = await Promise.all(Array.from({ length: 20 }, () => refresh(a.refreshToken)));
      const ok = results.filter((r) => r.statusCode === 200);
      const refused = results.filter((r) => r.statusCode !== 200);
      expect(ok).toHaveLength(1);
      expect(refused).toHaveLength(19);
      for (const r of refused) expectEnvelope(r, 'UNAUTHORIZED');

      // The losers presented a token that had just been rotated: reuse detection ended the session,
      // so the winner's pair is dead too. Never two working pairs; here, none.
      expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'refresh_reuse' });
      const winner = ok[0]?.json() as TokenBody;
      expectEnvelope(await me(winner.accessToken), 'UNAUTHORIZED');
      expectEnvelope(await refresh(winner.refreshToken), 'UNAUTHORIZED');
      expectEnvelope(await me(a.accessToken), 'UNAUTHORIZED');
      expect(await endedAudit(a.user.id)).toHaveLength(1);
    });
  });

  describe('401: a token that cannot be exchanged', () => {
    it('for an unknown token', async () => {
      expectEnvelope(await refresh(newRefreshToken().token), 'UNAUTHORIZED', /Unknown refresh token/);
    });

    it('for a token of the right shape that was never issued, ending nothing', async () => {
      const a = await signedInUser(t);
      const forged = `${a.refreshToken.slice(0, -1)}${a.refreshToken.endsWith('A') ? 'B' : 'A'}`;
      expectEnvelope(await refresh(forged), 'UNAUTHORIZED', /Unknown refresh token/);
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
      expect((await refresh(a.refreshToken)).statusCode).toBe(200);
    });

    it('after logout', async () => {
      const a = await signedInUser(t);
      expect((await logout(a)).statusCode).toBe(200);
      expectEnvelope(await refresh(a.refreshToken), 'UNAUTHORIZED', /Session has ended/);
      expect(await sessionState(t, a.session.id)).toEqual({ ended: true, reason: 'logout' });
    });

    it('for a session past its expiry, issuing nothing and ending it (reason expired)', async () => {
      const a = await signedInUser(t);
      const expiresAt = new Date(Date.now() - 1000);
      const session = await t.store.insertSession({
        id: randomUUID(),
        userId: a.user.id,
        expiresAt,
        ip: null,
        userAgent: null,
      });
      const token = newRefreshToken();
      await t.store.insertRefreshToken(hashRefreshToken(token.token), session.id, expiresAt);

      expectEnvelope(await refresh(token.token), 'UNAUTHORIZED', /expired/);
      const rows = await t.database.db.query<{ rotated_at: Date | null }>(
        'SELECT rotated_at FROM refresh_tokens WHERE session_id = $1',
        [session.id],
      );
      expect(rows).toEqual([{ rotated_at: null }]);
      // Ended at once through the one ending path (docs/api.md §7), not left for the sweeper;
      // refused, not reused: presenting it again is not reuse detection.
      expect(await sessionState(t, session.id)).toEqual({ ended: true, reason: 'expired' });
      expectEnvelope(await refresh(token.token), 'UNAUTHORIZED', /Session has ended/);
    });
  });

  describe('422 and 400: a request that is not a refresh', () => {
    it.each([
      ['a missing refreshToken', () => ({}), '/refreshToken', /is required/],
      ['an empty refreshToken', () => ({ refreshToken: '' }), '/refreshToken', /.+/],
      ['a refreshToken of the wrong type', () => ({ refreshToken: 42 }), '/refreshToken', /string/],
      [
        'an extra field',
        (a: SignedIn) => ({ refreshToken: a.refreshToken, grant_type: 'refresh_token' }),
        '/grant_type',
        /not an allowed field/,
      ],
      [
        'an access token (longer than any refresh token)',
        (a: SignedIn) => ({ refreshToken: a.accessToken }),
        '/refreshToken',
        /512/,
      ],
    ])('answers 422 for %s, and the real token still works', async (_label, payload, path, message) => {
      const a = await signedInUser(t);
      const res = await t.app.inject({ method: 'POST', url: '/auth/refresh', payload: payload(a) });
      const details = expectEnvelope(res, 'VALIDATION_ERROR').details as { path: string; message: string }[];
      expect(details[0]?.path).toBe(path);
      expect(details[0]?.message).toMatch(message);
      expect(await sessionState(t, a.session.id)).toEqual({ ended: false, reason: null });
      expect((await refresh(a.refreshToken)).statusCode).toBe(200);
    });

    it.each([
      ['malformed JSON', '{"refreshToken":', 'application/json'],
      ['a JSON array', '[]', 'application/json'],
      ['a form body', 'refresh_token=abc', 'application/x-www-form-urlencoded'],
    ])('answers 400 for %s', async (_label, payload, contentType) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload,
        headers: { 'content-type': contentType },
      });
      expectEnvelope(res, 'INVALID_INPUT');
    });
  });
});
