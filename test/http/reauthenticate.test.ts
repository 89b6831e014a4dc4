import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { appClock } from '../support/app-clock.js';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  login,
  PASSWORD,
  register,
  type SignedIn,
  sessionState,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

const FRESH = 60;
const NEW_PASSWORD = 'a brand new passphrase';

describe.each(backends)('fresh proof (docs/api.md §7) on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { FRESH_AUTH_MAX_AGE: String(FRESH) });
  });
  afterAll(() => t.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  const clock = appClock();
  const freezeClock = clock.freeze;
  const advance = clock.advance;

  const changePassword = (who: SignedIn, newPassword = NEW_PASSWORD) =>
    t.app.inject({
      method: 'POST',
      url: '/auth/password',
      headers: who.headers,
      payload: { currentPassword: PASSWORD, newPassword },
    });
  const reauthenticate = (who: SignedIn | null, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/auth/reauthenticate',
      headers: who?.headers ?? {},
      payload: payload as object,
    });
  const claims = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
  const signedIn = async () => {
    const user = await register(t);
    const a = await login(t, user.email);
    return { user, a, b: await login(t, user.email) };
  };

  it('access tokens carry auth_time: the login', async () => {
    freezeClock();
    const { a } = await signedIn();
    expect(claims(a.accessToken).auth_time).toBe(Math.floor(clock.now / 1000));
  });

  it('allows the password change with a proof exactly FRESH_AUTH_MAX_AGE old', async () => {
    freezeClock();
    const { a } = await signedIn();
    advance(FRESH * 1000);
    const res = await changePassword(a);
    expect(res.statusCode, res.body).toBe(200);
  });

  it('answers 403 REAUTHENTICATION_REQUIRED one millisecond later, changing and ending nothing', async () => {
    freezeClock();
    const { user, a, b } = await signedIn();
    advance(FRESH * 1000 + 1);
    const res = await changePassword(a);
    expectEnvelope(res, 'REAUTHENTICATION_REQUIRED', /POST \/auth\/reauthenticate/);
    expect(res.json().message).toBe('Reauthentication required');
    expect(await sessionState(t, b.session.id)).toEqual({ ended: false, reason: null });
    // The old password still works: nothing changed.
    expect((await login(t, user.email)).user.id).toBe(user.id);
  });

  it('a refresh is not a proof: fresh is counted from the last proof, not from use or creation', async () => {
    freezeClock();
    const { a } = await signedIn();
    advance(FRESH * 1000 + 1);
    const r = await t.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: a.refreshToken },
    });
    expect(r.statusCode).toBe(200);
    const refreshed = { ...a, headers: { authorization: `Bearer ${r.json().accessToken}` } };
    expectEnvelope(await changePassword(refreshed), 'REAUTHENTICATION_REQUIRED');
    expect(claims(r.json().accessToken).auth_time).toBe(claims(a.accessToken).auth_time);
  });

  it('POST /auth/reauthenticate renews authTime; the password change then succeeds', async () => {
    freezeClock();
    const { user, a, b } = await signedIn();
    advance(FRESH * 1000 + 1);
    expectEnvelope(await changePassword(a), 'REAUTHENTICATION_REQUIRED');
    const res = await reauthenticate(a, { password: PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ message: 'Reauthenticated', authTime: new Date(clock.now).toISOString() });
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await t.store.findSession(a.session.id))?.authTime.getTime()).toBe(clock.now);
    // Only this session's proof is renewed.
    expect((await t.store.findSession(b.session.id))?.authTime.getTime()).toBe(clock.now - FRESH * 1000 - 1);
    const audit = await t.store.listAuditEvents({ userId: user.id, limit: 20 });
    expect(audit.find((e) => e.action === 'session.reauthenticated')).toMatchObject({
      actorUserId: user.id,
      sessionIds: [a.session.id],
    });
    // Counts at once, with the same access token.
    expect((await changePassword(a)).statusCode).toBe(200);
    // The next token carries the new auth_time.
    const r = await t.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: a.refreshToken },
    });
    expect(claims(r.json().accessToken).auth_time).toBe(Math.floor(clock.now / 1000));
  });

  it('GET /auth/sessions shows authTime', async () => {
    freezeClock();
    const { a } = await signedIn();
    advance(5000);
    await reauthenticate(a, { password: PASSWORD });
    const list = (await t.app.inject({ method: 'GET', url: '/auth/sessions', headers: a.headers })).json()
      .sessions;
    expect(list.find((s: { current: boolean }) => s.current).authTime).toBe(
      new Date(clock.now).toISOString(),
    );
  });

  it('answers 401 for a wrong password, audited, renewing nothing', async () => {
    freezeClock();
    const { user, a } = await signedIn();
    advance(FRESH * 1000 + 1);
    expectEnvelope(await reauthenticate(a, { password: 'not the password' }), 'UNAUTHORIZED', /incorrect/);
    expect((await t.store.findSession(a.session.id))?.authTime.getTime()).toBe(clock.now - FRESH * 1000 - 1);
    expectEnvelope(await changePassword(a), 'REAUTHENTICATION_REQUIRED');
    const audit = await t.store.listAuditEvents({ userId: user.id, limit: 20 });
    expect(audit.find((e) => e.action === 'session.reauthentication_failed')).toMatchObject({
      reason: 'bad_credentials',
      sessionIds: [a.session.id],
    });
  });

  it('answers 422 for a password that is not well-formed Unicode (a lone surrogate), renewing nothing', async () => {
    freezeClock();
    const { a } = await signedIn();
    advance(FRESH * 1000 + 1);
    expectEnvelope(
      await reauthenticate(a, { password: 'pass\uD800word' }),
      'VALIDATION_ERROR',
      /valid Unicode/,
    );
    expect((await t.store.findSession(a.session.id))?.authTime.getTime()).toBe(clock.now - FRESH * 1000 - 1);
  });

  it('answers 401 without a bearer token, and 401 for an ended session', async () => {
    expectEnvelope(await reauthenticate(null, { password: PASSWORD }), 'UNAUTHORIZED');
    const { a } = await signedIn();
    await t.app.inject({ method: 'POST', url: '/auth/logout', headers: a.headers });
    expectEnvelope(await reauthenticate(a, { password: PASSWORD }), 'UNAUTHORIZED', /ended/);
  });

  it.each([
    ['a missing password', {}],
    ['an empty password', { password: '' }],
    ['an unknown field', { password: PASSWORD, remember: true }],
  ])('answers 422 for %s', async (_label, payload) => {
    const { a } = await signedIn();
    expectEnvelope(await reauthenticate(a, payload), 'VALIDATION_ERROR');
  });

  it('logout never needs a fresh proof', async () => {
    freezeClock();
    const { a, b } = await signedIn();
    advance(FRESH * 1000 + 1);
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: a.headers,
      payload: { scope: 'all' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await sessionState(t, b.session.id)).toEqual({ ended: true, reason: 'logout_all' });
  });
});
