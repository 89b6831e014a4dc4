import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gatehouse, http, type ServerProcess, startServer } from './run-cli.js';

// Each command is a real process opening the database (about a second, more on a busy machine).
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

  it('migrates the schema and reports it', async () => {
    const r = await gatehouse(['migrate', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      applied: ['001_init.sql', '002_events.sql', '003_session_policy.sql'],
      current: '003_session_policy.sql',
    });
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
    // The NOTIFY was sent by the committing transaction; the server hears it within milliseconds.
    let status = 0;
    for (let i = 0; i < 50 && status !== 401; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await http(`${server.url}/auth/me`, { token: accessToken })).status;
    }
    expect(status).toBe(401);

    const audit = await gatehouse(['audit', '--user', 'pg@example.com', '--json'], env);
    expect(JSON.parse(audit.stdout).events[0]).toMatchObject({ action: 'session.ended', reason: 'admin' });
  });
});
