import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresSchema, TEST_DATABASE_URL, type TestDatabase } from '../support/backends.js';
import { responseProblems } from '../support/hostile.js';
import { call, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const PASSWORD = 'correct horse battery staple';
/** No request may take longer than this, database or no database. */
const BOUND_MS = 10_000;

interface Tokens {
  accessToken: string;
  refreshToken: string;
  session: { id: string };
}

interface Seen {
  kind: string;
  status: number | 'timeout';
  ms: number;
  at: number;
  problems: string[];
  sessionId?: string;
}

/** fetch with a bound; returns what a client sees, and what is wrong with it under docs/api.md §1. */
async function request(
  base: string,
  kind: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<Seen & { body: Record<string, unknown> }> {
  const start = performance.now();
  try {
    const res = await fetch(base + path, {
      method: opts.body === undefined && kind !== 'logout' ? 'GET' : 'POST',
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(BOUND_MS + 5000),
    });
    const text = await res.text();
    const headers = Object.fromEntries(res.headers);
    return {
      kind,
      status: res.status,
      ms: performance.now() - start,
      at: Date.now(),
      problems: responseProblems({ statusCode: res.status, headers, body: text }),
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  } catch {
    return { kind, status: 'timeout', ms: performance.now() - start, at: Date.now(), problems: [], body: {} };
  }
}

/**
 * PostgreSQL goes away under a running instance, through a TCP proxy that
 * refuses or silently drops its connections. While it is away, requests
 * that need it answer 503 in the envelope (never 500, never a hang past a
 * bound), /ready says not ready, and tokens are not vouched for (503); when
 * it is back, the instance recovers by itself, and every logout made
 * anywhere meanwhile is honoured: its tokens are refused, none got a 200.
 */
describe.runIf(TEST_DATABASE_URL)('the database goes away under a running instance', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let direct: ServerProcess; // instance A: its own connection to PostgreSQL
  let proxied: ServerProcess; // instance B: reaches PostgreSQL through the proxy
  const email = `outage.${randomUUID()}@example.test`;

  const login = async (on: ServerProcess) => {
    const res = await call(on.url, '/auth/login', { body: { email, password: PASSWORD } });
    expect(res.status).toBe(200);
    return res.body as unknown as Tokens;
  };

  beforeAll(async () => {
    database = await openPostgresSchema(TEST_DATABASE_URL as string);
    const target = new URL(TEST_DATABASE_URL as string);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    [direct, proxied] = await Promise.all([
      startServerProcess({ DATABASE_URL: database.databaseUrl as string }),
      startServerProcess({ DATABASE_URL: proxy.route(database.databaseUrl as string) }),
    ]);
    expect((await call(direct.url, '/auth/register', { body: { email, password: PASSWORD } })).status).toBe(
      201,
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all([direct?.stop(), proxied?.stop()]);
    await proxy?.close();
    await database?.dispose();
  });

  /**
   * Runs a mixed load on B while `outage` happens to the proxy, and logouts
   * on A during it; returns everything seen.
   */
  async function underLoad(outage: 'refuse' | 'blackhole', cutMs: number) {
    const live = await login(proxied);
    const toLogOutOnB = await Promise.all(Array.from({ length: 40 }, () => login(direct)));
    const toLogOutOnA = await Promise.all(Array.from({ length: 6 }, () => login(direct)));
    const seen: Seen[] = [];
    const loggedOutOnA = new Map<string, number>(); // session id → when A answered 200
    let stop = false;
    let phase: 'before' | 'cut' | 'after' = 'before';
    const phases: { phase: string; seen: Seen }[] = [];

    const worker = async (jobs: () => Promise<Seen>) => {
      while (!stop) {
        const s = await jobs();
        seen.push(s);
        phases.push({ phase, seen: s });
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    let nextLogout = 0;
    const workers = [
      worker(() => request(proxied.url, 'me', '/auth/me', { token: live.accessToken })),
      worker(() => request(proxied.url, 'ready', '/ready')),
      worker(() => request(proxied.url, 'login', '/auth/login', { body: { email, password: PASSWORD } })),
      worker(async () => {
        const s = toLogOutOnB[nextLogout++ % toLogOutOnB.length] as Tokens;
        return {
          ...(await request(proxied.url, 'logout', '/auth/logout', { token: s.accessToken })),
          sessionId: s.session.id,
        };
      }),
      // B must never vouch for a token A has logged out.
      ...toLogOutOnA.map((s) =>
        worker(async () => ({
          ...(await request(proxied.url, 'me-after-logout-on-A', '/auth/me', { token: s.accessToken })),
          sessionId: s.session.id,
        })),
      ),
    ];

    await new Promise((r) => setTimeout(r, 800));
    phase = 'cut';
    const cutAt = Date.now();
    if (outage === 'refuse') proxy.refuse();
    else proxy.blackhole();
    await new Promise((r) => setTimeout(r, cutMs / 2));
    for (const s of toLogOutOnA) {
      expect((await call(direct.url, '/auth/logout', { method: 'POST', token: s.accessToken })).status).toBe(
        200,
      );
      loggedOutOnA.set(s.session.id, Date.now());
    }
    await new Promise((r) => setTimeout(r, cutMs / 2));
    proxy.restore();
    const restoredAt = Date.now();
    phase = 'after';
    let readyAt = 0;
    while (Date.now() - restoredAt < 20_000) {
      if ((await call(proxied.url, '/ready')).status === 200) {
        readyAt = Date.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 800));
    stop = true;
    await Promise.all(workers);
    return { seen, phases, live, toLogOutOnA, toLogOutOnB, loggedOutOnA, cutAt, restoredAt, readyAt };
  }

  const summary = (seen: Seen[]) => {
    const by = new Map<string, number>();
    for (const s of seen) by.set(`${s.kind}:${s.status}`, (by.get(`${s.kind}:${s.status}`) ?? 0) + 1);
    return [...by].map(([k, n]) => `${k}×${n}`).join(' ');
  };

  it.each([
    ['refused (connections reset)', 'refuse' as const, 3000],
    ['partitioned (packets silently dropped)', 'blackhole' as const, 9000],
  ])(
    'answers 503 while PostgreSQL is %s, recovers by itself, and loses no revocation',
    async (_label, outage, cutMs) => {
      const run = await underLoad(outage, cutMs);
      const { seen, phases } = run;
      console.info(
        `outage (${outage}, ${cutMs} ms): ready again ${run.readyAt - run.restoredAt} ms after restore; ` +
          `max latency ${Math.max(...seen.map((s) => s.ms)).toFixed(0)} ms; ${summary(seen)}`,
      );

      // Never a 5xx other than 503, never a hang, always the envelope.
      expect(seen.filter((s) => s.status === 'timeout' || s.ms > BOUND_MS)).toEqual([]);
      expect(seen.filter((s) => typeof s.status === 'number' && s.status >= 500 && s.status !== 503)).toEqual(
        [],
      );
      expect(seen.filter((s) => s.problems.some((p) => !p.startsWith('server error 503')))).toEqual([]);
      // While cut: not ready, and the database-bound requests said 503.
      const cut = phases.filter((p) => p.phase === 'cut').map((p) => p.seen);
      expect(cut.some((s) => s.kind === 'ready' && s.status === 503)).toBe(true);
      expect(cut.some((s) => s.kind === 'login' && s.status === 503)).toBe(true);
      expect(cut.some((s) => s.kind === 'me' && s.status === 503)).toBe(true);

      // Recovered with no restart: ready, the live token works, logins and logouts work.
      expect(run.readyAt).toBeGreaterThan(0);
      expect((await call(proxied.url, '/auth/me', { token: run.live.accessToken })).status).toBe(200);
      const fresh = await login(proxied);
      expect(
        (await call(proxied.url, '/auth/logout', { method: 'POST', token: fresh.accessToken })).status,
      ).toBe(200);

      // No revocation lost. Sessions A ended during the cut: B never said 200 for them afterwards, refuses them now.
      for (const s of seen.filter((x) => x.kind === 'me-after-logout-on-A')) {
        const endedAt = run.loggedOutOnA.get(s.sessionId as string) as number;
        if (s.status === 200)
          expect(s.at - s.ms, 'a 200 must have been asked before the logout').toBeLessThan(endedAt);
      }
      for (const s of run.toLogOutOnA) {
        expect((await call(proxied.url, '/auth/me', { token: s.accessToken })).status).toBe(401);
        expect(
          (await call(proxied.url, '/auth/refresh', { body: { refreshToken: s.refreshToken } })).status,
        ).toBe(401);
      }
      // Every logout B answered 200, before, during or after the cut, holds on both instances.
      const confirmedOnB = new Set(
        seen.filter((s) => s.kind === 'logout' && s.status === 200).map((s) => s.sessionId),
      );
      expect(confirmedOnB.size).toBeGreaterThan(0);
      for (const t of run.toLogOutOnB.filter((x) => confirmedOnB.has(x.session.id))) {
        expect((await call(proxied.url, '/auth/me', { token: t.accessToken })).status).toBe(401);
        expect((await call(direct.url, '/auth/me', { token: t.accessToken })).status).toBe(401);
      }
    },
    90_000,
  );
});
