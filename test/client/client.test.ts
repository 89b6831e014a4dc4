import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGatehouseClient,
  GatehouseError,
  memoryTokenStore,
  type TokenResponse,
} from '../../client/index.js';
import { backends } from '../support/backends.js';
import { enableTotp, totpCode } from '../support/factors.js';
import {
  PASSWORD,
  register,
  sessionState,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from '../support/harness.js';

/** The typed client against a real server on an ephemeral port. */
describe('the typed client', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(backends[0]!);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  interface Options {
    onSignedOut?: () => void;
    fetch?: (request: Request) => Promise<Response>;
  }

  /** A client whose requests are recorded as "METHOD /path", with a token store the test can reach. */
  function recordingClient(opts: Options = {}) {
    const calls: string[] = [];
    const tokens = memoryTokenStore();
    const client = createGatehouseClient({
      baseUrl: base,
      tokens,
      onSignedOut: opts.onSignedOut,
      fetch: (request) => {
        calls.push(`${request.method} ${new URL(request.url).pathname}`);
        return (opts.fetch ?? fetch)(request);
      },
    });
    return { client, calls, tokens };
  }

  async function signedIn(opts: Options = {}) {
    const email = (await register(t, uniqueEmail('client'))).email;
    const { client, calls, tokens } = recordingClient(opts);
    const grant = (await client.login({ email, password: PASSWORD })) as TokenResponse;
    calls.length = 0;
    /** Replaces the access token with a correctly signed one of the same session that expired 5 s ago. */
    const expireAccessToken = async () => {
      const current = tokens.get()!;
      const claims = JSON.parse(Buffer.from(current.accessToken.split('.')[1]!, 'base64url').toString());
      const { kid, key } = t.ctx.keys.signingKey;
      const expired = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 5 })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid })
        .sign(key);
      tokens.set({ ...current, accessToken: expired });
    };
    return { client, calls, grant, email, expireAccessToken };
  }

  async function rejection(promise: Promise<unknown>): Promise<GatehouseError> {
    const err = await promise.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GatehouseError);
    return err as GatehouseError;
  }

  describe('typed calls', () => {
    it('registers, logs in, and answers who am I and the session list', async () => {
      const email = uniqueEmail('client');
      const { client } = recordingClient();
      const user = await client.register({ email, password: PASSWORD, name: 'Grace' });
      expect(user).toMatchObject({ email, name: 'Grace', roles: ['user'] });
      const grant = (await client.login({ email, password: PASSWORD })) as TokenResponse;
      expect(grant.tokenType).toBe('Bearer');
      expect(client.tokens).toEqual({ accessToken: grant.accessToken, refreshToken: grant.refreshToken });
      const me = await client.me();
      expect(me.session.id).toBe(grant.session.id);
      const page = await client.sessions();
      expect(page.sessions).toEqual([expect.objectContaining({ id: grant.session.id, current: true })]);
      expect(page).toMatchObject({ nextCursor: null, current: { id: grant.session.id, current: true } });
    });

    it('pages through the session list by cursor, or follows it to the end with allSessions', async () => {
      const { client, grant, email } = await signedIn();
      // Two more devices of the same account, newer than this one.
      const others: string[] = [];
      for (let i = 0; i < 2; i++) {
        const device = createGatehouseClient({ baseUrl: base });
        others.push(((await device.login({ email, password: PASSWORD })) as TokenResponse).session.id);
      }
      const first = await client.sessions({ limit: 2 });
      expect(first.sessions.map((s) => s.id)).toEqual([...others].reverse());
      expect(first.current?.id).toBe(grant.session.id);
      const second = await client.sessions({ limit: 2, cursor: first.nextCursor! });
      expect(second).toMatchObject({ sessions: [{ id: grant.session.id, current: true }], nextCursor: null });
      expect((await client.allSessions()).map((s) => s.id)).toEqual([
        ...[...others].reverse(),
        grant.session.id,
      ]);
      expect((await client.allSessions(1)).map((s) => s.id)).toEqual([others[1]]);
      const err = await rejection(client.sessions({ limit: 0 }));
      expect(err).toMatchObject({ status: 422, code: 'VALIDATION_ERROR', details: [{ path: '/limit' }] });
    });

    it('a login with TOTP: no tokens after the password, then loginMfa holds them', async () => {
      const { client, grant } = await signedIn();
      const { secret } = await enableTotp(t, {
        ...grant,
        headers: { authorization: `Bearer ${grant.accessToken}` },
      });
      const fresh = recordingClient().client;
      const first = await fresh.login({ email: grant.user.email, password: PASSWORD });
      expect(first).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery_code'] });
      expect(fresh.tokens).toBeNull();
      if (!('mfaRequired' in first)) throw new Error('expected a second step');
      const wrong = await rejection(fresh.loginMfa({ mfaToken: first.mfaToken, code: '000000' }));
      expect(wrong).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      const signedIn2 = (await fresh.loginMfa({
        mfaToken: first.mfaToken,
        code: await totpCode(secret, Date.now() + 30_000),
      })) as TokenResponse;
      expect(fresh.tokens).toEqual({
        accessToken: signedIn2.accessToken,
        refreshToken: signedIn2.refreshToken,
      });
      expect((await fresh.me()).session.id).toBe(signedIn2.session.id);
      expect(client.tokens).not.toBeNull();
    });

    it('exposes every operation of the document, authenticated, as client.api', async () => {
      const { client, grant } = await signedIn();
      const { data, response } = await client.api.GET('/auth/me');
      expect(response.status).toBe(200);
      expect(data?.user.id).toBe(grant.user.id);
      expect((await client.api.GET('/health')).response.status).toBe(200);
    });
  });

  describe('errors are GatehouseError {status, code, message, description, details}', () => {
    it('for a wrong password (401)', async () => {
      const { email } = await signedIn();
      const { client } = recordingClient();
      const err = await rejection(client.login({ email, password: 'wrong password' }));
      expect(err).toMatchObject({
        status: 401,
        code: 'UNAUTHORIZED',
        message: 'Unauthorized',
        description: 'Invalid email or password',
        details: [],
      });
      expect(client.tokens).toBeNull();
    });

    it('with the per-field details of a 422', async () => {
      const { client } = recordingClient();
      const err = await rejection(client.register({ email: 'not an email', password: PASSWORD }));
      expect(err.status).toBe(422);
      expect(err.code).toBe('VALIDATION_ERROR');
      expect(err.message).toBe('Validation error');
      expect(err.details).toEqual([expect.objectContaining({ path: '/email' })]);
    });

    it('for a taken email (409)', async () => {
      const { email, client } = await signedIn();
      const err = await rejection(client.register({ email, password: PASSWORD }));
      expect(err).toMatchObject({ status: 409, code: 'CONFLICT', message: 'Resource conflict' });
    });

    it('NETWORK_ERROR (status 0) when Gatehouse cannot be reached', async () => {
      const client = createGatehouseClient({ baseUrl: 'http://127.0.0.1:9' });
      const err = await rejection(client.register({ email: uniqueEmail(), password: PASSWORD }));
      expect(err).toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
    });

    it('UNEXPECTED_RESPONSE for an answer that is not the envelope (a proxy page)', async () => {
      const { client } = recordingClient({
        fetch: async () => new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }),
      });
      const err = await rejection(client.register({ email: uniqueEmail(), password: PASSWORD }));
      expect(err).toMatchObject({ status: 502, code: 'UNEXPECTED_RESPONSE', message: 'Bad Gateway' });
    });
  });

  describe('calls whose 401 means a wrong password', () => {
    it('reauthenticate: a wrong password is thrown as it is, not refreshed and sent again', async () => {
      const { client, calls, grant } = await signedIn();
      const err = await rejection(client.reauthenticate({ password: 'not the password at all' }));
      expect(err.status).toBe(401);
      // One guess, counted once; the session and its tokens are untouched.
      expect(calls).toEqual(['POST /auth/reauthenticate']);
      expect(client.tokens?.refreshToken).toBe(grant.refreshToken);
      expect(await sessionState(t, grant.session.id)).toEqual({ ended: false, reason: null });
      await client.reauthenticate({ password: PASSWORD });
      expect(calls).toEqual(['POST /auth/reauthenticate', 'POST /auth/reauthenticate']);
    });

    it('changePassword: a wrong current password likewise; the right one changes it', async () => {
      const { client, calls, email } = await signedIn();
      const err = await rejection(
        client.changePassword({
          currentPassword: 'not the password at all',
          newPassword: 'a brand new passphrase 7',
        }),
      );
      expect(err.status).toBe(401);
      expect(calls).toEqual(['POST /auth/password']);
      await client.changePassword({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase 7' });
      const again = createGatehouseClient({ baseUrl: base });
      await again.login({ email, password: 'a brand new passphrase 7' });
    });
  });

  describe('refresh on 401', () => {
    it('refreshes an expired access token once and retries the call', async () => {
      const { client, calls, grant, expireAccessToken } = await signedIn();
      await expireAccessToken();
      const me = await client.me();
      expect(me.session.id).toBe(grant.session.id);
      expect(calls).toEqual(['GET /auth/me', 'POST /auth/refresh', 'GET /auth/me']);
      expect(client.tokens?.refreshToken).not.toBe(grant.refreshToken);
    });

    it('parallel calls share one refresh (a second one would end the session: reuse detection)', async () => {
      const { client, calls, grant, expireAccessToken } = await signedIn();
      await expireAccessToken();
      const answers = await Promise.all([
        client.me(),
        client.sessions(),
        client.me(),
        client.sessions(),
        client.me(),
      ]);
      expect(answers).toHaveLength(5);
      expect(calls.filter((c) => c === 'POST /auth/refresh')).toHaveLength(1);
      expect(await sessionState(t, grant.session.id)).toEqual({ ended: false, reason: null });
    });

    it('a 401 that arrives after another call already refreshed is retried without refreshing again', async () => {
      let refreshed: () => void = () => {};
      const afterRefresh = new Promise<void>((resolve) => {
        refreshed = resolve;
      });
      const { client, calls, expireAccessToken } = await signedIn({
        fetch: async (request) => {
          const path = new URL(request.url).pathname;
          const response = await fetch(request);
          // Let the refresh settle completely before the slow call's 401 comes back.
          if (path === '/auth/refresh') setTimeout(refreshed, 20);
          if (path === '/auth/sessions' && response.status === 401) await afterRefresh;
          return response;
        },
      });
      await expireAccessToken();
      const [me, sessions] = await Promise.all([client.me(), client.sessions()]);
      expect(sessions.sessions.map((x) => x.id)).toEqual([me.session.id]);
      expect(calls.filter((c) => c === 'POST /auth/refresh')).toHaveLength(1);
      expect(calls.filter((c) => c === 'GET /auth/sessions')).toHaveLength(2);
    });

    it('a refresh that gets 401 signs out: tokens cleared, onSignedOut called once, the 401 thrown', async () => {
      let signedOut = 0;
      const { client, calls, grant } = await signedIn({ onSignedOut: () => signedOut++ });
      // Ended elsewhere (another device, an admin).
      const other = createGatehouseClient({ baseUrl: base });
      await other.login({ email: grant.user.email, password: PASSWORD });
      await other.endAllSessions();

      const err = await rejection(client.sessions());
      expect(err).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      expect(calls).toEqual(['GET /auth/sessions', 'POST /auth/refresh']);
      expect(client.tokens).toBeNull();
      expect(signedOut).toBe(1);
    });

    it('keeps the tokens when the refresh itself could not be answered (503), and throws it', async () => {
      const { client, grant, expireAccessToken } = await signedIn({
        fetch: async (request) =>
          new URL(request.url).pathname === '/auth/refresh'
            ? Response.json(
                { message: 'Service unavailable', description: 'Database down', code: 'SERVICE_UNAVAILABLE' },
                { status: 503 },
              )
            : fetch(request),
      });
      await expireAccessToken();
      const err = await rejection(client.me());
      expect(err).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', description: 'Database down' });
      expect(client.tokens?.refreshToken).toBe(grant.refreshToken);
    });
  });

  describe('logout never leaves the client signed in (docs/api.md §2)', () => {
    it('ends this session and clears the tokens', async () => {
      let signedOut = 0;
      const { client, grant } = await signedIn({ onSignedOut: () => signedOut++ });
      expect(await client.logout()).toEqual({ alreadyEnded: false });
      expect(client.tokens).toBeNull();
      expect(signedOut).toBe(1);
      expect(await sessionState(t, grant.session.id)).toEqual({ ended: true, reason: 'logout' });
    });

    it('treats 401 (the session had already ended) as success and clears the tokens', async () => {
      const { client, grant } = await signedIn();
      const tokens = { ...client.tokens! };
      await client.logout();
      // The same tokens, still held elsewhere (another tab's copy), log out again.
      const stale = createGatehouseClient({ baseUrl: base, tokens: memoryTokenStore(tokens) });
      expect(await stale.logout()).toEqual({ alreadyEnded: true });
      expect(stale.tokens).toBeNull();
      expect(await sessionState(t, grant.session.id)).toEqual({ ended: true, reason: 'logout' });
    });

    it('treats 409 for a device already signed out as success, and stays signed in', async () => {
      const { client, email } = await signedIn();
      const phone = createGatehouseClient({ baseUrl: base });
      const phoneGrant = (await phone.login({ email, password: PASSWORD })) as TokenResponse;
      expect(await client.endSession(phoneGrant.session.id)).toEqual({ alreadyEnded: false });
      expect(await client.endSession(phoneGrant.session.id)).toEqual({ alreadyEnded: true });
      expect(client.tokens).not.toBeNull();
      expect((await client.me()).user.email).toBe(email);
    });

    it('signing out every other device keeps this one', async () => {
      const { client, email, grant } = await signedIn();
      const phone = createGatehouseClient({ baseUrl: base });
      const phoneGrant = (await phone.login({ email, password: PASSWORD })) as TokenResponse;
      expect(await client.endOtherSessions()).toEqual({ alreadyEnded: false });
      expect(client.tokens).not.toBeNull();
      expect(await sessionState(t, phoneGrant.session.id)).toEqual({ ended: true, reason: 'logout_others' });
      expect(await sessionState(t, grant.session.id)).toEqual({ ended: false, reason: null });
      // The phone learns on its next call, and its logout is still a success.
      expect(await phone.logout()).toEqual({ alreadyEnded: true });
    });

    it('with an expired access token, refreshes first so the session really ends', async () => {
      const { client, calls, grant, expireAccessToken } = await signedIn();
      await expireAccessToken();
      expect(await client.logout()).toEqual({ alreadyEnded: false });
      expect(calls).toEqual(['POST /auth/logout', 'POST /auth/refresh', 'POST /auth/logout']);
      expect(await sessionState(t, grant.session.id)).toEqual({ ended: true, reason: 'logout' });
      expect(client.tokens).toBeNull();
    });

    it('clears the tokens even when Gatehouse fails to answer, and reports the failure', async () => {
      const { client } = await signedIn({
        fetch: async (request) =>
          new URL(request.url).pathname === '/auth/logout'
            ? Promise.reject(new TypeError('fetch failed'))
            : fetch(request),
      });
      const err = await rejection(client.logout());
      expect(err.code).toBe('NETWORK_ERROR');
      expect(client.tokens).toBeNull();
    });

    it('throws a refusal (403) without touching its own session', async () => {
      const { client } = await signedIn();
      const { grant: stranger } = await signedIn();
      const err = await rejection(client.endSession(stranger.session.id));
      expect(err).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(client.tokens).not.toBeNull();
      expect(await sessionState(t, stranger.session.id)).toEqual({ ended: false, reason: null });
    });
  });
});
