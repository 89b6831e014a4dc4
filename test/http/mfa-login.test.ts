import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { appClock } from '../support/app-clock.js';
import { backends } from '../support/backends.js';
import { enableTotp, passwordStep, totpCode } from '../support/factors.js';
import {
  expectEnvelope,
  PASSWORD,
  type SignedIn,
  signedInUser,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

const STEP = 30_000;

describe.each(backends)('login with a second factor (docs/api.md §10) on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());
  afterEach(() => {
    vi.useRealTimers();
  });
  const clock = appClock();

  const mfa = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/auth/login/mfa', payload: payload as object, headers });
  const sessionsOf = async (userId: string) => (await t.store.listActiveSessions(userId)).length;
  /** A user with TOTP enabled (its code of this step spent on the confirmation) and one session. */
  const withTotp = async () => {
    const who = await signedInUser(t);
    const { secret, recoveryCodes } = await enableTotp(t, who);
    return { who, secret, recoveryCodes };
  };
  /** A code for a step no earlier than any used so far: the confirmation used this step's. */
  const nextCode = (secret: string) => totpCode(secret, Date.now() + STEP);

  it('the password step answers mfaRequired with an mfaToken, and opens no session', async () => {
    const { who } = await withTotp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: who.user.email, password: PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['methods', 'mfaRequired', 'mfaToken']);
    expect(body).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery_code'] });
    expect(body.mfaToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await sessionsOf(who.user.id)).toBe(1);
    // Only its hash is stored.
    const rows = await t.database.db.query<{ token_hash: Uint8Array }>(
      'SELECT token_hash FROM mfa_tokens WHERE user_id = $1',
      [who.user.id],
    );
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]!.token_hash).toString('base64url')).not.toBe(body.mfaToken);
  });

  it('a wrong password is still the same 401, with no mfaToken', async () => {
    const { who } = await withTotp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: who.user.email, password: 'not the password' },
    });
    expectEnvelope(res, 'UNAUTHORIZED', 'Invalid email or password');
  });

  it('POST /auth/login/mfa with a TOTP code answers the token response and opens the session', async () => {
    const { who, secret } = await withTotp();
    const mfaToken = await passwordStep(t, who.user.email, { remember: false, deviceName: 'Work laptop' });
    const res = await mfa({ mfaToken, code: await nextCode(secret) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toMatchObject({ tokenType: 'Bearer', user: { id: who.user.id } });
    const session = await t.store.findSession(body.session.id);
    // remember and deviceName came from the password step.
    expect(session).toMatchObject({ persistent: false, deviceName: 'Work laptop', endedAt: null });
    const me = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: { authorization: `Bearer ${body.accessToken}` },
    });
    expect(me.statusCode).toBe(200);
    const audit = await t.store.listAuditEvents({ userId: who.user.id, limit: 50 });
    expect(audit.find((e) => e.sessionIds.includes(body.session.id))).toMatchObject({
      action: 'session.created',
      details: { remember: false, method: 'totp' },
    });
    expect(audit.some((e) => e.action === 'login.mfa_required')).toBe(true);
  });

  it('the mfaToken is single use', async () => {
    const { who, secret } = await withTotp();
    const mfaToken = await passwordStep(t, who.user.email);
    expect((await mfa({ mfaToken, code: await nextCode(secret) })).statusCode).toBe(200);
    expectEnvelope(
      await mfa({ mfaToken, code: await totpCode(secret, Date.now() + 2 * STEP) }),
      'UNAUTHORIZED',
      /expired or was already completed/,
    );
    expect(await sessionsOf(who.user.id)).toBe(2);
  });

  it('a TOTP code cannot be used twice within its window, even with a new mfaToken', async () => {
    clock.freeze();
    const { who, secret } = await withTotp();
    const code = await nextCode(secret);
    expect((await mfa({ mfaToken: await passwordStep(t, who.user.email), code })).statusCode).toBe(200);
    const again = await mfa({ mfaToken: await passwordStep(t, who.user.email), code });
    expectEnvelope(again, 'UNAUTHORIZED', /wrong, expired or already used/);
    // Nor an earlier step's code once a later one was used.
    expectEnvelope(
      await mfa({ mfaToken: await passwordStep(t, who.user.email), code: await totpCode(secret) }),
      'UNAUTHORIZED',
    );
    expect(await sessionsOf(who.user.id)).toBe(2);
  });

  it('two concurrent second steps with one code: exactly one session', async () => {
    const { who, secret } = await withTotp();
    const code = await nextCode(secret);
    const tokens = [await passwordStep(t, who.user.email), await passwordStep(t, who.user.email)];
    const answers = await Promise.all(tokens.map((mfaToken) => mfa({ mfaToken, code })));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    expect(await sessionsOf(who.user.id)).toBe(2);
  });

  it('5 wrong codes kill the mfaToken: the fifth says so, and the right code then gets 401', async () => {
    const { who, secret } = await withTotp();
    const mfaToken = await passwordStep(t, who.user.email);
    const right = await nextCode(secret);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++)
      expectEnvelope(await mfa({ mfaToken, code: wrong }), 'UNAUTHORIZED', /wrong, expired or already used/);
    expectEnvelope(await mfa({ mfaToken, code: wrong }), 'UNAUTHORIZED', /Too many wrong codes/);
    expectEnvelope(await mfa({ mfaToken, code: right }), 'UNAUTHORIZED', /expired or was already completed/);
    expect(await sessionsOf(who.user.id)).toBe(1);
    const failed = (await t.store.listAuditEvents({ userId: who.user.id, limit: 50 })).filter(
      (e) => e.action === 'login.failed' && e.reason === 'bad_second_factor',
    );
    expect(failed).toHaveLength(5);
    // The right code is still unused: a new login with it works.
    expect((await mfa({ mfaToken: await passwordStep(t, who.user.email), code: right })).statusCode).toBe(
      200,
    );
  });

  it('4 wrong codes leave the mfaToken usable', async () => {
    const { who, secret } = await withTotp();
    const mfaToken = await passwordStep(t, who.user.email);
    const right = await nextCode(secret);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) expect((await mfa({ mfaToken, code: wrong })).statusCode).toBe(401);
    expect((await mfa({ mfaToken, code: right })).statusCode).toBe(200);
  });

  it('the mfaToken works until 5 minutes, and not at 5 minutes', async () => {
    clock.freeze();
    const { who, secret } = await withTotp();
    const early = await passwordStep(t, who.user.email);
    const late = await passwordStep(t, who.user.email);
    clock.advance(5 * 60_000 - 1);
    expect((await mfa({ mfaToken: early, code: await totpCode(secret) })).statusCode).toBe(200);
    clock.advance(1);
    expectEnvelope(
      await mfa({ mfaToken: late, code: await totpCode(secret, clock.now + STEP) }),
      'UNAUTHORIZED',
      /expired/,
    );
    // An expired token is deleted when presented.
    expect(await t.store.findMfaToken(createHash('sha256').update(late).digest())).toBeNull();
  });

  it('a recovery code signs in once and consumes exactly that code', async () => {
    const { who, recoveryCodes } = await withTotp();
    const code = recoveryCodes[3] as string;
    // Case, spaces and dashes do not matter.
    const typed = ` ${code.toUpperCase().replace('-', ' ')} `;
    const res = await mfa({ mfaToken: await passwordStep(t, who.user.email), recoveryCode: typed });
    expect(res.statusCode, res.body).toBe(200);
    expect(await t.store.countRecoveryCodes(who.user.id)).toBe(9);
    const events = await t.store.listAuditEvents({ userId: who.user.id, limit: 50 });
    expect(events.find((e) => e.action === 'mfa.recovery_code_used')?.details).toEqual({ remaining: 9 });
    expect(events.find((e) => e.sessionIds.includes(res.json().session.id))?.details).toEqual({
      method: 'recovery_code',
    });
    expectEnvelope(
      await mfa({ mfaToken: await passwordStep(t, who.user.email), recoveryCode: code }),
      'UNAUTHORIZED',
    );
    expect(await t.store.countRecoveryCodes(who.user.id)).toBe(9);
    // The others still work.
    expect(
      (await mfa({ mfaToken: await passwordStep(t, who.user.email), recoveryCode: recoveryCodes[4] }))
        .statusCode,
    ).toBe(200);
    expect(await t.store.countRecoveryCodes(who.user.id)).toBe(8);
  });

  it('another user’s recovery code does not work', async () => {
    const a = await withTotp();
    const b = await withTotp();
    expectEnvelope(
      await mfa({ mfaToken: await passwordStep(t, a.who.user.email), recoveryCode: b.recoveryCodes[0] }),
      'UNAUTHORIZED',
    );
    expect(await t.store.countRecoveryCodes(b.who.user.id)).toBe(10);
  });

  it('answers 401 for an unknown mfaToken', async () => {
    expectEnvelope(await mfa({ mfaToken: 'x'.repeat(43), code: '123456' }), 'UNAUTHORIZED');
  });

  it('answers 422 for neither or both of code and recoveryCode, or an unknown field; 400 for bad JSON', async () => {
    const { who } = await withTotp();
    const mfaToken = await passwordStep(t, who.user.email);
    expectEnvelope(await mfa({ mfaToken }), 'VALIDATION_ERROR', /needs code or recoveryCode/);
    expectEnvelope(await mfa({ mfaToken, code: '123456', recoveryCode: 'abcde-fghjk' }), 'VALIDATION_ERROR');
    expectEnvelope(await mfa({ mfaToken, code: '123456', extra: true }), 'VALIDATION_ERROR');
    expectEnvelope(await mfa({ code: '123456' }), 'VALIDATION_ERROR');
    expectEnvelope(
      await t.app.inject({
        method: 'POST',
        url: '/auth/login/mfa',
        headers: { 'content-type': 'application/json' },
        payload: '[',
      }),
      'INVALID_INPUT',
    );
    // None of those counted as a wrong code.
    const row = await t.database.db.query<{ failures: number }>(
      'SELECT failures FROM mfa_tokens WHERE user_id = $1',
      [who.user.id],
    );
    expect(row[0]?.failures).toBe(0);
  });

  it('a disabled account gets 401 at the second step', async () => {
    const { who, secret } = await withTotp();
    const mfaToken = await passwordStep(t, who.user.email);
    await t.store.setUserDisabled(who.user.id, true);
    expectEnvelope(await mfa({ mfaToken, code: await nextCode(secret) }), 'UNAUTHORIZED');
  });

  it('POST /account/login answers mfaRequired without cookies; /account/login/mfa sets them', async () => {
    const { who, secret } = await withTotp();
    const sameOrigin = { 'sec-fetch-site': 'same-origin' };
    const first = await t.app.inject({
      method: 'POST',
      url: '/account/login',
      headers: sameOrigin,
      payload: { email: who.user.email, password: PASSWORD },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().mfaRequired).toBe(true);
    expect(first.headers['set-cookie']).toBeUndefined();
    const second = await t.app.inject({
      method: 'POST',
      url: '/account/login/mfa',
      headers: sameOrigin,
      payload: { mfaToken: first.json().mfaToken, code: await nextCode(secret) },
    });
    expect(second.statusCode, second.body).toBe(200);
    expect(Object.keys(second.json()).sort()).toEqual(['expiresIn', 'refreshExpiresIn', 'session', 'user']);
    expect(String(second.headers['set-cookie'])).toMatch(/gatehouse_session=/);
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/account/login/mfa',
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: { mfaToken: first.json().mfaToken, code: '123456' },
    });
    expectEnvelope(crossSite, 'FORBIDDEN');
  });

  it('with the session limit denying, the second step answers 409 and keeps its code and mfaToken', async () => {
    const limited = await startTestApp(backend, { MAX_SESSIONS_PER_USER: '1', SESSION_LIMIT_POLICY: 'deny' });
    try {
      const who = await signedInUser(limited);
      const { secret } = await enableTotp(limited, who);
      const mfaToken = await passwordStep(limited, who.user.email);
      const code = await nextCode(secret);
      const res = await limited.app.inject({
        method: 'POST',
        url: '/auth/login/mfa',
        payload: { mfaToken, code },
      });
      expectEnvelope(res, 'CONFLICT', /Session limit/);
      await limited.app.inject({ method: 'POST', url: '/auth/logout', headers: who.headers });
      const retry = await limited.app.inject({
        method: 'POST',
        url: '/auth/login/mfa',
        payload: { mfaToken, code },
      });
      expect(retry.statusCode, retry.body).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('wrong codes count as failed logins of the account; a right password does not reset them', async () => {
    const limited = await startTestApp(backend, {
      RATE_LIMITS: 'on',
      RATE_LIMIT_PER_IP: '1000',
      RATE_LIMIT_PER_ACCOUNT: '1000',
      LOGIN_BACKOFF_AFTER: '2',
    });
    try {
      const who = await signedInUser(limited);
      await enableTotp(limited, who);
      const wrong = async (mfaToken: string) =>
        (
          await limited.app.inject({
            method: 'POST',
            url: '/auth/login/mfa',
            payload: { mfaToken, code: '000000' },
          })
        ).statusCode;
      const step = () =>
        limited.app.inject({
          method: 'POST',
          url: '/auth/login',
          payload: { email: who.user.email, password: PASSWORD },
        });
      const first = (await step()).json().mfaToken;
      expect([await wrong(first), await wrong(first)]).toEqual([401, 401]);
      // Two failures: the next attempt of this account, a password step included, must wait.
      expectEnvelope(await step(), 'RATE_LIMITED', /retry in 1 s/);
      await new Promise((r) => setTimeout(r, 1100));
      const again = await step();
      expect(again.json().mfaRequired).toBe(true);
      // The right password did not reset the count (each attempt restarts the wait, as for any login):
      // one more wrong code, and the wait doubles.
      await new Promise((r) => setTimeout(r, 1100));
      expect(await wrong(again.json().mfaToken)).toBe(401);
      expectEnvelope(await step(), 'RATE_LIMITED', /retry in 2 s/);
    } finally {
      await limited.close();
    }
  });

  it('a user who disabled TOTP logs in with the password alone again', async () => {
    const { who } = await withTotp();
    await t.app.inject({ method: 'POST', url: '/auth/totp/disable', headers: (who as SignedIn).headers });
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: who.user.email, password: PASSWORD },
    });
    expect(res.json().accessToken).toBeDefined();
  });
});
