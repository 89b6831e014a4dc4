import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteUser, disableUser, setUserPassword } from '../../src/domain/accounts.js';
import { endSessionsAsAdmin } from '../../src/domain/admin.js';
import { endExpiredSessions, endIdleSessions } from '../../src/domain/expiry.js';
import type { EndReason } from '../../src/domain/model.js';
import { withSessionEnding } from '../../src/domain/session-ending.js';
import { WebhookDispatcher } from '../../src/jobs/webhook-dispatcher.js';
import { BACKCHANNEL_LOGOUT_TYPE } from '../../src/oidc/backchannel.js';
import { OidcTokens } from '../../src/oidc/tokens.js';
import { backends } from '../support/backends.js';
import { PASSWORD, type TestApp } from '../support/harness.js';
import { mailerFor } from '../support/mail.js';
import { browserCookie, client, codeFor, ISSUER, startOidcApp } from '../support/oidc-inject.js';
import { TEST_ACTOR } from '../support/oidc-provider.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { silentLog } from '../support/webhook-receiver.js';

/**
 * Every way a Gatehouse session ends queues a logout token for every client the session
 * signed in to (and only those with a back-channel URI), in the ending's own statement: none
 * for an ending that rolled back. Delivery retries until the client answers 2xx.
 */
describe.each(backends)('back-channel logout for every ending on $name', (backend) => {
  let t: TestApp;
  let withChannel: { id: string; secret: string | null };
  let second: { id: string; secret: string | null };
  let withoutChannel: { id: string; secret: string | null };
  // The password reset's link is mailed: an SMTP server in the test receives it.
  let sink: SmtpSink;
  let deliverMail: () => Promise<number>;
  const SAME_ORIGIN = { origin: 'http://localhost:80', host: 'localhost:80' };

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startOidcApp(backend, { SESSION_IDLE_TTL: '3600', MAIL_URL: sink.url });
    deliverMail = mailerFor(t, sink).deliver;
    withChannel = await client(t, { backchannelLogoutUri: 'https://app.example.test/bc' });
    second = await client(t, { name: 'second', backchannelLogoutUri: 'https://second.example.test/bc' });
    withoutChannel = await client(t, { name: 'no channel' });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  interface Queued {
    client_id: string;
    type: string;
    payload: { sub: string; sid: string; reason: EndReason };
  }
  const queued = async (sid: string) =>
    t.database.db.query<Queued>(
      "SELECT client_id, type, payload FROM event_outbox WHERE client_id IS NOT NULL AND payload->>'sid' = $1 ORDER BY client_id",
      [sid],
    );

  /** A browser session that signed in to two clients with a back channel and one without. */
  async function signedInToClients() {
    const browser = await browserCookie(t);
    for (const c of [withChannel, second, withoutChannel]) await codeFor(t, c, browser.cookie);
    const access = /gatehouse_session=([^;]+)/.exec(browser.cookie)![1]!;
    const refresh = /gatehouse_refresh=([^;]+)/.exec(browser.cookie)![1]!;
    const sid = decodeJwt(access).sid as string;
    const user = (await t.store.findSession(sid))!.userId;
    return { ...browser, sid, user, refresh };
  }

  async function expectQueued(sid: string, reason: EndReason) {
    const rows = await queued(sid);
    expect(rows.map((r) => r.client_id).sort()).toEqual([withChannel.id, second.id].sort());
    for (const r of rows) {
      expect(r.type).toBe(BACKCHANNEL_LOGOUT_TYPE);
      expect(r.payload).toMatchObject({ sid, reason });
    }
  }

  const userOf = async (id: string) => {
    const u = (await t.store.findUserById(id))!;
    return {
      id: u.id,
      email: u.email,
      name: u.name,
      roles: u.roles,
      createdAt: u.createdAt,
      emailVerified: u.emailVerified,
    };
  };

  const endings: [EndReason, (s: Awaited<ReturnType<typeof signedInToClients>>) => Promise<void>][] = [
    [
      'logout',
      async (s) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/auth/logout',
          headers: { cookie: s.cookie, ...SAME_ORIGIN },
        });
        expect(res.statusCode).toBe(200);
      },
    ],
    [
      'logout_all',
      async (s) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/auth/logout',
          headers: { cookie: s.cookie, ...SAME_ORIGIN },
          payload: { scope: 'all' },
        });
        expect(res.statusCode).toBe(200);
      },
    ],
    [
      'logout_others',
      async (s) => {
        const other = await t.app.inject({
          method: 'POST',
          url: '/auth/login',
          payload: { email: s.email, password: PASSWORD },
        });
        const res = await t.app.inject({
          method: 'POST',
          url: '/auth/logout',
          headers: { authorization: `Bearer ${other.json().accessToken}` },
          payload: { scope: 'others' },
        });
        expect(res.statusCode).toBe(200);
      },
    ],
    [
      'revoked',
      async (s) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/auth/revoke',
          payload: { token: s.refresh },
        });
        expect(res.statusCode).toBe(200);
      },
    ],
    [
      'refresh_reuse',
      async (s) => {
        const refresh = () =>
          t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: s.refresh } });
        expect((await refresh()).statusCode).toBe(200);
        expect((await refresh()).statusCode).toBe(401);
      },
    ],
    [
      'expired',
      async (s) => {
        await t.database.db.query(
          "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1",
          [s.sid],
        );
        await endExpiredSessions(t.ctx);
      },
    ],
    [
      'idle_timeout',
      async (s) => {
        await t.database.db.query(
          "UPDATE sessions SET last_used_at = now() - interval '2 hours' WHERE id = $1",
          [s.sid],
        );
        await endIdleSessions(t.ctx);
      },
    ],
    [
      'password_changed',
      async (s) => {
        await setUserPassword(t.ctx, await userOf(s.user), 'an entirely new passphrase 42', TEST_ACTOR);
      },
    ],
    [
      'password_reset',
      async (s) => {
        // The real flow: the forgotten-password request, the mailed link, the reset with its token.
        const forgot = await t.app.inject({
          method: 'POST',
          url: '/auth/password/forgot',
          payload: { email: s.email },
        });
        expect(forgot.statusCode, forgot.body).toBe(202);
        expect(await deliverMail()).toBeGreaterThan(0);
        const mail = sink.to(s.email).find((m) => m.subject === 'Reset your password');
        expect(mail?.token, 'the reset link').toBeTruthy();
        const res = await t.app.inject({
          method: 'POST',
          url: '/auth/password/reset',
          payload: { token: mail!.token, newPassword: 'an entirely new passphrase 42' },
        });
        expect(res.statusCode, res.body).toBe(200);
      },
    ],
    ['admin', async (s) => void (await endSessionsAsAdmin(t.ctx, { sessionId: s.sid }, TEST_ACTOR))],
    ['user_disabled', async (s) => void (await disableUser(t.ctx, await userOf(s.user), TEST_ACTOR))],
    ['user_deleted', async (s) => void (await deleteUser(t.ctx, await userOf(s.user), TEST_ACTOR))],
  ];

  it.each(endings)('%s queues a logout token for each client with a back channel', async (reason, end) => {
    const s = await signedInToClients();
    expect(await queued(s.sid)).toEqual([]);
    await end(s);
    expect((await t.store.findSession(s.sid))?.endReason).toBe(reason);
    await expectQueued(s.sid, reason);
  });

  it('session_limit: the session a login evicts queues them too', async () => {
    const limited = await startOidcApp(backend, { MAX_SESSIONS_PER_USER: '1' });
    try {
      const c = await client(limited, { backchannelLogoutUri: 'https://app.example.test/bc' });
      const browser = await browserCookie(limited);
      await codeFor(limited, c, browser.cookie);
      const sid = decodeJwt(/gatehouse_session=([^;]+)/.exec(browser.cookie)![1]!).sid as string;
      const res = await limited.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: browser.email, password: PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      const rows = await limited.database.db.query<Queued>(
        "SELECT client_id, type, payload FROM event_outbox WHERE client_id IS NOT NULL AND payload->>'sid' = $1",
        [sid],
      );
      expect(rows).toMatchObject([{ client_id: c.id, payload: { sid, reason: 'session_limit' } }]);
    } finally {
      await limited.close();
    }
  });

  it('queues none for an ending that rolled back, and none for a session that signed in to no client', async () => {
    const s = await signedInToClients();
    await expect(
      withSessionEnding(t.ctx, async (_tx, end) => {
        await end({ sessionIds: [s.sid] }, 'admin', { actorUserId: null, origin: TEST_ACTOR.origin });
        throw new Error('something after the ending failed');
      }),
    ).rejects.toThrow('something after the ending failed');
    expect(await queued(s.sid)).toEqual([]);
    expect((await t.store.findSession(s.sid))?.endedAt).toBeNull();

    const plain = await browserCookie(t);
    const sid = decodeJwt(/gatehouse_session=([^;]+)/.exec(plain.cookie)![1]!).sid as string;
    await endSessionsAsAdmin(t.ctx, { sessionId: sid }, TEST_ACTOR);
    expect(await queued(sid)).toEqual([]);
  });

  it('a dispatcher that cannot sign (no OIDC_ISSUER) leaves back-channel logouts to one that can', async () => {
    const s = await signedInToClients();
    await endSessionsAsAdmin(t.ctx, { sessionId: s.sid }, TEST_ACTOR);
    const unsigned = new WebhookDispatcher(
      t.store,
      { maxAttempts: 3, timeoutMs: 1000, retryBaseMs: 10, retryMaxMs: 10, pollMs: 10, allowPrivate: true },
      silentLog,
    );
    while ((await unsigned.dispatchOnce()) > 0) {}
    const rows = await t.database.db.query<{ attempts: number }>(
      "SELECT attempts FROM event_outbox WHERE client_id IS NOT NULL AND payload->>'sid' = $1",
      [s.sid],
    );
    expect(rows).toEqual([{ attempts: 0 }, { attempts: 0 }]);
  });

  it('delivers with retries until the client answers 2xx, the same jti each time, signed when sent', async () => {
    const received: { status: number; token: string }[] = [];
    let failures = 2;
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const status = failures-- > 0 ? 503 : 200;
        received.push({ status, token: new URLSearchParams(body).get('logout_token') ?? '' });
        expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bc`;
    const c = await client(t, { name: 'flaky', backchannelLogoutUri: url });
    const dispatcher = new WebhookDispatcher(
      t.store,
      { maxAttempts: 10, timeoutMs: 2000, retryBaseMs: 20, retryMaxMs: 60, pollMs: 20, allowPrivate: true },
      silentLog,
      new OidcTokens(ISSUER, t.ctx.keys, 900),
    );
    try {
      const browser = await browserCookie(t);
      await codeFor(t, c, browser.cookie);
      const sid = decodeJwt(/gatehouse_session=([^;]+)/.exec(browser.cookie)![1]!).sid as string;
      await endSessionsAsAdmin(t.ctx, { sessionId: sid }, TEST_ACTOR);
      dispatcher.start();
      const deadline = Date.now() + 10_000;
      while (!received.some((r) => r.status === 200) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(received.map((r) => r.status)).toEqual([503, 503, 200]);
      const claims = received.map((r) => decodeJwt(r.token));
      expect(new Set(claims.map((cl) => cl.jti)).size).toBe(1);
      for (const cl of claims) expect(cl).toMatchObject({ iss: ISSUER, aud: c.id, sid });
      // The outcome is recorded just after the receiver's answer.
      const row = async () =>
        (
          await t.database.db.query<{ delivered: boolean; attempts: number }>(
            'SELECT delivered_at IS NOT NULL AS delivered, attempts FROM event_outbox WHERE client_id = $1',
            [c.id],
          )
        )[0];
      await expect.poll(row, { timeout: 5000 }).toEqual({ delivered: true, attempts: 3 });
    } finally {
      await dispatcher.stop();
      await new Promise((r) => server.close(r));
    }
  });
});
