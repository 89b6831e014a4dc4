import { randomUUID } from 'node:crypto';
import { openContext } from '../../src/setup.js';
import { openPostgresSchema, TEST_DATABASE_URL, type TestDatabase } from './backends.js';
import { testConfig } from './harness.js';
import { type Instances, sleep } from './history.js';
import { type ServerProcess, startServerProcess } from './server-process.js';
import { TcpProxy } from './tcp-proxy.js';

/** Server processes on one PostgreSQL schema, for the history checker (history.ts). */
export interface Cluster extends Instances {
  instances: ServerProcess[];
  /** One TCP proxy per instance, between it and PostgreSQL. */
  proxies: TcpProxy[];
  database: TestDatabase;
  email: string;
  password: string;
  login(instance: number): Promise<{ token: string; session: string }>;
  /**
   * `n` sessions of the cluster's user, written straight to the database
   * with tokens signed by the cluster's key: a login through HTTP costs an
   * argon2id hash each, too slow for the thousands a checker run needs.
   */
  issue(n: number): Promise<{ token: string; session: string }[]>;
  stop(): Promise<void>;
}

/**
 * `n` instances on one PostgreSQL schema. With `proxied`, each reaches it
 * through a TCP proxy of its own (in this process: it adds a hop and this
 * process's load to every query, so only the fault tests use it).
 */
export async function startCluster(
  n: number,
  env: Record<string, string> = {},
  proxied = false,
  /** With `proxied`: what PostgreSQL sends each instance arrives this much later. */
  delayMs = 0,
  /** The PostgreSQL server to use (a private one, for a test that restarts it). */
  baseUrl = TEST_DATABASE_URL as string,
): Promise<Cluster> {
  const database = await openPostgresSchema(baseUrl);
  const target = new URL(baseUrl);
  const proxies = Array.from(
    { length: n },
    () => new TcpProxy(target.hostname, Number(target.port || 5432), delayMs),
  );
  await Promise.all(proxies.map((p) => p.start()));
  const starting = proxies.map((p) =>
    startServerProcess(
      {
        DATABASE_URL: proxied ? p.route(database.databaseUrl as string) : (database.databaseUrl as string),
        ...env,
      },
      60_000,
    ),
  );
  const started = await Promise.allSettled(starting);
  const instances = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    // Leave nothing running behind a failed start.
    await Promise.all(instances.map((s) => s.stop('SIGKILL')));
    await Promise.all(proxies.map((p) => p.close()));
    await database.dispose();
    throw failed.reason;
  }
  const email = `barrier.${randomUUID()}@example.test`;
  const password = 'correct horse battery staple';
  const reg = await fetch(`${instances[0]!.url}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (reg.status !== 201) throw new Error(`register: ${reg.status}`);
  return {
    instances,
    proxies,
    database,
    email,
    password,
    async login(i) {
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`${instances[i]!.url}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        });
        const body = (await res.json()) as { accessToken: string; session: { id: string } };
        if (res.status === 200) return { token: body.accessToken, session: body.session.id };
        // During a fault an instance may be unable to log in: try another.
        if (attempt > 50) throw new Error(`login: ${res.status}`);
        i = (i + 1) % instances.length;
        await sleep(50);
      }
    },
    async issue(count) {
      const { store, ctx } = await openContext(database.db, testConfig());
      const user = await store.findUserByEmail(email);
      if (!user) throw new Error('the cluster has no user');
      const out: { token: string; session: string }[] = [];
      for (let i = 0; i < count; i++) {
        const session = await store.insertSession({
          id: randomUUID(),
          userId: user.id,
          expiresAt: new Date(Date.now() + 3_600_000),
          ip: '127.0.0.1',
          userAgent: 'history-checker',
        });
        out.push({ token: (await ctx.tokens.issue(user, session)).token, session: session.id });
      }
      return out;
    },
    async stop() {
      for (const p of proxies) p.restore();
      await Promise.all(instances.map((s) => s.stop()));
      await Promise.all(proxies.map((p) => p.close()));
      await database.dispose();
    },
  };
}
