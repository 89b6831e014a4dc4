import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadMigrations } from '../../src/storage/migrate.js';
import { gatehouse, http, type ServerProcess, startServer } from './run-cli.js';

// The server is a real process; the CLI runs in this one (usage.test.ts runs it as a process).
vi.setConfig({ testTimeout: 60_000 });

// Against a real PostgreSQL (TEST_DATABASE_URL), in a throwaway schema: the CLI works
// beside a running server, and a session it ends is refused by that server at once.
const baseUrl = process.env.TEST_DATABASE_URL;
const PASSWORD = 'a long enough passphrase';

describe.skipIf(!baseUrl)('the CLI on PostgreSQL, beside a running server', () => {
  const schema = `gh_cli_${process.pid}_${randomBytes(4).toString('hex')}`;
  let env: { DATABASE_URL: string };
  let server: ServerProcess | undefined;

  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await admin(`CREATE SCHEMA ${schema}`);
    const url = new URL(baseUrl!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    env = { DATABASE_URL: url.toString() };
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('prints each migration it applies to a fresh schema, one per line', async () => {
    const fresh = `${schema}_text`;
    await admin(`CREATE SCHEMA ${fresh}`);
    try {
      const url = new URL(baseUrl!);
      url.searchParams.set('options', `-c search_path=${fresh}`);
      const r = await gatehouse(['migrate'], { DATABASE_URL: url.toString() });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(
        loadMigrations()
          .map((m) => `Applied ${m.name}\n`)
          .join(''),
      );
    } finally {
      await admin(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
    }
  });

  it('migrates the schema and reports it', async () => {
    const r = await gatehouse(['migrate', '--json'], env);
    expect(r.code).toBe(0);
    const names = loadMigrations().map((m) => m.name);
    expect(JSON.parse(r.stdout)).toEqual({ applied: names, current: names.at(-1) });
  });

  it('ends the sessions of a user while the server runs, and the server refuses their tokens at once', async () => {
    const created = await gatehouse(
      ['users', 'create', '--email', 'pg@example.com', '--password', PASSWORD],
      env,
    );
    expect(created.code).toBe(0);
    server = await startServer(env);
    const login = await http(`${server.url}/auth/login`, {
      body: { email: 'pg@example.com', password: PASSWORD },
    });
    const { accessToken } = login.body as { accessToken: string };
    expect((await http(`${server.url}/auth/me`, { token: accessToken })).status).toBe(200);

    const r = await gatehouse(['sessions', 'end', '--user', 'pg@example.com', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).endedSessionIds).toHaveLength(1);
    // The CLI waited for the running instance to confirm (the revocation barrier): refused at once.
    expect((await http(`${server.url}/auth/me`, { token: accessToken })).status).toBe(401);

    const audit = await gatehouse(['audit', '--user', 'pg@example.com', '--json'], env);
    expect(JSON.parse(audit.stdout).events[0]).toMatchObject({ action: 'session.ended', reason: 'admin' });
  });

  it('lists the running instance with its lease, address, version and lag', async () => {
    // The lag is known from the instance's second renewal on (it reports the watermark its first
    // one established), LEASE_RENEW_MS apart: null until then, as a test run right after start sees.
    const { store, instances } = await vi.waitFor(
      async () => {
        const r = await gatehouse(['instances', '--json'], env);
        expect(r.code).toBe(0);
        const listed = JSON.parse(r.stdout);
        expect(listed.instances[0]?.lagMs).not.toBeNull();
        return listed;
      },
      { timeout: 5_000, interval: 100 },
    );
    expect(store).toBe('postgres');
    expect(instances).toHaveLength(1);
    expect(instances[0]).toMatchObject({ version: expect.any(String), leaseValid: true, epoch: 1 });
    expect(instances[0].address).toMatch(/:|pid/);
    expect(instances[0].lagMs).toBeGreaterThanOrEqual(0);
    const table = await gatehouse(['instances'], env);
    expect(table.stdout).toMatch(/^ID\s+ADDRESS\s+VERSION\s+LEASE\s+LAG\s+FEED\s+STARTED/);
    expect(table.stdout).toContain(instances[0].id);
  });
});
