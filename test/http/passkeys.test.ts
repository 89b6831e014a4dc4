import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountState } from '../support/account-state.js';
import { appClock } from '../support/app-clock.js';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { backends } from '../support/backends.js';
import {
  addPasskey,
  assertion,
  authenticationOptions,
  authenticatorFor,
  registrationOptions,
} from '../support/factors.js';
import {
  browserSession,
  cookieHeaders,
  expectEnvelope,
  PASSWORD,
  type SignedIn,
  signedInUser,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

const FRESH = 60;
const ORIGIN = 'https://auth.example.test';
const UNREADABLE = [
  { 'content-type': 'application/json', body: '{"name":' },
  { 'content-type': 'text/plain', body: 'Laptop' },
];

describe.each(backends)('passkeys (docs/api.md §10) on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { PUBLIC_URL: ORIGIN, FRESH_AUTH_MAX_AGE: String(FRESH) });
  });
  afterAll(() => t.close());
  afterEach(() => {
    vi.useRealTimers();
  });
  const clock = appClock();

  const register = (who: SignedIn, payload: unknown) =>
    t.app.inject({ method: 'POST', url: '/auth/passkeys', headers: who.headers, payload: payload as object });
  const signIn = (payload: unknown) =>
    t.app.inject({ method: 'POST', url: '/auth/login/passkey', payload: payload as object });
  const passkeysOf = async (who: SignedIn) => t.store.listPasskeys(who.user.id);
  /** `who`'s request with each body that cannot be read (malformed JSON; not JSON): 400 each time. */
  const expectUnreadable = async (who: SignedIn, method: 'POST' | 'PATCH' | 'DELETE', url: string) => {
    for (const { body, ...type } of UNREADABLE)
      expectEnvelope(
        await t.app.inject({ method, url, headers: { ...who.headers, ...type }, payload: body }),
        'INVALID_INPUT',
      );
  };
  const actions = async (who: SignedIn) =>
    (await t.store.listAuditEvents({ userId: who.user.id, limit: 50 })).map((e) => e.action);

  describe('registration', () => {
    it('options: RP ID and name from PUBLIC_URL, discoverable and verified, a challengeId', async () => {
      const a = await signedInUser(t);
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/passkeys/registration-options',
        headers: a.headers,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const { challengeId, options } = res.json();
      expect(challengeId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(options.rp).toEqual({ id: 'auth.example.test', name: 'Gatehouse' });
      expect(options.user.name).toBe(a.user.email);
      expect(options.authenticatorSelection).toMatchObject({
        residentKey: 'required',
        userVerification: 'required',
      });
      expect(options.attestation).toBe('none');
      // The challenge is stored server side under the challengeId's hash, not the id itself.
      const rows = await t.database.db.query<{ challenge: string }>(
        "SELECT challenge FROM webauthn_challenges WHERE purpose = 'registration' AND user_id = $1",
        [a.user.id],
      );
      expect(rows.map((r) => r.challenge)).toEqual([options.challenge]);
    });

    it('options need a fresh proof (403) and a token (401)', async () => {
      clock.freeze();
      const a = await signedInUser(t);
      clock.advance(FRESH * 1000 + 1);
      expectEnvelope(
        await t.app.inject({
          method: 'POST',
          url: '/auth/passkeys/registration-options',
          headers: a.headers,
        }),
        'REAUTHENTICATION_REQUIRED',
      );
      expectEnvelope(
        await t.app.inject({ method: 'POST', url: '/auth/passkeys/registration-options' }),
        'UNAUTHORIZED',
      );
    });

    it('registers a passkey: 201 with it, listed, counter and backup state stored, audited', async () => {
      const a = await signedInUser(t);
      const authenticator = new SoftwareAuthenticator(ORIGIN);
      const { challengeId, options } = await registrationOptions(t, a);
      const res = await register(a, {
        challengeId,
        response: authenticator.register(options),
        name: 'Laptop',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      const { passkey } = res.json();
      expect(passkey).toEqual({
        id: expect.any(String),
        name: 'Laptop',
        createdAt: expect.any(String),
        lastUsedAt: null,
      });
      const list = await t.app.inject({ method: 'GET', url: '/auth/passkeys', headers: a.headers });
      expect(list.json().passkeys).toEqual([passkey]);
      const factors = await t.app.inject({ method: 'GET', url: '/auth/factors', headers: a.headers });
      expect(factors.json().passkeys).toEqual([passkey]);
      const stored = await t.store.findPasskeyByCredentialId(
        authenticator.credentials[0]!.id.toString('base64url'),
      );
      expect(stored).toMatchObject({
        userId: a.user.id,
        counter: 0,
        backedUp: true,
        deviceType: 'multiDevice',
      });
      expect(await actions(a)).toContain('mfa.passkey_added');
    });

    it('refuses a wrong origin with 400 INVALID_CREDENTIAL and stores nothing', async () => {
      const a = await signedInUser(t);
      const { challengeId, options } = await registrationOptions(t, a);
      const response = new SoftwareAuthenticator('https://evil.example.test').register(options);
      const res = await register(a, { challengeId, response });
      expectEnvelope(
        res,
        'INVALID_CREDENTIAL',
        'The passkey could not be verified: it was made on another origin than this site (WEBAUTHN_ORIGINS)',
      );
      expect(await passkeysOf(a)).toEqual([]);
      expect(await actions(a)).not.toContain('mfa.passkey_added');
    });

    // Each failure gets fixed words: the library's messages quote the expected challenge (random
    // text, which once contained "SQL" and tripped the envelope check) and what the client sent.
    const CHALLENGE = 'QUFBQUFBQUFBQUFBQUFBQUFB';
    const asType = (type: string) => (clientData: Record<string, unknown>) => ({ ...clientData, type });
    it.each([
      ['another challenge', { challenge: CHALLENGE }, undefined, /another challenge than the one issued/],
      ['another RP ID', { rpId: 'example.org' }, undefined, /another RP ID than this server/],
      ['no user verification', { userVerified: false }, undefined, /did not verify the user/],
      [
        'an origin naming a challenge',
        { origin: 'https://challenge.evil.example.test' },
        undefined,
        /another origin than this site/,
      ],
      ['a sign-in answer', {}, asType('webauthn.get'), /not the answer to a registration/],
      ['a type of its own', {}, asType('SQL stack'), /not the answer to a registration/],
    ])('refuses %s with a fixed description that quotes nothing', async (_, bend, edit, description) => {
      const a = await signedInUser(t);
      const { challengeId, options } = await registrationOptions(t, a);
      const response = authenticatorFor(t).register(options, bend);
      if (edit) response.response.clientDataJSON = editClientData(response.response.clientDataJSON, edit);
      const res = await register(a, { challengeId, response });
      expectEnvelope(res, 'INVALID_CREDENTIAL', description);
      const sent = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString());
      for (const value of [options.challenge, sent.challenge, sent.origin, sent.type, ORIGIN])
        expect(res.body).not.toContain(value);
      expect(await passkeysOf(a)).toEqual([]);
    });

    it('refuses a malformed attestation with the general description', async () => {
      const a = await signedInUser(t);
      const { challengeId, options } = await registrationOptions(t, a);
      const response = authenticatorFor(t).register(options);
      // The library's check that id and rawId agree: a failure with no words of its own here.
      const res = await register(a, { challengeId, response: { ...response, rawId: 'AAAA' } });
      expectEnvelope(
        res,
        'INVALID_CREDENTIAL',
        "The passkey could not be verified: the authenticator's answer is malformed or its attestation does not verify",
      );
      expect(await passkeysOf(a)).toEqual([]);
    });

    it('a challenge works once: replayed, even after a failure, it is refused', async () => {
      const a = await signedInUser(t);
      const authenticator = authenticatorFor(t);
      const { challengeId, options } = await registrationOptions(t, a);
      expect((await register(a, { challengeId, response: authenticator.register(options) })).statusCode).toBe(
        201,
      );
      expectEnvelope(
        await register(a, { challengeId, response: authenticator.register(options) }),
        'INVALID_CREDENTIAL',
        /unknown, expired or already used/,
      );
      const second = await registrationOptions(t, a);
      const bad = new SoftwareAuthenticator('https://evil.example.test').register(second.options);
      expect((await register(a, { challengeId: second.challengeId, response: bad })).statusCode).toBe(400);
      expectEnvelope(
        await register(a, {
          challengeId: second.challengeId,
          response: authenticator.register(second.options),
        }),
        'INVALID_CREDENTIAL',
      );
      expect(await passkeysOf(a)).toHaveLength(1);
    });

    it('another user’s challenge is refused', async () => {
      const a = await signedInUser(t);
      const b = await signedInUser(t);
      const { challengeId, options } = await registrationOptions(t, a);
      expectEnvelope(
        await register(b, { challengeId, response: authenticatorFor(t).register(options) }),
        'INVALID_CREDENTIAL',
      );
      expect(await passkeysOf(b)).toEqual([]);
    });

    it('a challenge expires after 5 minutes', async () => {
      clock.freeze();
      const a = await signedInUser(t);
      const { challengeId, options } = await registrationOptions(t, a);
      clock.advance(5 * 60_000);
      expectEnvelope(
        await register(a, { challengeId, response: authenticatorFor(t).register(options) }),
        'INVALID_CREDENTIAL',
      );
    });

    it('answers 409 for a passkey already registered', async () => {
      const a = await signedInUser(t);
      const authenticator = authenticatorFor(t);
      const { challengeId, options } = await registrationOptions(t, a);
      const response = authenticator.register(options);
      expect((await register(a, { challengeId, response })).statusCode).toBe(201);
      const again = await registrationOptions(t, a);
      // The same credential, answered for a new challenge (an authenticator that ignored excludeCredentials).
      expect(again.options.excludeCredentials?.map((c) => c.id)).toEqual([response.id]);
      const duplicate = authenticator.register(again.options, {}, authenticator.credentials[0]);
      expectEnvelope(await register(a, { challengeId: again.challengeId, response: duplicate }), 'CONFLICT');
      expect(await passkeysOf(a)).toHaveLength(1);
    });

    it('answers 403 to the page’s cookie sent from another site: nothing stored, the challenge not spent', async () => {
      const a = await signedInUser(t);
      const cookie = await browserSession(t, a.user.email);
      const { challengeId, options } = await registrationOptions(t, a);
      const response = authenticatorFor(t).register(options);
      const send = (site: 'same-origin' | 'cross-site') =>
        t.app.inject({
          method: 'POST',
          url: '/auth/passkeys',
          headers: cookieHeaders(cookie, site),
          payload: { challengeId, response },
        });
      const before = await accountState(t, a.user.id);
      expectEnvelope(await send('cross-site'), 'FORBIDDEN', /another site/);
      expect(await accountState(t, a.user.id)).toEqual(before);
      // From the page's own origin, the same answer registers: its challenge was still there.
      expect((await send('same-origin')).statusCode).toBe(201);
    });

    it('options: a body that cannot be read is 400, and no challenge is stored', async () => {
      const a = await signedInUser(t);
      const before = await accountState(t, a.user.id);
      await expectUnreadable(a, 'POST', '/auth/passkeys/registration-options');
      expect(await accountState(t, a.user.id)).toEqual(before);
    });

    it('answers 422 for an unknown field or a malformed response, 401 without a token', async () => {
      const a = await signedInUser(t);
      expectEnvelope(await register(a, { challengeId: 'x', response: {}, extra: 1 }), 'VALIDATION_ERROR');
      expectEnvelope(await register(a, { challengeId: 'x' }), 'VALIDATION_ERROR');
      expectEnvelope(
        await t.app.inject({
          method: 'POST',
          url: '/auth/passkeys',
          payload: { challengeId: 'x', response: {} },
        }),
        'UNAUTHORIZED',
      );
    });
  });

  describe('rename and delete', () => {
    it('renames my passkey', async () => {
      const a = await signedInUser(t);
      const p = await addPasskey(t, a, authenticatorFor(t));
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/auth/passkeys/${p.id}`,
        headers: a.headers,
        payload: { name: 'Phone' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().passkey).toMatchObject({ id: p.id, name: 'Phone' });
      expect((await passkeysOf(a))[0]?.name).toBe('Phone');
      expect(await actions(a)).toContain('mfa.passkey_renamed');
    });

    it('another user’s passkey: rename and delete are 404 and leave it', async () => {
      const a = await signedInUser(t);
      const b = await signedInUser(t);
      const p = await addPasskey(t, a, authenticatorFor(t), 'Mine');
      const rename = await t.app.inject({
        method: 'PATCH',
        url: `/auth/passkeys/${p.id}`,
        headers: b.headers,
        payload: { name: 'Stolen' },
      });
      expectEnvelope(rename, 'NOT_FOUND');
      expectEnvelope(
        await t.app.inject({ method: 'DELETE', url: `/auth/passkeys/${p.id}`, headers: b.headers }),
        'NOT_FOUND',
      );
      expect(await passkeysOf(a)).toEqual([expect.objectContaining({ id: p.id, name: 'Mine' })]);
    });

    it('rename: 404 unknown id, 422 not a UUID or a bad name, 401 without a token', async () => {
      const a = await signedInUser(t);
      const patch = (url: string, payload: object, headers = a.headers) =>
        t.app.inject({ method: 'PATCH', url, headers, payload });
      expectEnvelope(
        await patch('/auth/passkeys/7c9e6679-7425-40de-944b-e07fc1f90ae7', { name: 'x' }),
        'NOT_FOUND',
      );
      expectEnvelope(await patch('/auth/passkeys/not-a-uuid', { name: 'x' }), 'VALIDATION_ERROR');
      const p = await addPasskey(t, a, authenticatorFor(t));
      expectEnvelope(await patch(`/auth/passkeys/${p.id}`, { name: '' }), 'VALIDATION_ERROR');
      expectEnvelope(await patch(`/auth/passkeys/${p.id}`, { name: 'a\u0007b' }), 'VALIDATION_ERROR');
      expectEnvelope(await patch(`/auth/passkeys/${p.id}`, { name: 'x', extra: 1 }), 'VALIDATION_ERROR');
      expectEnvelope(await patch(`/auth/passkeys/${p.id}`, { name: 'x' }, {} as never), 'UNAUTHORIZED');
    });

    it('rename: 403 to the page’s cookie sent from another site, the name kept', async () => {
      const a = await signedInUser(t);
      const p = await addPasskey(t, a, authenticatorFor(t), 'Mine');
      const cookie = await browserSession(t, a.user.email);
      const rename = (site: 'same-origin' | 'cross-site') =>
        t.app.inject({
          method: 'PATCH',
          url: `/auth/passkeys/${p.id}`,
          headers: cookieHeaders(cookie, site),
          payload: { name: 'Renamed' },
        });
      const before = await accountState(t, a.user.id);
      expectEnvelope(await rename('cross-site'), 'FORBIDDEN', /another site/);
      expect(await accountState(t, a.user.id)).toEqual(before);
      expect((await rename('same-origin')).json().passkey.name).toBe('Renamed');
    });

    it.each(['PATCH', 'DELETE'] as const)(
      '%s: a body that cannot be read is 400, and the passkey is left alone',
      async (method) => {
        const a = await signedInUser(t);
        const p = await addPasskey(t, a, authenticatorFor(t), 'Mine');
        const before = await accountState(t, a.user.id);
        await expectUnreadable(a, method, `/auth/passkeys/${p.id}`);
        expect(await accountState(t, a.user.id)).toEqual(before);
      },
    );

    it('delete: 422 for an id that is not a UUID, deleting nothing', async () => {
      const a = await signedInUser(t);
      await addPasskey(t, a, authenticatorFor(t));
      const before = await accountState(t, a.user.id);
      expectEnvelope(
        await t.app.inject({ method: 'DELETE', url: '/auth/passkeys/not-a-uuid', headers: a.headers }),
        'VALIDATION_ERROR',
        /id/,
      );
      expect(await accountState(t, a.user.id)).toEqual(before);
    });

    it('deletes my passkey (fresh proof): it no longer signs in', async () => {
      const a = await signedInUser(t);
      const authenticator = authenticatorFor(t);
      const p = await addPasskey(t, a, authenticator);
      const res = await t.app.inject({ method: 'DELETE', url: `/auth/passkeys/${p.id}`, headers: a.headers });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ message: 'Passkey deleted' });
      expect(await passkeysOf(a)).toEqual([]);
      expect(await actions(a)).toContain('mfa.passkey_deleted');
      expectEnvelope(await signIn(await assertion(t, authenticator)), 'UNAUTHORIZED');
    });

    it('delete: 403 without a fresh proof (kept), 404 unknown, 401 without a token', async () => {
      clock.freeze();
      const a = await signedInUser(t);
      const p = await addPasskey(t, a, authenticatorFor(t));
      clock.advance(FRESH * 1000 + 1);
      expectEnvelope(
        await t.app.inject({ method: 'DELETE', url: `/auth/passkeys/${p.id}`, headers: a.headers }),
        'REAUTHENTICATION_REQUIRED',
      );
      expect(await passkeysOf(a)).toHaveLength(1);
      vi.useRealTimers();
      const b = await signedInUser(t);
      expectEnvelope(
        await t.app.inject({
          method: 'DELETE',
          url: '/auth/passkeys/7c9e6679-7425-40de-944b-e07fc1f90ae7',
          headers: b.headers,
        }),
        'NOT_FOUND',
      );
      expectEnvelope(await t.app.inject({ method: 'DELETE', url: `/auth/passkeys/${p.id}` }), 'UNAUTHORIZED');
    });

    it('GET /auth/passkeys answers 401 without a token', async () => {
      expectEnvelope(await t.app.inject({ method: 'GET', url: '/auth/passkeys' }), 'UNAUTHORIZED');
    });
  });

  describe('sign-in', () => {
    it('authentication options: no allowCredentials, user verification required, no body or {}', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/auth/passkeys/authentication-options' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const { options } = res.json();
      expect(options.rpId).toBe('auth.example.test');
      expect(options.userVerification).toBe('required');
      expect(options.allowCredentials ?? []).toEqual([]);
      expect((await authenticationOptions(t)).challengeId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expectEnvelope(
        await t.app.inject({
          method: 'POST',
          url: '/auth/passkeys/authentication-options',
          payload: { email: 'a@b.c' },
        }),
        'VALIDATION_ERROR',
      );
    });

    it('authentication options: a body that cannot be read is 400, and no challenge is stored', async () => {
      const challenges = async () =>
        (await t.database.db.query<{ n: string }>('SELECT count(*)::text AS n FROM webauthn_challenges'))[0]
          ?.n;
      const before = await challenges();
      for (const { body, ...type } of UNREADABLE)
        expectEnvelope(
          await t.app.inject({
            method: 'POST',
            url: '/auth/passkeys/authentication-options',
            headers: type,
            payload: body,
          }),
          'INVALID_INPUT',
        );
      expect(await challenges()).toBe(before);
    });

    it('a discoverable passkey signs in without a password: a session opens, its use is recorded', async () => {
      const a = await signedInUser(t);
      const authenticator = authenticatorFor(t);
      const p = await addPasskey(t, a, authenticator);
      const res = await signIn({ ...(await assertion(t, authenticator)), deviceName: 'Phone' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.json();
      expect(body).toMatchObject({ tokenType: 'Bearer', user: { id: a.user.id } });
      const me = await t.app.inject({
        method: 'GET',
        url: '/auth/me',
        headers: { authorization: `Bearer ${body.accessToken}` },
      });
      expect(me.json().session.id).toBe(body.session.id);
      expect(await t.store.findSession(body.session.id)).toMatchObject({
        deviceName: 'Phone',
        endedAt: null,
      });
      const stored = await t.store.findPasskeyByCredentialId(
        authenticator.credentials[0]!.id.toString('base64url'),
      );
      expect(stored?.counter).toBe(1);
      expect(stored?.lastUsedAt).not.toBeNull();
      expect((await passkeysOf(a))[0]).toMatchObject({ id: p.id, lastUsedAt: expect.any(Date) });
      const audit = await t.store.listAuditEvents({ userId: a.user.id, limit: 50 });
      expect(audit.find((e) => e.sessionIds.includes(body.session.id))?.details).toEqual({
        method: 'passkey',
      });
    });

    it('refuses a wrong origin, wrong challenge, wrong RP ID, no user verification, a counter gone back: 401, no session', async () => {
      const a = await signedInUser(t);
      const authenticator = authenticatorFor(t);
      await addPasskey(t, a, authenticator);
      expect((await signIn(await assertion(t, authenticator, { counter: 5 }))).statusCode).toBe(200);
      for (const bend of [
        { origin: 'https://evil.example.test' },
        { challenge: 'AAAAAAAAAAAAAAAAAAAAAA' },
        { rpId: 'example.org' },
        { userVerified: false },
        { counter: 3 },
      ])
        expectEnvelope(await signIn(await assertion(t, authenticator, bend)), 'UNAUTHORIZED', /passkey/);
      expect(await t.store.listActiveSessions(a.user.id)).toHaveLength(2);
      const failed = (await t.store.listAuditEvents({ userId: a.user.id, limit: 50 })).filter(
        (e) => e.action === 'login.failed' && e.reason === 'bad_passkey',
      );
      expect(failed).toHaveLength(5);
    });

    it('a replayed challenge (the same assertion twice) is refused', async () => {
      const a = await signedInUser(t);
      const authenticator = authenticatorFor(t);
      await addPasskey(t, a, authenticator);
      const signed = await assertion(t, authenticator);
      expect((await signIn(signed)).statusCode).toBe(200);
      expectEnvelope(await signIn(signed), 'UNAUTHORIZED');
      // A fresh assertion for the spent challenge too.
      const { options } = await authenticationOptions(t);
      expectEnvelope(
        await signIn({ challengeId: signed.challengeId, response: authenticator.authenticate(options) }),
        'UNAUTHORIZED',
      );
    });

    it('an unknown passkey and a disabled account get 401', async () => {
      const stranger = authenticatorFor(t);
      const { options } = await registrationOptions(t, await signedInUser(t));
      stranger.register(options); // never sent to the server
      expectEnvelope(await signIn(await assertion(t, stranger)), 'UNAUTHORIZED');
      const a = await signedInUser(t);
      const authenticator = authenticatorFor(t);
      await addPasskey(t, a, authenticator);
      await t.store.setUserDisabled(a.user.id, true);
      expectEnvelope(await signIn(await assertion(t, authenticator)), 'UNAUTHORIZED');
    });

    it('answers 422 for a malformed body', async () => {
      expectEnvelope(await signIn({ challengeId: 'x' }), 'VALIDATION_ERROR');
      expectEnvelope(
        await signIn({ challengeId: 'x', response: { id: 'x' }, password: PASSWORD }),
        'VALIDATION_ERROR',
      );
    });

    it('answers 409 at the session limit with SESSION_LIMIT_POLICY=deny, opening no session', async () => {
      const limited = await startTestApp(backend, {
        PUBLIC_URL: ORIGIN,
        MAX_SESSIONS_PER_USER: '1',
        SESSION_LIMIT_POLICY: 'deny',
      });
      try {
        const a = await signedInUser(limited);
        const authenticator = authenticatorFor(limited);
        await addPasskey(limited, a, authenticator);
        const res = await limited.app.inject({
          method: 'POST',
          url: '/auth/login/passkey',
          payload: await assertion(limited, authenticator),
        });
        expectEnvelope(res, 'CONFLICT', /Session limit reached \(1 active sessions\)/);
        expect((await limited.store.listActiveSessions(a.user.id)).map((s) => s.id)).toEqual([a.session.id]);
        const denied = (await limited.store.listAuditEvents({ userId: a.user.id, limit: 50 })).filter(
          (e) => e.action === 'login.denied',
        );
        expect(denied.map((e) => e.reason)).toEqual(['session_limit']);
        // With the other session ended, the passkey signs in.
        await limited.app.inject({ method: 'POST', url: '/auth/logout', headers: a.headers });
        const retry = await limited.app.inject({
          method: 'POST',
          url: '/auth/login/passkey',
          payload: await assertion(limited, authenticator),
        });
        expect(retry.statusCode, retry.body).toBe(200);
      } finally {
        await limited.close();
      }
    });

    it('POST /account/login/passkey sets the cookies', async () => {
      const a = await signedInUser(t);
      const authenticator = authenticatorFor(t);
      await addPasskey(t, a, authenticator);
      const res = await t.app.inject({
        method: 'POST',
        url: '/account/login/passkey',
        headers: { 'sec-fetch-site': 'same-origin' },
        payload: await assertion(t, authenticator),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user.id).toBe(a.user.id);
      expect(String(res.headers['set-cookie'])).toMatch(/__Host-gatehouse_session=|gatehouse_session=/);
    });
  });

  describe('WEBAUTHN_ORIGINS and WEBAUTHN_RP_ID', () => {
    it('accepts each listed origin under the RP ID, and refuses PUBLIC_URL when not listed', async () => {
      const multi = await startTestApp(backend, {
        PUBLIC_URL: 'https://example.test',
        WEBAUTHN_RP_ID: 'example.test',
        WEBAUTHN_ORIGINS: 'https://app.example.test,https://admin.example.test',
      });
      try {
        const a = await signedInUser(multi);
        const app = new SoftwareAuthenticator('https://app.example.test');
        const admin = new SoftwareAuthenticator('https://admin.example.test');
        await addPasskey(multi, a, app);
        await addPasskey(multi, a, admin);
        const { challengeId, options } = await registrationOptions(multi, a);
        const res = await multi.app.inject({
          method: 'POST',
          url: '/auth/passkeys',
          headers: a.headers,
          payload: {
            challengeId,
            response: new SoftwareAuthenticator('https://example.test').register(options),
          },
        });
        expectEnvelope(res, 'INVALID_CREDENTIAL');
        const signed = await multi.app.inject({
          method: 'POST',
          url: '/auth/login/passkey',
          payload: await assertion(multi, admin),
        });
        expect(signed.statusCode, signed.body).toBe(200);
      } finally {
        await multi.close();
      }
    });
  });
});

/** A registration response's clientDataJSON, changed by `edit` (its signature covers none of it). */
function editClientData(encoded: string, edit: (clientData: Record<string, unknown>) => object): string {
  const clientData = JSON.parse(Buffer.from(encoded, 'base64url').toString()) as Record<string, unknown>;
  return Buffer.from(JSON.stringify(edit(clientData))).toString('base64url');
}
