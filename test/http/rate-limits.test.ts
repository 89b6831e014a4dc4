import { randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../src/domain/sessions.js';
import { newRefreshToken } from '../../src/domain/tokens.js';
import { register as createAccount } from '../../src/domain/users.js';
import { accountState } from '../support/account-state.js';
import { backends } from '../support/backends.js';
import { authenticatorFor } from '../support/factors.js';
import {
  expectEnvelope,
  PASSWORD,
  sessionState,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from '../support/harness.js';
import { mailedToken } from '../support/mail.js';

const PER_IP = 3;
const PER_ACCOUNT = 2;

describe.each(backends)('rate limits on credential endpoints on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, {
      RATE_LIMITS: 'on',
      RATE_LIMIT_PER_IP: String(PER_IP),
      RATE_LIMIT_PER_ACCOUNT: String(PER_ACCOUNT),
    });
  });
  afterAll(() => t.close());

  // Every test speaks from addresses of its own, so budgets never carry over between tests.
  let lastOctet = 0;
  const newAddress = () =>
    `10.${backend.name === 'pglite' ? 1 : 2}.${Math.floor(++lastOctet / 250)}.${lastOctet % 250}`;

  const post = (url: string, payload: unknown, ip: string) =>
    t.app.inject({ method: 'POST', url, payload: payload as string, remoteAddress: ip });

  // Accounts and sessions for the tests are made through the domain, spending no request budget.
  const origin = { ip: null, userAgent: 'rate-limit-test' };
  const account = () => createAccount(t.ctx, { email: uniqueEmail(), password: PASSWORD }, origin);
  const sessionOf = async (email: string) => {
    const answer = await login(t.ctx, { email, password: PASSWORD }, origin);
    if ('mfaRequired' in answer) throw new Error('this account has no second factor');
    return answer;
  };

  function expectRateLimited(res: LightMyRequestResponse, description?: RegExp) {
    expectEnvelope(res, 'RATE_LIMITED', description);
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-request-id']).toBeTruthy();
  }

  describe('per client address', () => {
    it('answers 429 on login after RATE_LIMIT_PER_IP attempts, with Retry-After', async () => {
      const ip = newAddress();
      for (let i = 0; i < PER_IP; i++)
        expect((await post('/auth/login', { email: uniqueEmail(), password: PASSWORD }, ip)).statusCode).toBe(
          401,
        );
      expectRateLimited(
        await post('/auth/login', { email: uniqueEmail(), password: PASSWORD }, ip),
        /retry in/,
      );
    });

    it('refuses a limited login before checking it: no session, no audit event', async () => {
      const ip = newAddress();
      const user = await account();
      for (let i = 0; i < PER_IP; i++)
        await post('/auth/login', { email: uniqueEmail(), password: PASSWORD }, ip);
      const auditBefore = (await t.store.listAuditEvents({ limit: 10_000 })).length;
      expectRateLimited(await post('/auth/login', { email: user.email, password: PASSWORD }, ip));
      expect(await t.store.listActiveSessions(user.id)).toEqual([]);
      expect((await t.store.listAuditEvents({ limit: 10_000 })).length).toBe(auditBefore);
    });

    it('answers 429 on register after RATE_LIMIT_PER_IP, creating no account', async () => {
      const ip = newAddress();
      for (let i = 0; i < PER_IP; i++)
        expect(
          (await post('/auth/register', { email: uniqueEmail(), password: PASSWORD }, ip)).statusCode,
        ).toBe(201);
      const email = uniqueEmail();
      expectRateLimited(await post('/auth/register', { email, password: PASSWORD }, ip));
      expect(await t.store.findUserByEmail(email)).toBeNull();
    });

    it('answers 429 on refresh after RATE_LIMIT_PER_IP, leaving the token unused', async () => {
      const ip = newAddress();
      const user = await account();
      const grant = await sessionOf(user.email);
      for (let i = 0; i < PER_IP; i++)
        expect((await post('/auth/refresh', { refreshToken: newRefreshToken().token }, ip)).statusCode).toBe(
          401,
        );
      expectRateLimited(await post('/auth/refresh', { refreshToken: grant.refreshToken }, ip));
      // Not rotated, so not "reused" later: it still works, once, from elsewhere.
      expect(
        (await post('/auth/refresh', { refreshToken: grant.refreshToken }, newAddress())).statusCode,
      ).toBe(200);
      expect(await sessionState(t, grant.session.id)).toEqual({ ended: false, reason: null });
    });

    it('shares one budget across the credential endpoints', async () => {
      const ip = newAddress();
      expect(
        (await post('/auth/register', { email: uniqueEmail(), password: PASSWORD }, ip)).statusCode,
      ).toBe(201);
      expect((await post('/auth/login', { email: uniqueEmail(), password: PASSWORD }, ip)).statusCode).toBe(
        401,
      );
      expect((await post('/auth/revoke', { token: 'x' }, ip)).statusCode).toBe(200);
      expectRateLimited(await post('/auth/refresh', { refreshToken: 'x' }, ip));
    });

    it.each([
      ['/auth/login/passkey', { challengeId: 'x', response: {} }, 422],
      ['/auth/passkeys/authentication-options', {}, 200],
    ])('answers 429 on %s after RATE_LIMIT_PER_IP, before reading it', async (url, payload, status) => {
      const ip = newAddress();
      for (let i = 0; i < PER_IP; i++) expect((await post(url, payload, ip)).statusCode).toBe(status);
      expectRateLimited(await post(url, payload, ip));
    });

    it('limits guesses of mfaTokens: an unknown one counts against its address at the per-account rate', async () => {
      const ip = newAddress();
      const guess = { mfaToken: 'x'.repeat(43), code: '123456' };
      for (let i = 0; i < PER_ACCOUNT; i++)
        expect((await post('/auth/login/mfa', guess, ip)).statusCode).toBe(401);
      expectRateLimited(await post('/auth/login/mfa', guess, ip));
    });

    it('limits the second-factor changes too (TOTP confirmation: no guessing the first code)', async () => {
      const ip = newAddress();
      const who = await sessionOf((await account()).email);
      const headers = { authorization: `Bearer ${who.accessToken}` };
      await t.app.inject({ method: 'POST', url: '/auth/totp/enroll', headers, remoteAddress: ip });
      for (let i = 1; i < PER_IP; i++)
        expect(
          (
            await t.app.inject({
              method: 'POST',
              url: '/auth/totp/confirm',
              headers,
              payload: { code: '000000' },
              remoteAddress: ip,
            })
          ).statusCode,
        ).not.toBe(429);
      expectRateLimited(
        await t.app.inject({
          method: 'POST',
          url: '/auth/totp/confirm',
          headers,
          payload: { code: '000000' },
          remoteAddress: ip,
        }),
      );
    });

    /**
     * The routes of a signed-in account (and the two mailed links), each over its budget with a
     * request that would change the account were it let through. The budget is spent with
     * requests of the same route that are refused before they reach anything (no token, or no
     * body: 401 or 422, after the per-address hook has counted them); then the limited request
     * gets 429 and changes nothing of the account. `stillWorks` shows, from another address,
     * that what it carried (a mailed token, a challenge) was not spent by it.
     */
    interface Account {
      id: string;
      email: string;
      headers: Record<string, string>;
    }
    interface LimitedCase {
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
      url: string;
      /** Makes the account ready and returns the request's own parts. */
      prepare?: (a: Account) => Promise<{ url?: string; payload?: object; addresses?: string[] }>;
      /** What the budget-spending requests (no token, or an empty body) are answered. */
      spent: 401 | 422;
      stillWorks?: (a: Account, sent: { url: string; payload?: object }, ip: string) => Promise<void>;
    }
    const signedIn = async (): Promise<Account> => {
      const user = await account();
      const grant = await sessionOf(user.email);
      return { id: user.id, email: user.email, headers: { authorization: `Bearer ${grant.accessToken}` } };
    };
    const withPasskey = async (a: Account) => {
      const id = randomUUID();
      await t.store.insertPasskey({
        id,
        userId: a.id,
        credentialId: randomUUID(),
        publicKey: Buffer.from('not a key'),
        counter: 0,
        transports: [],
        deviceType: 'singleDevice',
        backedUp: false,
        name: 'Laptop',
      });
      return { url: `/auth/passkeys/${id}` };
    };

    const withTotp = async (a: Account) => {
      await t.store.putPendingTotp(a.id, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
      await t.store.confirmTotp(a.id, 1);
      await t.store.replaceRecoveryCodes(a.id, [randomBytes(32), randomBytes(32)]);
      return {};
    };
    const answersFromElsewhere =
      (method: 'POST', status: number) =>
      async (a: Account, sent: { url: string; payload?: object }, ip: string) => {
        const res = await t.app.inject({
          method,
          url: sent.url,
          headers: a.headers,
          remoteAddress: ip,
          ...(sent.payload ? { payload: sent.payload } : {}),
        });
        expect(res.statusCode, res.body).toBe(status);
      };

    const limited: [string, LimitedCase][] = [
      [
        'POST /auth/email/verify',
        {
          method: 'POST',
          url: '/auth/email/verify',
          prepare: async (a) => ({ payload: { token: await mailedToken(t, a, 'verify') } }),
          spent: 422,
          stillWorks: answersFromElsewhere('POST', 200),
        },
      ],
      [
        'POST /auth/password/reset',
        {
          method: 'POST',
          url: '/auth/password/reset',
          prepare: async (a) => ({
            payload: { token: await mailedToken(t, a, 'reset'), newPassword: 'a brand new passphrase' },
          }),
          spent: 422,
          stillWorks: answersFromElsewhere('POST', 200),
        },
      ],
      [
        'POST /auth/email',
        {
          method: 'POST',
          url: '/auth/email',
          prepare: async () => {
            const newEmail = uniqueEmail('new');
            return { payload: { newEmail }, addresses: [newEmail] };
          },
          spent: 401,
        },
      ],
      ['POST /auth/totp/enroll', { method: 'POST', url: '/auth/totp/enroll', spent: 401 }],
      [
        'POST /auth/totp/disable',
        { method: 'POST', url: '/auth/totp/disable', prepare: withTotp, spent: 401 },
      ],
      [
        'POST /auth/recovery-codes',
        { method: 'POST', url: '/auth/recovery-codes', prepare: withTotp, spent: 401 },
      ],
      [
        'POST /auth/passkeys/registration-options',
        { method: 'POST', url: '/auth/passkeys/registration-options', spent: 401 },
      ],
      [
        'POST /auth/passkeys',
        {
          method: 'POST',
          url: '/auth/passkeys',
          prepare: async (a) => {
            const options = await t.app.inject({
              method: 'POST',
              url: '/auth/passkeys/registration-options',
              headers: a.headers,
              remoteAddress: newAddress(),
            });
            const { challengeId, options: creation } = options.json();
            return { payload: { challengeId, response: authenticatorFor(t).register(creation) } };
          },
          spent: 401,
          stillWorks: answersFromElsewhere('POST', 201),
        },
      ],
      ['GET /auth/passkeys', { method: 'GET', url: '/auth/passkeys', spent: 401 }],
      [
        'PATCH /auth/passkeys/{id}',
        {
          method: 'PATCH',
          url: '/auth/passkeys/{id}',
          prepare: async (a) => ({ ...(await withPasskey(a)), payload: { name: 'Renamed' } }),
          spent: 401,
        },
      ],
      [
        'DELETE /auth/passkeys/{id}',
        { method: 'DELETE', url: '/auth/passkeys/{id}', prepare: withPasskey, spent: 401 },
      ],
    ];

    it.each(limited)('answers 429 on %s after RATE_LIMIT_PER_IP, changing nothing', async (_, c) => {
      const ip = newAddress();
      const a = await signedIn();
      const own = (await c.prepare?.(a)) ?? {};
      const url = own.url ?? c.url;
      for (let i = 0; i < PER_IP; i++) {
        const spend = await t.app.inject({
          method: c.method,
          url,
          remoteAddress: ip,
          ...(c.spent === 422 ? { payload: {} } : {}),
        });
        expect(spend.statusCode, spend.body).toBe(c.spent);
      }
      const before = await accountState(t, a.id, own.addresses);
      const res = await t.app.inject({
        method: c.method,
        url,
        headers: a.headers,
        remoteAddress: ip,
        ...(own.payload ? { payload: own.payload } : {}),
      });
      expectRateLimited(res, /retry in/);
      expect(await accountState(t, a.id, own.addresses)).toEqual(before);
      await c.stillWorks?.(a, { url, payload: own.payload }, newAddress());
    });

    it('does not limit another address', async () => {
      const ip = newAddress();
      for (let i = 0; i <= PER_IP; i++)
        await post('/auth/login', { email: uniqueEmail(), password: PASSWORD }, ip);
      expect((await post('/auth/login', { email: uniqueEmail(), password: PASSWORD }, ip)).statusCode).toBe(
        429,
      );
      expect(
        (await post('/auth/login', { email: uniqueEmail(), password: PASSWORD }, newAddress())).statusCode,
      ).toBe(401);
    });

    it('never limits logout: a client can always sign out', async () => {
      const ip = newAddress();
      const user = await account();
      for (let i = 0; i < PER_IP + 2; i++) {
        const grant = await sessionOf(user.email);
        const res = await t.app.inject({
          method: 'POST',
          url: '/auth/logout',
          headers: { authorization: `Bearer ${grant.accessToken}` },
          remoteAddress: ip,
        });
        expect(res.statusCode, res.body).toBe(200);
      }
    });
  });

  describe('per account (login), from any address', () => {
    it('answers 429 after RATE_LIMIT_PER_ACCOUNT logins of one account, each from a new address', async () => {
      const user = await account();
      for (let i = 0; i < PER_ACCOUNT; i++)
        expect(
          (await post('/auth/login', { email: user.email, password: PASSWORD }, newAddress())).statusCode,
        ).toBe(200);
      const limited = await post('/auth/login', { email: user.email, password: PASSWORD }, newAddress());
      expectRateLimited(limited);
      // The 429 opened no session: only the two logins that were let through did.
      expect(await t.store.listActiveSessions(user.id)).toHaveLength(PER_ACCOUNT);
    });

    it('counts a login’s second step against its account, from any address', async () => {
      const user = await account();
      await t.store.putPendingTotp(user.id, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
      await t.store.confirmTotp(user.id, 1);
      const answer = await login(t.ctx, { email: user.email, password: PASSWORD }, origin);
      if (!('mfaRequired' in answer)) throw new Error('expected a second step');
      const wrong = { mfaToken: answer.mfaToken, code: '000000' };
      for (let i = 0; i < PER_ACCOUNT; i++)
        expect((await post('/auth/login/mfa', wrong, newAddress())).statusCode).toBe(401);
      expectRateLimited(await post('/auth/login/mfa', wrong, newAddress()));
      // The limited attempt was not counted on the mfaToken.
      const [row] = await t.database.db.query<{ failures: number }>(
        'SELECT failures FROM mfa_tokens WHERE user_id = $1',
        [user.id],
      );
      expect(row?.failures).toBe(PER_ACCOUNT);
    });

    it('counts the account by its normalised email', async () => {
      const user = await account();
      await post('/auth/login', { email: user.email, password: 'wrong password x' }, newAddress());
      await post(
        '/auth/login',
        { email: user.email.toUpperCase(), password: 'wrong password x' },
        newAddress(),
      );
      expectRateLimited(
        await post('/auth/login', { email: ` ${user.email}`, password: PASSWORD }, newAddress()),
      );
      expect(await t.store.listActiveSessions(user.id)).toEqual([]);
    });

    it('limits an unknown email exactly like a real one (a 429 tells nothing)', async () => {
      const email = uniqueEmail('nobody');
      for (let i = 0; i < PER_ACCOUNT; i++)
        await post('/auth/login', { email, password: PASSWORD }, newAddress());
      expectRateLimited(await post('/auth/login', { email, password: PASSWORD }, newAddress()));
    });

    it('does not affect a different account', async () => {
      const [limited, other] = [await account(), await account()];
      const ip = newAddress();
      await post('/auth/login', { email: limited.email, password: PASSWORD }, newAddress());
      await post('/auth/login', { email: limited.email, password: PASSWORD }, newAddress());
      expectRateLimited(await post('/auth/login', { email: limited.email, password: PASSWORD }, ip));
      const res = await post('/auth/login', { email: other.email, password: PASSWORD }, ip);
      expect(res.statusCode, res.body).toBe(200);
      expect(await t.store.listActiveSessions(other.id)).toHaveLength(1);
    });
  });
});
