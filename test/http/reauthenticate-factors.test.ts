import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { appClock } from '../support/app-clock.js';
import { backends } from '../support/backends.js';
import { addPasskey, assertion, authenticatorFor, enableTotp, totpCode } from '../support/factors.js';
import {
  expectEnvelope,
  PASSWORD,
  type SignedIn,
  signedInUser,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

const FRESH = 60;
const STALE = FRESH * 1000 + 1;

describe.each(backends)('reauthentication with a second factor (docs/api.md §10) on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { FRESH_AUTH_MAX_AGE: String(FRESH) });
  });
  afterAll(() => t.close());
  afterEach(() => {
    vi.useRealTimers();
  });
  const clock = appClock();

  const reauthenticate = (who: SignedIn, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/auth/reauthenticate',
      headers: who.headers,
      payload: payload as object,
    });
  const authTime = async (who: SignedIn) => (await t.store.findSession(who.session.id))?.authTime.getTime();
  const lastAudit = async (who: SignedIn, action: string) =>
    (await t.store.listAuditEvents({ userId: who.user.id, limit: 50 })).find((e) => e.action === action);

  it('a TOTP code renews authTime, like the password', async () => {
    clock.freeze();
    const a = await signedInUser(t);
    const { secret } = await enableTotp(t, a);
    clock.advance(STALE);
    const res = await reauthenticate(a, { code: await totpCode(secret) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ message: 'Reauthenticated', authTime: new Date(clock.now).toISOString() });
    expect(await authTime(a)).toBe(clock.now);
    expect((await lastAudit(a, 'session.reauthenticated'))?.reason).toBe('totp');
    // Now fresh: a second-factor change is allowed.
    expect(
      (await t.app.inject({ method: 'POST', url: '/auth/recovery-codes', headers: a.headers })).statusCode,
    ).toBe(200);
  });

  it('a TOTP code already used (here, at login) is refused with 401, renewing nothing', async () => {
    clock.freeze();
    const a = await signedInUser(t);
    const { secret } = await enableTotp(t, a);
    const used = await totpCode(secret); // the confirmation's
    clock.advance(STALE);
    const before = await authTime(a);
    expectEnvelope(await reauthenticate(a, { code: used }), 'UNAUTHORIZED', /already used/);
    expect(await authTime(a)).toBe(before);
    expect((await lastAudit(a, 'session.reauthentication_failed'))?.details).toEqual({ method: 'totp' });
    // And a good code works only once.
    const fresh = await totpCode(secret, clock.now);
    expect((await reauthenticate(a, { code: fresh })).statusCode).toBe(200);
    expectEnvelope(await reauthenticate(a, { code: fresh }), 'UNAUTHORIZED');
  });

  it('a code is 401 for an account without TOTP', async () => {
    const a = await signedInUser(t);
    expectEnvelope(await reauthenticate(a, { code: '123456' }), 'UNAUTHORIZED');
  });

  it('a passkey assertion of mine renews authTime', async () => {
    clock.freeze();
    const a = await signedInUser(t);
    const authenticator = authenticatorFor(t);
    await addPasskey(t, a, authenticator);
    clock.advance(STALE);
    const res = await reauthenticate(a, { passkey: await assertion(t, authenticator) });
    expect(res.statusCode, res.body).toBe(200);
    expect(await authTime(a)).toBe(clock.now);
    expect((await lastAudit(a, 'session.reauthenticated'))?.reason).toBe('passkey');
  });

  it("another user's passkey, a wrong origin or a replayed challenge: 401, renewing nothing", async () => {
    clock.freeze();
    const a = await signedInUser(t);
    const b = await signedInUser(t);
    const mine = authenticatorFor(t);
    const theirs = authenticatorFor(t);
    await addPasskey(t, a, mine);
    await addPasskey(t, b, theirs);
    clock.advance(STALE);
    const before = await authTime(a);
    expectEnvelope(
      await reauthenticate(a, { passkey: await assertion(t, theirs) }),
      'UNAUTHORIZED',
      /passkey/,
    );
    expectEnvelope(
      await reauthenticate(a, { passkey: await assertion(t, mine, { origin: 'https://evil.example.test' }) }),
      'UNAUTHORIZED',
    );
    const good = await assertion(t, mine);
    expect((await reauthenticate(a, { passkey: good })).statusCode).toBe(200);
    clock.advance(STALE);
    const renewed = await authTime(a);
    expect(renewed).not.toBe(before);
    expectEnvelope(await reauthenticate(a, { passkey: good }), 'UNAUTHORIZED');
    expect(await authTime(a)).toBe(renewed);
  });

  it.each([
    ['no proof', {}],
    ['two proofs', { password: PASSWORD, code: '123456' }],
    ['a malformed code', { code: 'abc' }],
    ['a malformed passkey', { passkey: { challengeId: 'x' } }],
  ])('answers 422 for %s', async (_label, payload) => {
    const a = await signedInUser(t);
    expectEnvelope(await reauthenticate(a, payload), 'VALIDATION_ERROR');
  });
});
