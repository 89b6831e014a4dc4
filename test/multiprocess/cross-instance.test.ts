import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresSchema, TEST_DATABASE_URL, type TestDatabase } from '../support/backends.js';
import { call, type ServerProcess, startServerProcess } from '../support/server-process.js';

const PASSWORD = 'correct horse battery staple';

/**
 * Two Gatehouse processes on one PostgreSQL database: what one ends, the
 * other refuses — at once, through lost connections and restarts, and
 * whatever order racing requests arrive in.
 */
describe.runIf(TEST_DATABASE_URL)('two instances sharing PostgreSQL', () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  // Instance B's connections carry a name of their own, so a test can cut them all.
  const bName = `gatehouse-b-${randomUUID().slice(0, 8)}`;
  let bUrl: string;
  const email = `mp.${randomUUID()}@example.test`;

  const startB = () => startServerProcess({ DATABASE_URL: bUrl });
  const login = async (on = a) => {
    const res = await call(on.url, '/auth/login', { body: { email, password: PASSWORD } });
    expect(res.status).toBe(200);
    return res.body as { accessToken: string; refreshToken: string; session: { id: string } };
  };
  const me = (on: ServerProcess, token: string) => call(on.url, '/auth/me', { token }).then((r) => r.status);
  const logout = (on: ServerProcess, token: string) =>
    call(on.url, '/auth/logout', { method: 'POST', token }).then((r) => r.status);

  /** Polls `on` until it refuses the token; returns the statuses seen and the time taken. */
  async function untilRefused(on: ServerProcess, token: string, timeoutMs = 5000) {
    const seen: number[] = [];
    const start = performance.now();
    for (;;) {
      const status = await me(on, token);
      seen.push(status);
      if (status === 401) return { seen, ms: performance.now() - start };
      if (performance.now() - start > timeoutMs) throw new Error(`still not refused: ${seen.join(',')}`);
    }
  }

  beforeAll(async () => {
    database = await openPostgresSchema(TEST_DATABASE_URL as string);
    const url = new URL(database.databaseUrl as string);
    url.searchParams.set('application_name', bName);
    bUrl = url.toString();
    [a, b] = await Promise.all([
      startServerProcess({ DATABASE_URL: database.databaseUrl as string }),
      startB(),
    ]);
    const res = await call(a.url, '/auth/register', { body: { email, password: PASSWORD } });
    expect(res.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.dispose();
  });

  it('refuses on B, within milliseconds, a token logged out on A', async () => {
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = await login();
      expect(await me(b, s.accessToken)).toBe(200);
      expect(await logout(a, s.accessToken)).toBe(200);
      const { seen, ms } = await untilRefused(b, s.accessToken, 1000);
      expect(seen.filter((x) => x !== 200 && x !== 401)).toEqual([]);
      delays.push(ms);
      // A refuses at once: the answering instance revokes before it answers.
      expect(await me(a, s.accessToken)).toBe(401);
    }
    delays.sort((x, y) => x - y);
    console.info(
      `cross-instance refusal after logout: median ${delays[10]?.toFixed(2)} ms, max ${delays[19]?.toFixed(2)} ms`,
    );
    expect(delays[19]).toBeLessThan(1000);
  });

  it("never accepts the token on B after a logout made while B's database connections were cut", async () => {
    const s = await login();
    expect(await me(b, s.accessToken)).toBe(200);
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const cut = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [bName],
    );
    await admin.end();
    expect(cut.rowCount).toBeGreaterThan(0);
    expect(await logout(a, s.accessToken)).toBe(200);
    const { seen } = await untilRefused(b, s.accessToken);
    // Until it has caught up B says 503 ("cannot vouch"), never 200.
    expect(seen.filter((x) => x !== 503 && x !== 401)).toEqual([]);
    // And it recovered by itself: a live session works on B again.
    const fresh = await login(b);
    expect(await me(b, fresh.accessToken)).toBe(200);
  });

  it('refuses, from its first request, a token logged out on A while B was down', async () => {
    const s = await login();
    expect(await me(b, s.accessToken)).toBe(200);
    expect(await b.stop('SIGTERM')).toBe(0);
    expect(await logout(a, s.accessToken)).toBe(200);
    b = await startB();
    expect(await me(b, s.accessToken)).toBe(401);
  }, 60_000);

  it('leaves no working token when a refresh on B races a logout on A (50 trials)', async () => {
    for (let i = 0; i < 50; i++) {
      const s = await login();
      const [refreshed, loggedOut] = await Promise.all([
        call(b.url, '/auth/refresh', { body: { refreshToken: s.refreshToken } }),
        logout(a, s.accessToken),
      ]);
      expect(loggedOut).toBe(200);
      expect([200, 401]).toContain(refreshed.status);
      const tokens = [s.accessToken];
      if (refreshed.status === 200) tokens.push(refreshed.body.accessToken as string);
      for (const token of tokens) {
        expect(await me(a, token)).toBe(401);
        expect((await untilRefused(b, token, 1000)).seen.at(-1)).toBe(401);
      }
      if (refreshed.status === 200) {
        const again = await call(a.url, '/auth/refresh', {
          body: { refreshToken: refreshed.body.refreshToken },
        });
        expect(again.status).toBe(401);
      }
    }
  }, 120_000);

  it('leaves no working token after 50 parallel refreshes of one token on both instances and a logout', async () => {
    const s = await login();
    const refreshes = Array.from({ length: 50 }, (_, i) =>
      call(i % 2 ? a.url : b.url, '/auth/refresh', { body: { refreshToken: s.refreshToken } }),
    );
    const [results, loggedOut] = await Promise.all([Promise.all(refreshes), logout(a, s.accessToken)]);
    expect([200, 401]).toContain(loggedOut);
    const won = results.filter((r) => r.status === 200);
    expect(won.length).toBeLessThanOrEqual(1);
    expect(results.every((r) => r.status === 200 || r.status === 401)).toBe(true);
    for (const token of [s.accessToken, ...won.map((r) => r.body.accessToken as string)]) {
      expect(await me(a, token)).toBe(401);
      expect((await untilRefused(b, token, 1000)).seen.at(-1)).toBe(401);
    }
  }, 60_000);
});
