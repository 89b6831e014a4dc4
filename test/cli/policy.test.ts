import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CliResult, gatehouse, http, type ServerProcess, startServer, tempDir } from './run-cli.js';

// `gatehouse policy set` beside running servers: the server (a real process) applies the change
// without a restart, keeps it across one, and the CLI refuses bad values naming the setting.
vi.setConfig({ testTimeout: 90_000 });

const PASSWORD = 'a long enough passphrase';
const json = <T>(r: CliResult): T => JSON.parse(r.stdout) as T;

/** Logs in as the account `n` times over HTTP; the statuses. */
async function logins(url: string, email: string, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++)
    statuses.push((await http(`${url}/auth/login`, { body: { email, password: PASSWORD } })).status);
  return statuses;
}

/** Polls until `check` holds (a change travelling to another process), or fails after `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await sleep(50);
  }
}

/** The same story on either store; `env` reaches the database, `server` runs beside the CLI. */
function policyStory(setup: () => { env: Record<string, string>; server: () => ServerProcess }) {
  let env: Record<string, string>;
  const cli = (...args: string[]) => gatehouse(args, env);
  beforeAll(() => {
    env = setup().env;
  });

  it('refuses a bad value before touching anything, naming the setting', async () => {
    const cases: [string[], number, RegExp][] = [
      [['policy', 'set'], 2, /name at least one setting/],
      [['policy', 'set', '--session-idle-ttl'], 2, /argument missing|needs a value/i],
      [['policy', 'set', '--idle', '7d'], 2, /unknown option '--idle'/],
      [['policy', 'unset'], 2, /name at least one setting/],
      [['policy', 'set', '--session-idle-ttl', 'soon'], 1, /SESSION_IDLE_TTL must be a whole number/],
      [
        ['policy', 'set', '--session-limit-policy', 'newest'],
        1,
        /SESSION_LIMIT_POLICY must be one of evict_oldest, deny/,
      ],
      [
        ['policy', 'set', '--session-short-ttl', '90d'],
        1,
        /SESSION_SHORT_TTL must not be longer than SESSION_ABSOLUTE_TTL/,
      ],
    ];
    for (const [args, code, message] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    const shown = json<{ settings: Record<string, { from: string }> }>(await cli('policy', '--json'));
    for (const s of Object.values(shown.settings)) expect(s.from).not.toBe('database');
  });

  it('sets the policy for the running server at once, records it, and shows where it comes from', async () => {
    const url = setup().server().url;
    const email = `policy.${randomBytes(4).toString('hex')}@example.com`;
    expect((await http(`${url}/auth/register`, { body: { email, password: PASSWORD } })).status).toBe(201);
    expect(await logins(url, email, 2)).toEqual([200, 200]);

    const r = await cli('policy', 'set', '--max-sessions-per-user', '2', '--session-limit-policy', 'deny');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('MAX_SESSIONS_PER_USER: (not stored) → 2');
    expect(r.stdout).toContain('SESSION_LIMIT_POLICY: (not stored) → deny');
    expect(r.stdout).toMatch(/^MAX_SESSIONS_PER_USER\s+2\s+database \(/m);

    // The server refuses a third session: deny, without a restart.
    await eventually(async () => (await logins(url, email, 1))[0] === 409);

    const shown = json<{ maxPerUser: number; settings: Record<string, { value: string; from: string }> }>(
      await cli('policy', '--json'),
    );
    expect(shown.maxPerUser).toBe(2);
    expect(shown.settings.MAX_SESSIONS_PER_USER).toEqual({ value: '2', from: 'database' });
    expect(shown.settings.SESSION_IDLE_TTL).toEqual({ value: '1209600', from: 'default' });

    const { events } = json<{ events: { action: string; details: Record<string, unknown> }[] }>(
      await cli('audit', '--json'),
    );
    expect(events.find((e) => e.action === 'policy.changed')?.details).toMatchObject({
      changes: [
        { setting: 'MAX_SESSIONS_PER_USER', from: null, to: '2' },
        { setting: 'SESSION_LIMIT_POLICY', from: null, to: 'deny' },
      ],
    });
  });

  it('takes durations with a unit, and unset goes back to the environment', async () => {
    const r = await cli('policy', 'set', '--session-idle-ttl', '7d', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ changes: unknown[] }>(r).changes).toEqual([
      { setting: 'SESSION_IDLE_TTL', from: null, to: '604800' },
    ]);
    const back = await cli(
      'policy',
      'unset',
      '--session-idle-ttl',
      '--max-sessions-per-user',
      '--session-limit-policy',
    );
    expect(back.code, back.stderr).toBe(0);
    const shown = json<{ idleTtl: number; maxPerUser: number | null }>(await cli('policy', '--json'));
    expect(shown).toMatchObject({ idleTtl: 1_209_600, maxPerUser: null });
  });
}

describe('gatehouse policy set on the embedded store, the server running', () => {
  const dir = tempDir('policy');
  const env = { DATA_DIR: dir.path };
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer(env);
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    dir.remove();
  });
  policyStory(() => ({ env, server: () => server }));

  it('keeps the stored policy across a restart', async () => {
    expect(
      (
        await gatehouse(
          ['policy', 'set', '--max-sessions-per-user', '1', '--session-limit-policy', 'deny'],
          env,
        )
      ).code,
    ).toBe(0);
    await server.stop();
    server = await startServer(env);
    const email = `restart.${randomBytes(4).toString('hex')}@example.com`;
    expect((await http(`${server.url}/auth/register`, { body: { email, password: PASSWORD } })).status).toBe(
      201,
    );
    expect(await logins(server.url, email, 2)).toEqual([200, 409]);
  });
});

const baseUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!baseUrl)('gatehouse policy set on PostgreSQL, two servers running', () => {
  const schema = `gh_policy_${process.pid}_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {};
  let a: ServerProcess;
  let b: ServerProcess;
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
    env.DATABASE_URL = url.toString();
    a = await startServer(env);
    b = await startServer(env);
  });
  afterAll(async () => {
    await a?.stop('SIGKILL');
    await b?.stop('SIGKILL');
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });
  // The story logs in through server B; the CLI changes the policy in the database only.
  policyStory(() => ({ env, server: () => b }));

  it('is applied by every instance, and by one that starts later', async () => {
    expect(
      (
        await gatehouse(
          ['policy', 'set', '--max-sessions-per-user', '1', '--session-limit-policy', 'deny'],
          env,
        )
      ).code,
    ).toBe(0);
    const email = `both.${randomBytes(4).toString('hex')}@example.com`;
    expect((await http(`${a.url}/auth/register`, { body: { email, password: PASSWORD } })).status).toBe(201);
    await eventually(async () => (await logins(a.url, email, 1))[0] === 200);
    await eventually(async () => (await logins(b.url, email, 1))[0] === 409);
    await eventually(async () => (await logins(a.url, email, 1))[0] === 409);
    const c = await startServer(env);
    try {
      expect(await logins(c.url, email, 1)).toEqual([409]);
    } finally {
      await c.stop();
    }
  });
});
