import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountState } from '../support/account-state.js';
import { appClock } from '../support/app-clock.js';
import { backends } from '../support/backends.js';
import { enableTotp, totpCode } from '../support/factors.js';
import {
  browserSession,
  cookieHeaders,
  expectEnvelope,
  type SignedIn,
  signedInUser,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

const FRESH = 60;

describe.each(backends)('TOTP and recovery codes (docs/api.md §10) on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { FRESH_AUTH_MAX_AGE: String(FRESH), TOTP_ISSUER: 'Acme Gate' });
  });
  afterAll(() => t.close());
  afterEach(() => {
    vi.useRealTimers();
  });
  const clock = appClock();

  const post = (who: SignedIn | null, url: string, payload?: unknown) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: who?.headers ?? {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const factors = async (who: SignedIn) =>
    (await t.app.inject({ method: 'GET', url: '/auth/factors', headers: who.headers })).json();
  const actions = async (who: SignedIn) =>
    (await t.store.listAuditEvents({ userId: who.user.id, limit: 50 })).map((e) => e.action);

  describe('GET /auth/factors', () => {
    it('answers 200 with nothing enabled for a new account', async () => {
      const a = await signedInUser(t);
      const res = await t.app.inject({ method: 'GET', url: '/auth/factors', headers: a.headers });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({ totp: { enabled: false }, recoveryCodes: { remaining: 0 }, passkeys: [] });
    });

    it('answers 401 without a token', async () => {
      expectEnvelope(await t.app.inject({ method: 'GET', url: '/auth/factors' }), 'UNAUTHORIZED');
    });
  });

  describe('POST /auth/totp/enroll', () => {
    it('answers a secret and its otpauth URI, and enables nothing yet', async () => {
      const a = await signedInUser(t);
      const res = await post(a, '/auth/totp/enroll');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const { secret, otpauthUri } = res.json();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const uri = new URL(otpauthUri);
      expect(uri.protocol).toBe('otpauth:');
      expect(uri.host).toBe('totp');
      expect(decodeURIComponent(uri.pathname)).toBe(`/Acme Gate:${a.user.email}`);
      expect(uri.searchParams.get('secret')).toBe(secret);
      expect(uri.searchParams.get('issuer')).toBe('Acme Gate');
      expect((await factors(a)).totp).toEqual({ enabled: false });
      expect(await actions(a)).toContain('mfa.totp_enrolment_started');
    });

    it('a new enrolment replaces a pending one: only the newest secret confirms', async () => {
      const a = await signedInUser(t);
      const first = (await post(a, '/auth/totp/enroll')).json().secret;
      const second = (await post(a, '/auth/totp/enroll')).json().secret;
      expect(second).not.toBe(first);
      expectEnvelope(await post(a, '/auth/totp/confirm', { code: await totpCode(first) }), 'INVALID_CODE');
      expect((await post(a, '/auth/totp/confirm', { code: await totpCode(second) })).statusCode).toBe(200);
    });

    it('answers 409 when TOTP is already enabled, keeping the secret', async () => {
      const a = await signedInUser(t);
      const { secret } = await enableTotp(t, a);
      expectEnvelope(await post(a, '/auth/totp/enroll'), 'CONFLICT', /already enabled/);
      expect((await t.store.findTotp(a.user.id))?.secret).toBe(secret);
    });

    it('answers 403 REAUTHENTICATION_REQUIRED without a fresh proof, storing nothing', async () => {
      clock.freeze();
      const a = await signedInUser(t);
      clock.advance(FRESH * 1000 + 1);
      expectEnvelope(await post(a, '/auth/totp/enroll'), 'REAUTHENTICATION_REQUIRED');
      expect(await t.store.findTotp(a.user.id)).toBeNull();
    });

    it('answers 401 without a token', async () => {
      expectEnvelope(await post(null, '/auth/totp/enroll'), 'UNAUTHORIZED');
    });
  });

  describe('POST /auth/totp/confirm', () => {
    it('enables TOTP and answers 10 distinct recovery codes, stored only as SHA-256 hashes', async () => {
      const a = await signedInUser(t);
      const { secret } = (await post(a, '/auth/totp/enroll')).json();
      const res = await post(a, '/auth/totp/confirm', { code: await totpCode(secret) });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const codes = res.json().recoveryCodes as string[];
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(await factors(a)).toMatchObject({ totp: { enabled: true }, recoveryCodes: { remaining: 10 } });
      const rows = await t.database.db.query<{ code_hash: Uint8Array }>(
        'SELECT code_hash FROM recovery_codes WHERE user_id = $1',
        [a.user.id],
      );
      const stored = rows.map((r) => Buffer.from(r.code_hash).toString('hex')).sort();
      const hashed = codes.map((c) => createHash('sha256').update(c.replace('-', '')).digest('hex')).sort();
      expect(stored).toEqual(hashed);
      expect(await actions(a)).toContain('mfa.totp_enabled');
    });

    it('answers 400 INVALID_CODE for a wrong code: no factor enabled, no recovery codes', async () => {
      const a = await signedInUser(t);
      const { secret } = (await post(a, '/auth/totp/enroll')).json();
      const right = await totpCode(secret);
      const wrong = right === '000000' ? '000001' : '000000';
      const res = await post(a, '/auth/totp/confirm', { code: wrong });
      expectEnvelope(res, 'INVALID_CODE', /stays disabled/);
      expect(await factors(a)).toEqual({
        totp: { enabled: false },
        recoveryCodes: { remaining: 0 },
        passkeys: [],
      });
      expect((await t.store.findTotp(a.user.id))?.confirmedAt).toBeNull();
      expect(await actions(a)).toContain('mfa.totp_confirmation_failed');
      // A login still opens a session with the password alone.
      const login = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: a.user.email, password: 'correct horse battery staple' },
      });
      expect(login.json().accessToken).toBeDefined();
    });

    it('accepts the code of the step before and after (clock drift), not two steps away', async () => {
      clock.freeze();
      const a = await signedInUser(t);
      const { secret } = (await post(a, '/auth/totp/enroll')).json();
      expectEnvelope(
        await post(a, '/auth/totp/confirm', { code: await totpCode(secret, clock.now - 60_000) }),
        'INVALID_CODE',
      );
      expect(
        (await post(a, '/auth/totp/confirm', { code: await totpCode(secret, clock.now + 30_000) }))
          .statusCode,
      ).toBe(200);
    });

    it('answers 409 when no enrolment is pending, and when TOTP is already enabled', async () => {
      const a = await signedInUser(t);
      expectEnvelope(
        await post(a, '/auth/totp/confirm', { code: '123456' }),
        'CONFLICT',
        /No TOTP enrolment/,
      );
      const { secret } = await enableTotp(t, a);
      expectEnvelope(await post(a, '/auth/totp/confirm', { code: await totpCode(secret) }), 'CONFLICT');
    });

    it('answers 422 for a malformed code or an unknown field, 400 for a body that is not JSON', async () => {
      const a = await signedInUser(t);
      expectEnvelope(await post(a, '/auth/totp/confirm', { code: '12ab56' }), 'VALIDATION_ERROR');
      expectEnvelope(await post(a, '/auth/totp/confirm', { code: '123456', extra: 1 }), 'VALIDATION_ERROR');
      expectEnvelope(await post(a, '/auth/totp/confirm', {}), 'VALIDATION_ERROR');
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/totp/confirm',
        headers: { ...a.headers, 'content-type': 'application/json' },
        payload: '{"code":',
      });
      expectEnvelope(res, 'INVALID_INPUT');
    });

    it('answers 401 without a token', async () => {
      expectEnvelope(await post(null, '/auth/totp/confirm', { code: '123456' }), 'UNAUTHORIZED');
    });

    it('answers 403 to the page’s cookie sent from another site: nothing enabled, nothing counted', async () => {
      const a = await signedInUser(t);
      const { secret } = (await post(a, '/auth/totp/enroll')).json();
      const cookie = await browserSession(t, a.user.email);
      const confirm = async (site: 'same-origin' | 'cross-site') =>
        t.app.inject({
          method: 'POST',
          url: '/auth/totp/confirm',
          headers: cookieHeaders(cookie, site),
          payload: { code: await totpCode(secret) },
        });
      const before = await accountState(t, a.user.id);
      expectEnvelope(await confirm('cross-site'), 'FORBIDDEN', /another site/);
      expect(await accountState(t, a.user.id)).toEqual(before);
      // The same cookie from the page's own origin is let through: the refusal was the site's.
      expect((await confirm('same-origin')).statusCode).toBe(200);
    });
  });

  describe('a body that cannot be read', () => {
    const unreadable = [
      { 'content-type': 'application/json', body: '{"code":' },
      { 'content-type': 'text/plain', body: 'turn it on' },
    ];
    it.each([
      ['/auth/totp/enroll', false],
      ['/auth/totp/disable', true],
      ['/auth/recovery-codes', true],
    ])('%s answers 400 INVALID_INPUT and changes nothing', async (url, totpEnabled) => {
      const a = await signedInUser(t);
      if (totpEnabled) await enableTotp(t, a);
      const before = await accountState(t, a.user.id);
      for (const { body, ...type } of unreadable)
        expectEnvelope(
          await t.app.inject({ method: 'POST', url, headers: { ...a.headers, ...type }, payload: body }),
          'INVALID_INPUT',
        );
      expect(await accountState(t, a.user.id)).toEqual(before);
    });
  });

  describe('POST /auth/totp/disable', () => {
    it('removes TOTP and every recovery code', async () => {
      const a = await signedInUser(t);
      await enableTotp(t, a);
      const res = await post(a, '/auth/totp/disable');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ message: 'TOTP disabled' });
      expect(await factors(a)).toEqual({
        totp: { enabled: false },
        recoveryCodes: { remaining: 0 },
        passkeys: [],
      });
      expect(await t.store.findTotp(a.user.id)).toBeNull();
      const event = (await t.store.listAuditEvents({ userId: a.user.id, limit: 50 })).find(
        (e) => e.action === 'mfa.totp_disabled',
      );
      expect(event?.details).toEqual({ wasEnabled: true, recoveryCodes: 10 });
    });

    it('answers 403 without a fresh proof, removing nothing', async () => {
      clock.freeze();
      const a = await signedInUser(t);
      await enableTotp(t, a);
      clock.advance(FRESH * 1000 + 1);
      expectEnvelope(await post(a, '/auth/totp/disable'), 'REAUTHENTICATION_REQUIRED');
      expect(await factors(a)).toMatchObject({ totp: { enabled: true }, recoveryCodes: { remaining: 10 } });
    });

    it('answers 409 when there is no TOTP, and 401 without a token', async () => {
      const a = await signedInUser(t);
      expectEnvelope(await post(a, '/auth/totp/disable'), 'CONFLICT', /not enabled/);
      expectEnvelope(await post(null, '/auth/totp/disable'), 'UNAUTHORIZED');
    });
  });

  describe('POST /auth/recovery-codes', () => {
    it('answers 10 new codes; the old ones stop working', async () => {
      const a = await signedInUser(t);
      const { recoveryCodes: old } = await enableTotp(t, a);
      const res = await post(a, '/auth/recovery-codes');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const fresh = res.json().recoveryCodes as string[];
      expect(fresh).toHaveLength(10);
      expect(fresh.filter((c) => old.includes(c))).toEqual([]);
      expect(await t.store.useRecoveryCode(a.user.id, sha(old[0] as string))).toBe(false);
      expect(await t.store.useRecoveryCode(a.user.id, sha(fresh[0] as string))).toBe(true);
      expect(await actions(a)).toContain('mfa.recovery_codes_regenerated');
    });

    it('answers 409 without TOTP enabled, 403 without a fresh proof, 401 without a token', async () => {
      clock.freeze();
      const a = await signedInUser(t);
      expectEnvelope(await post(a, '/auth/recovery-codes'), 'CONFLICT', /enable TOTP first/);
      await enableTotp(t, a);
      clock.advance(FRESH * 1000 + 1);
      expectEnvelope(await post(a, '/auth/recovery-codes'), 'REAUTHENTICATION_REQUIRED');
      expect((await factors(a)).recoveryCodes.remaining).toBe(10);
      expectEnvelope(await post(null, '/auth/recovery-codes'), 'UNAUTHORIZED');
    });
  });
});

const sha = (code: string) => createHash('sha256').update(code.replace('-', '')).digest();
