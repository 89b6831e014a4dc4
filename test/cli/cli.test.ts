import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditEvent, User } from '../../src/domain/model.js';
import { login, refresh, type TokenGrant } from '../../src/domain/sessions.js';
import { loadMigrations } from '../../src/storage/migrate.js';
import { type CliResult, gatehouse, tempDir, withDomain } from './run-cli.js';

// Each command opens the embedded database (about a second, more on a busy machine). They run
// in this process (usage.test.ts runs the real one).
vi.setConfig({ testTimeout: 60_000 });

// One embedded database for the whole file: a fresh one takes seconds to initialise.
const dir = tempDir('cli');
const env = { DATA_DIR: dir.path };
const cli = (...args: string[]) => gatehouse(args, env);
const json = <T>(r: CliResult): T => JSON.parse(r.stdout) as T;

const PASSWORD = 'a long enough passphrase';
const MIGRATIONS = loadMigrations().map((m) => m.name);
let firstMigrate: CliResult;

beforeAll(async () => {
  firstMigrate = await cli('migrate');
});
afterAll(() => dir.remove());

/** A login of an account without a second factor: the token grant. */
const signIn = async (...args: Parameters<typeof login>): Promise<TokenGrant> => {
  const answer = await login(...args);
  if ('mfaRequired' in answer) throw new Error('this account has no second factor');
  return answer;
};

/** Logs in `n` times as the user, in process; returns the grants (session ids, refresh tokens). */
const logIn = (email: string, n = 1) =>
  withDomain(dir.path, async (ctx) => {
    const grants = [];
    for (let i = 0; i < n; i++)
      grants.push(await signIn(ctx, { email, password: PASSWORD }, { ip: '203.0.113.7', userAgent: 'test' }));
    return grants;
  });

describe('gatehouse migrate', () => {
  it('initialises a fresh embedded database, says so, and finds it up to date (the build migrated it)', () => {
    expect(firstMigrate.code).toBe(0);
    expect(firstMigrate.stderr).toMatch(/Initialising the embedded database in .*first start only/);
    // The build's template holds every migration (src/storage/pglite-template.ts); a database
    // that lacks some gets them listed one per line (test/cli/postgres.test.ts).
    expect(firstMigrate.stdout).toBe(`Already up to date (${MIGRATIONS.at(-1)}).\n`);
  });

  it('applies nothing the second time, and says so in JSON', async () => {
    const r = await cli('migrate', '--json');
    expect(r.code).toBe(0);
    expect(json(r)).toEqual({ applied: [], current: MIGRATIONS.at(-1) });
  });
});

describe('gatehouse users', () => {
  it('creates an account with the password from GATEHOUSE_PASSWORD', async () => {
    const r = await gatehouse(['users', 'create', '--email', 'Ada@Example.com', '--name', 'Ada', '--json'], {
      ...env,
      GATEHOUSE_PASSWORD: PASSWORD,
    });
    expect(r.code).toBe(0);
    const { user, created } = json<{ user: User; created: boolean }>(r);
    expect(created).toBe(true);
    expect(user).toMatchObject({ email: 'ada@example.com', name: 'Ada', roles: ['user'] });
    const { events } = json<{ events: AuditEvent[] }>(await cli('audit', '--user', user.id, '--json'));
    expect(events).toMatchObject([
      {
        action: 'user.registered',
        reason: 'admin',
        actorUserId: null,
        targetUserId: user.id,
        userAgent: 'gatehouse-cli',
        details: { roles: ['user'], operator: expect.any(String) },
      },
    ]);
  });

  it('creates an admin with --password and --admin', async () => {
    const r = await cli('users', 'create', '--email', 'root@example.com', '--password', PASSWORD, '--admin');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Created admin root@example\.com \([0-9a-f-]{36}\)\.\n$/);
  });

  it('makes an existing account an admin with --admin, needing no password, and audits it', async () => {
    const r = await cli('users', 'create', '--email', 'ada@example.com', '--admin', '--json');
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ created: false, grantedAdmin: true, user: { roles: ['user', 'admin'] } });
    const again = await cli('users', 'create', '--email', 'ada@example.com', '--admin');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already an admin');
    const audit = json<{ events: AuditEvent[] }>(await cli('audit', '--user', 'ada@example.com', '--json'));
    expect(audit.events.filter((e) => e.action === 'user.roles_changed')).toHaveLength(1);
  });

  it('exits 1 when the account exists and --admin was not asked for', async () => {
    const r = await cli('users', 'create', '--email', 'ada@example.com', '--password', PASSWORD);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already exists');
  });

  it('exits 1 for a password the registration rules refuse', async () => {
    const r = await cli('users', 'create', '--email', 'weak@example.com', '--password', 'password');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Password is too easy to guess');
  });

  it('exits 2 for a missing or malformed email, and for no password without a terminal', async () => {
    const [missing, malformed, noPassword] = await Promise.all([
      cli('users', 'create', '--password', PASSWORD),
      cli('users', 'create', '--email', 'not-an-email', '--password', PASSWORD),
      cli('users', 'create', '--email', 'new@example.com'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--email is required');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--email must be an email address');
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('no password');
  });

  it('lists accounts as a table and as JSON', async () => {
    const table = await cli('users', 'list');
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+EMAIL\s+NAME\s+ROLES\s+CREATED\s+STATE$/);
    expect(table.stdout).toMatch(/root@example\.com\s+-\s+user,admin/);
    const { users } = json<{ users: User[] }>(await cli('users', 'list', '--json'));
    expect(users.map((u) => u.email)).toEqual(['ada@example.com', 'root@example.com']);
    expect(table.stdout.split('\n')[0]).toMatch(/CREATED\s+STATE$/);
    expect(users[0]).not.toHaveProperty('passwordHash');
    const limited = json<{ users: User[] }>(await cli('users', 'list', '--limit', '1', '--json'));
    expect(limited.users).toHaveLength(1);
  });

  it('exits 2 for a --limit that is not a positive whole number', async () => {
    const limits = ['0', '-1', 'ten', '1.5'];
    const results = await Promise.all(limits.map((limit) => cli('users', 'list', `--limit=${limit}`)));
    for (const [i, r] of results.entries()) {
      expect(r.code, limits[i]).toBe(2);
      expect(r.stderr).toContain('--limit must be a whole number');
    }
  });
});

describe('gatehouse policy', () => {
  it('shows the session policy the environment gives, as a table and as JSON', async () => {
    const table = await cli('policy');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^SETTING\s+VALUE\s+FROM\s+MEANING$/m);
    expect(table.stdout).toMatch(/^SESSION_IDLE_TTL\s+14 d\s+default\s/m);
    expect(table.stdout).toMatch(/^MAX_SESSIONS_PER_USER\s+unlimited\s+default\s/m);
    const r = await gatehouse(['policy', '--json'], {
      ...env,
      MAX_SESSIONS_PER_USER: '3',
      SESSION_LIMIT_POLICY: 'deny',
    });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({
      maxPerUser: 3,
      limitPolicy: 'deny',
      absoluteTtl: 2_592_000,
      idleTtl: 1_209_600,
    });
  });

  it('refuses an unknown policy value, naming the variable', async () => {
    const r = await gatehouse(['policy'], { ...env, SESSION_LIMIT_POLICY: 'newest' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('SESSION_LIMIT_POLICY must be one of evict_oldest, deny (got "newest")');
  });
});

describe('gatehouse sessions', () => {
  it("lists a user's active sessions by email or by id", async () => {
    const grants = await logIn('ada@example.com', 2);
    const byEmail = await cli('sessions', 'list', '--user', 'ADA@example.com', '--json');
    expect(byEmail.code).toBe(0);
    const { user, sessions } = json<{ user: User; sessions: { id: string; ip: string; device: unknown }[] }>(
      byEmail,
    );
    expect(sessions[0]!.device).toEqual({ browser: null, os: null, type: 'unknown' });
    expect(sessions.map((s) => s.id).sort()).toEqual(grants.map((g) => g.session.id).sort());
    expect(sessions[0]!.ip).toBe('203.0.113.7');
    const byId = await cli('sessions', 'list', '--user', user.id);
    expect(byId.code).toBe(0);
    expect(byId.stdout.split('\n')[0]).toMatch(
      /^ID\s+DEVICE\s+CREATED\s+LAST USED\s+EXPIRES\s+IP\s+USER AGENT$/,
    );
    for (const g of grants) expect(byId.stdout).toContain(g.session.id);
  });

  it('exits 1 for an unknown user and 2 without --user', async () => {
    const unknown = await cli('sessions', 'list', '--user', 'nobody@example.com');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('User nobody@example.com not found');
    const missing = await cli('sessions', 'list');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--user is required');
  });

  it('ends one session: its row, an audit event with reason admin, its refresh token refused', async () => {
    const [kept, ended] = await logIn('root@example.com', 2);
    const r = await cli('sessions', 'end', '--session', ended!.session.id);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Ended session ${ended!.session.id}.\n`);

    await withDomain(dir.path, async (ctx) => {
      const row = await ctx.store.findSession(ended!.session.id);
      expect(row?.endedAt).toBeInstanceOf(Date);
      expect(row?.endReason).toBe('admin');
      expect((await ctx.store.findSession(kept!.session.id))?.endedAt).toBeNull();
      // A restarted server knows it is over before it accepts a single token.
      expect(ctx.revocations.isEnded(ended!.session.id)).toBe(true);
      await expect(refresh(ctx, ended!.refreshToken, { ip: null, userAgent: null })).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    });

    const { events } = json<{ events: AuditEvent[] }>(
      await cli('audit', '--user', 'root@example.com', '--json'),
    );
    const event = events.find((e) => e.action === 'session.ended');
    expect(event).toMatchObject({
      reason: 'admin',
      actorUserId: null,
      targetUserId: ended!.user.id,
      sessionIds: [ended!.session.id],
      userAgent: 'gatehouse-cli',
      details: { scope: 'session' },
    });
  });

  it('exits 1 for a session that has already ended or does not exist', async () => {
    const [grant] = await logIn('root@example.com');
    expect((await cli('sessions', 'end', '--session', grant!.session.id)).code).toBe(0);
    const again = await cli('sessions', 'end', '--session', grant!.session.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('has already ended');
    const missing = await cli('sessions', 'end', '--session', '00000000-0000-4000-8000-000000000000');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('not found');
  });

  it('exits 2 for a malformed session id, for both --user and --session, and for neither', async () => {
    const cases = [
      [['--session', 'nope'], 'must be a session id'],
      [['--user', 'ada@example.com', '--session', '00000000-0000-4000-8000-000000000000'], 'exactly one'],
      [[], 'exactly one'],
    ] as const;
    const results = await Promise.all(cases.map(([args]) => cli('sessions', 'end', ...args)));
    for (const [i, r] of results.entries()) {
      const [args, message] = cases[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it('ends every session of a user with --user, and says so when there were none', async () => {
    const before = json<{ sessions: { id: string }[] }>(
      await cli('sessions', 'list', '--user', 'ada@example.com', '--json'),
    );
    expect(before.sessions.length).toBeGreaterThan(0);
    const r = await cli('sessions', 'end', '--user', 'ada@example.com', '--json');
    expect(r.code).toBe(0);
    expect(json<{ endedSessionIds: string[] }>(r).endedSessionIds.sort()).toEqual(
      before.sessions.map((s) => s.id).sort(),
    );
    const after = await cli('sessions', 'list', '--user', 'ada@example.com');
    expect(after.stdout).toBe('ada@example.com has no active sessions.\n');
    const none = await cli('sessions', 'end', '--user', 'ada@example.com');
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('ada@example.com had no active sessions.\n');
    const { events } = json<{ events: AuditEvent[] }>(
      await cli('audit', '--user', 'ada@example.com', '--json'),
    );
    expect(events[0]).toMatchObject({ action: 'session.ended', reason: 'admin', details: { scope: 'all' } });
    expect(events[0]!.sessionIds.sort()).toEqual(before.sessions.map((s) => s.id).sort());
  });

  it('exits 1 when ending the sessions of an unknown user', async () => {
    const r = await cli('sessions', 'end', '--user', '00000000-0000-4000-8000-000000000000');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not found');
  });
});

describe('gatehouse audit', () => {
  it('reads the log newest first, as a table naming users by email', async () => {
    const r = await cli('audit');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^AT\s+ACTION\s+REASON\s+ACTOR\s+TARGET\s+SESSIONS\s+IP\s+USER AGENT$/);
    expect(lines[1]).toMatch(/session\.ended\s+admin\s+cli\s+ada@example\.com/);
    // An account the CLI created was created by the CLI, not by itself.
    expect(r.stdout).toMatch(/user\.registered\s+admin\s+cli\s+root@example\.com/);
  });

  it('filters by time (a duration or a date) and limits the count', async () => {
    const recent = json<{ events: AuditEvent[] }>(await cli('audit', '--since', '1h', '--json'));
    expect(recent.events.length).toBeGreaterThan(5);
    const future = json<{ events: AuditEvent[] }>(await cli('audit', '--since', '2999-01-01', '--json'));
    expect(future.events).toEqual([]);
    const two = json<{ events: AuditEvent[] }>(await cli('audit', '--limit', '2', '--json'));
    expect(two.events).toHaveLength(2);
    expect(two.events[0]!.id).toBe(recent.events[0]!.id);
  });

  it('exits 2 for a --since it cannot read and 1 for an unknown --user', async () => {
    const since = await cli('audit', '--since', 'yesterday');
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since must be an ISO date');
    const user = await cli('audit', '--user', 'nobody@example.com');
    expect(user.code).toBe(1);
  });
});

describe('gatehouse instances', () => {
  it('says the embedded store is one instance, with no leases (also as JSON)', async () => {
    const r = await cli('instances');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'The embedded store is one instance: no leases (instances share PostgreSQL only).\n',
    );
    expect(json(await cli('instances', '--json'))).toEqual({ store: 'pglite', instances: [] });
  });

  it('refuses arguments it does not take', async () => {
    const r = await cli('instances', '--all');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--all'");
  });
});

describe('gatehouse keys rotate', () => {
  it('signs with a new key while the previous one keeps verifying', async () => {
    const before = await withDomain(dir.path, async (ctx) => {
      const grant = await signIn(
        ctx,
        { email: 'root@example.com', password: PASSWORD },
        { ip: null, userAgent: null },
      );
      return { token: grant.accessToken, kid: ctx.keys.signingKey.kid };
    });
    const r = await cli('keys', 'rotate', '--json');
    expect(r.code).toBe(0);
    const { kid, keys } = json<{
      kid: string;
      keys: { kid: string; signing: boolean; verifiesUntil: string | null }[];
    }>(r);
    expect(kid).not.toBe(before.kid);
    expect(keys.find((k) => k.kid === kid)).toMatchObject({ signing: true, verifiesUntil: null });
    expect(keys.find((k) => k.kid === before.kid)).toMatchObject({ signing: false });
    expect(r.stdout).not.toContain('"d"'); // no private key material

    await withDomain(dir.path, async (ctx) => {
      expect(ctx.keys.signingKey.kid).toBe(kid);
      expect(await ctx.tokens.verify(before.token)).toMatchObject({ email: 'root@example.com' });
    });
  });

  it('prints the keys as a table', async () => {
    const r = await cli('keys', 'rotate');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^New signing key [0-9a-f-]{36}\.\n\nKID\s+ALG\s+CREATED\s+STATE\n/);
    expect(r.stdout).toMatch(/^[0-9a-f-]{36}\s+EdDSA\s+/m);
    expect(r.stdout).toContain('signing');
    expect(r.stdout).toContain('verifying until');
  });
});

describe('gatehouse users disable, enable, set-password, delete', () => {
  const email = 'grace@example.com';
  const audit = async () =>
    json<{ events: AuditEvent[] }>(await cli('audit', '--user', email, '--json')).events;
  const sessionReasons = (ids: string[]) =>
    withDomain(dir.path, async (ctx) =>
      Promise.all(ids.map(async (id) => (await ctx.store.findSession(id))?.endReason)),
    );

  beforeAll(async () => {
    const r = await cli('users', 'create', '--email', email, '--password', PASSWORD);
    expect(r.code, r.stderr).toBe(0);
  });

  it('disables an account: its sessions end (user_disabled), audited, and it cannot log in', async () => {
    const grants = await logIn(email, 2);
    const r = await cli('users', 'disable', '--user', email);
    expect(r).toMatchObject({ code: 0, stdout: `Disabled ${email}; ended 2 sessions.\n` });
    expect(await sessionReasons(grants.map((g) => g.session.id))).toEqual(['user_disabled', 'user_disabled']);
    await expect(logIn(email)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const events = await audit();
    expect(events.map((e) => [e.action, e.reason]).slice(0, 3)).toEqual([
      ['login.failed', 'account_disabled'],
      ['session.ended', 'user_disabled'],
      ['user.disabled', 'admin'],
    ]);
    const table = await cli('users', 'list');
    expect(table.stdout).toMatch(new RegExp(`${email}.*disabled \\d{4}-`));
    const again = await cli('users', 'disable', '--user', email, '--json');
    expect(json(again)).toMatchObject({ changed: false, endedSessionIds: [] });
  });

  it('enables it again', async () => {
    const r = await cli('users', 'enable', '--user', email);
    expect(r).toMatchObject({ code: 0, stdout: `Enabled ${email}.\n` });
    expect(await logIn(email)).toHaveLength(1);
    expect((await cli('users', 'enable', '--user', email)).stdout).toBe(`${email} was not disabled.\n`);
  });

  it('sets a password from GATEHOUSE_PASSWORD: every session ends (password_changed), the old one stops working', async () => {
    const [grant] = await logIn(email);
    const r = await gatehouse(['users', 'set-password', '--user', email, '--json'], {
      ...env,
      GATEHOUSE_PASSWORD: 'another long passphrase',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ endedSessionIds: string[] }>(r).endedSessionIds).toContain(grant!.session.id);
    expect(await sessionReasons([grant!.session.id])).toEqual(['password_changed']);
    await expect(logIn(email)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const weak = await cli('users', 'set-password', '--user', email, '--password', 'password');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('Password is too easy to guess');
    // Back to the password the other tests log in with.
    expect((await cli('users', 'set-password', '--user', email, '--password', PASSWORD)).code).toBe(0);
  });

  it('deletes an account: its sessions end (user_deleted) and stay ended, its email is free', async () => {
    const [grant] = await logIn(email);
    const r = await cli('users', 'delete', '--user', email);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/^Deleted grace@example\.com \([0-9a-f-]{36}\); ended 1 session\.\n$/);
    expect(await sessionReasons([grant!.session.id])).toEqual(['user_deleted']);
    // A server started now still refuses the session's tokens.
    await withDomain(dir.path, async (ctx) => {
      expect(ctx.revocations.isEnded(grant!.session.id)).toBe(true);
    });
    const gone = await cli('users', 'delete', '--user', email);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`User ${email} not found`);
    expect((await cli('users', 'create', '--email', email, '--password', PASSWORD)).code).toBe(0);
  });

  it('exits 1 for an account that does not exist', async () => {
    // One at a time: each holds the embedded database while it runs.
    for (const c of ['disable', 'enable', 'delete', 'set-password']) {
      const password = c === 'set-password' ? ['--password', PASSWORD] : [];
      const r = await cli('users', c, '--user', 'nobody@example.com', ...password);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('User nobody@example.com not found');
    }
  });
});
