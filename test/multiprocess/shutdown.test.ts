import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../support/backends.js';
import { responseProblems } from '../support/hostile.js';
import { call, type ServerProcess, serverStores, startServerProcess } from '../support/server-process.js';

const PASSWORD = 'correct horse battery staple';

/**
 * SIGTERM: the instance stops accepting connections, lets every request in
 * flight finish (a logout among them stays done), closes its database pool
 * and, on PostgreSQL, its LISTEN connection, and exits 0.
 */
const stores = serverStores('shutdown');

/** One request on a fresh connection (no keep-alive pool), so "in flight" means on the wire. */
function post(base: string, path: string, body: unknown, token?: string) {
  return new Promise<{ status: number; text: string; headers: Record<string, string> }>((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = httpRequest(
      `${base}${path}`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text, headers: res.headers as Record<string, string> }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function connectionsNamed(applicationName: string): Promise<number> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  const { rows } = await c.query(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
    [applicationName],
  );
  await c.end();
  return rows[0].n as number;
}

describe.each(stores)('SIGTERM on $name', (store) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn().catch(() => {});
  });

  it('finishes the requests in flight, refuses new ones, closes its connections and exits 0', async () => {
    const { env, dispose } = await store.env();
    cleanup.push(dispose);
    // debug and the access log: the server logs each request as it arrives and as it completes.
    let server: ServerProcess = await startServerProcess(
      { ...env, LOG_LEVEL: 'debug', ACCESS_LOG: 'on' },
      60_000,
    );
    cleanup.push(() => server.stop('SIGKILL'));
    const appName = env.DATABASE_URL ? new URL(env.DATABASE_URL).searchParams.get('application_name') : null;
    if (appName) expect(await connectionsNamed(appName)).toBeGreaterThanOrEqual(2); // pool + LISTEN

    const email = `shutdown.${randomUUID()}@example.test`;
    expect((await call(server.url, '/auth/register', { body: { email, password: PASSWORD } })).status).toBe(
      201,
    );
    const victim = (await call(server.url, '/auth/login', { body: { email, password: PASSWORD } })).body as {
      accessToken: string;
      refreshToken: string;
    };

    // Enough argon2 work in flight (logins) to keep the drain open for a while, and a logout among it.
    // SIGTERM is sent once the server has received every one of them (its log says so), so
    // they are in flight in the server, not waiting in the kernel's accept queue.
    const received = () => server.output().match(/"msg":"incoming request"/g)?.length ?? 0;
    const completed = () => server.output().match(/"msg":"request completed"/g)?.length ?? 0;
    const before = received();
    const settle = (p: ReturnType<typeof post>) =>
      p.catch((err: NodeJS.ErrnoException) => err.code ?? 'error');
    const logins = Array.from({ length: 40 }, () =>
      settle(post(server.url, '/auth/login', { email, password: PASSWORD })),
    );
    const logout = settle(post(server.url, '/auth/logout', {}, victim.accessToken));
    while (received() < before + 41) await new Promise((r) => setTimeout(r, 2));
    const exited = server.stop('SIGTERM');
    const inFlight = before + 41 - completed();
    await new Promise((r) => setTimeout(r, 20));
    // A new connection now is refused (or reset, if the kernel had queued it before the listener
    // closed); if one got in, it gets 503 in the envelope.
    const late = await settle(post(server.url, '/auth/login', { email, password: PASSWORD }));
    if (typeof late === 'string') expect(late).toMatch(/^(ECONNREFUSED|ECONNRESET)$/);
    else {
      expect(late.status).toBe(503);
      expect(responseProblems({ statusCode: late.status, headers: late.headers, body: late.text })).toEqual([
        'server error 503',
      ]);
    }

    const answered = await Promise.all(logins);
    expect(answered.map((r) => (typeof r === 'string' ? r : r.status))).toEqual(answered.map(() => 200));
    expect(inFlight).toBeGreaterThan(0);
    const loggedOut = await logout;
    expect(typeof loggedOut === 'string' ? loggedOut : loggedOut.status).toBe(200);
    console.info(`SIGTERM on ${store.name}: ${inFlight} in flight (of 41) finished with 200`);
    expect(await exited).toBe(0);
    expect(server.output()).not.toMatch(/error during shutdown|shutdown took over/);
    if (appName) expect(await connectionsNamed(appName)).toBe(0);

    // The logout answered during the drain was committed.
    server = await startServerProcess(env, 60_000);
    expect((await call(server.url, '/auth/me', { token: victim.accessToken })).status).toBe(401);
    expect(
      (await call(server.url, '/auth/refresh', { body: { refreshToken: victim.refreshToken } })).status,
    ).toBe(401);
    expect(await server.stop('SIGTERM')).toBe(0);
  }, 120_000);
});
