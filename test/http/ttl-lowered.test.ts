import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type Context, createContext } from '../../src/domain/context.js';
import type { App } from '../../src/http/routes.js';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  login,
  PASSWORD,
  register,
  type SignedIn,
  startTestApp,
  type TestApp,
  testConfig,
} from '../support/harness.js';

/**
 * ACCESS_TOKEN_TTL lowered across a restart: tokens issued under the old,
 * longer lifetime are still outstanding, and a logged-out one must stay
 * refused after the new (shorter) revocation window has passed.
 */
describe.each(backends)('a token issued under a longer ACCESS_TOKEN_TTL, on $name', (backend) => {
  let before: TestApp; // the instance that ran with ACCESS_TOKEN_TTL=86400
  let after: { app: App; ctx: Context }; // restarted on the same database with ACCESS_TOKEN_TTL=30
  beforeAll(async () => {
    before = await startTestApp(backend, { ACCESS_TOKEN_TTL: '86400', SESSION_SHORT_TTL: '86400' });
  });
  afterAll(async () => {
    await after?.app.close();
    await before?.close();
  });

  const restartWithShortTtl = async () => {
    await after?.app.close();
    const config = testConfig({ ACCESS_TOKEN_TTL: '30' });
    const ctx = await createContext(before.store, { accessTokenTtl: 30, sessionTtl: config.sessionTtl });
    const app = await buildApp(ctx, config, { logger: false });
    await app.ready();
    after = { app, ctx };
  };
  const me = (app: App, s: SignedIn) => app.inject({ method: 'GET', url: '/auth/me', headers: s.headers });
  const logout = (app: App, s: SignedIn) =>
    app.inject({ method: 'POST', url: '/auth/logout', headers: s.headers });
  /** The ending happened this long ago: past the short window (30 s + 60 s skew). */
  const endedAgo = (s: SignedIn, seconds: number) =>
    before.database.db.query(
      `UPDATE sessions SET ended_at = now() - make_interval(secs => $2) WHERE id = $1`,
      [s.session.id, seconds],
    );

  it('stays 401 after a restart with TTL 30, once the smaller window has passed', async () => {
    const s = await login(before, (await register(before)).email);
    expect(s.expiresIn).toBe(86_400);
    expect((await logout(before.app, s)).statusCode).toBe(200);
    await endedAgo(s, 120);
    await restartWithShortTtl();
    expectEnvelope(await me(after.app, s), 'UNAUTHORIZED', 'Session has ended');
    expectEnvelope(await me(after.app, s), 'UNAUTHORIZED', 'Session has ended'); // and from the token cache
  });

  it('keeps a live long-lived token working, and refuses it for good once its session ends', async () => {
    const s = await login(before, (await register(before)).email);
    await restartWithShortTtl();
    expect((await me(after.app, s)).statusCode).toBe(200);
    expect((await logout(after.app, s)).statusCode).toBe(200);
    expectEnvelope(await me(after.app, s), 'UNAUTHORIZED');
    // Past the short window the list would normally forget it; this session is kept until its token expires.
    after.ctx.revocations.prune(Date.now() + 10 * 60_000);
    expectEnvelope(await me(after.app, s), 'UNAUTHORIZED', 'Session has ended');
  });

  it('leaves tokens issued within the current TTL to the list alone (no database check)', async () => {
    await restartWithShortTtl();
    const { email } = await register(before);
    const res = await after.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email, password: PASSWORD },
    });
    const { session, expiresIn, accessToken } = res.json();
    expect(expiresIn).toBe(30);
    const now = Math.floor(Date.now() / 1000);
    expect(after.ctx.revocations.outlivesCover({ sessionId: session.id, iat: now, exp: now + 30 })).toBe(
      false,
    );
    const findSession = vi.spyOn(after.ctx.store, 'findSession');
    const ok = await after.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(findSession).not.toHaveBeenCalled();
    findSession.mockRestore();
  });
});
