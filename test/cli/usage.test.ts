import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { type CliResult, cliEnv, gatehouse, gatehouseProcess, ROOT, tempDir } from './run-cli.js';

// How the CLI is called: help, unknown commands, malformed arguments, exit codes. None of it
// opens a database, so it runs in this process; a few tests run the real thing.

// Were the database reachable, a malformed argument caught too late would still succeed;
// an unreachable one makes it fail with exit 1 and "cannot reach the database" instead.
const NOWHERE = { DATABASE_URL: 'postgres://127.0.0.1:9/nowhere' };
const cli = (...args: string[]) => gatehouse(args, NOWHERE);

describe('usage', () => {
  // Usage answers load no command's work: a spy on every command's load proves it.
  let loads: ReturnType<typeof vi.spyOn>[] = [];
  beforeEach(() => {
    loads = COMMANDS.map((c) => vi.spyOn(c, 'load'));
  });
  afterEach(() => {
    for (const spy of loads) spy.mockRestore();
  });
  const loaded = () => loads.filter((spy) => spy.mock.calls.length > 0).length;

  it('lists the commands for --help and for help, exit 0', async () => {
    for (const r of await Promise.all([cli('--help'), cli('help')])) {
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      for (const c of COMMANDS) expect(r.stdout).toContain(c.path.join(' '));
    }
    expect(loaded()).toBe(0);
  });

  it('answers exit 2 with the command list on stderr when called with no command', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Commands:');
  });

  it('answers exit 2 for an unknown command and for a group without its command', async () => {
    const [unknown, group] = await Promise.all([cli('frobnicate'), cli('sessions')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(group.code).toBe(2);
    expect(group.stderr).toContain("'sessions' needs a command");
    expect(group.stderr).toContain('sessions end');
  });

  it('prints every command its own help, exit 0', async () => {
    const results = await Promise.all(COMMANDS.map((c) => cli(...c.path, '--help')));
    for (const [i, r] of results.entries()) {
      const name = COMMANDS[i]!.path.join(' ');
      expect(r.code, name).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: gatehouse ${name}`));
      expect(r.stdout).toContain('Options:');
    }
    const [viaHelp, short] = await Promise.all([cli('help', 'sessions', 'end'), cli('audit', '-h')]);
    expect(viaHelp.stdout).toMatch(/^Usage: gatehouse sessions end/);
    expect(short.stdout).toMatch(/^Usage: gatehouse audit/);
    expect(loaded()).toBe(0);
  });

  it('prints the version', async () => {
    const r = await cli('--version');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  // Every malformed argument, of every command: exit 2, a pointer to --help, and nothing
  // loaded or opened.
  const MALFORMED: [string[], string | RegExp][] = [
    [['users', 'list', '--colour'], "unknown option '--colour'"],
    [['users', 'list', 'extra'], "unexpected argument 'extra'"],
    [['serve', '--json'], '--json is not available'],
    [['migrate', '--limit', '5'], 'unknown option'],
    [['users', 'list', '--limit=0'], '--limit must be a whole number'],
    [['users', 'list', '--limit=-1'], '--limit must be a whole number'],
    [['users', 'list', '--limit=ten'], '--limit must be a whole number'],
    [['users', 'list', '--limit=1.5'], '--limit must be a whole number'],
    [['users', 'list', '--limit'], /argument missing|--limit/],
    [['users', 'create', '--password', 'a long passphrase'], '--email is required'],
    [
      ['users', 'create', '--email', 'not-an-email', '--password', 'a long passphrase'],
      '--email must be an email',
    ],
    [['users', 'create', '--email', 'new@example.com'], 'no password'],
    [['users', 'disable'], '--user is required'],
    [['users', 'disable', '--user', 'not an email'], '--user must be an email address or a user id'],
    [['users', 'enable', '--user', ''], '--user is required'],
    [['users', 'delete', '--user', 'ada@'], '--user must be an email address or a user id'],
    [['users', 'set-password', '--user', 'ada@example.com'], 'no password'],
    [['users', 'reset-factors', 'everyone'], "unexpected argument 'everyone'"],
    [['users', 'reset-factors', '--user', 'ada'], '--user must be an email address or a user id'],
    [['users', 'set-password', '--password', 'a long passphrase'], '--user is required'],
    [['sessions', 'list'], '--user is required'],
    [['sessions', 'list', '--user', '12345'], '--user must be an email address or a user id'],
    [['sessions', 'end', '--session', 'nope'], '--session must be a session id'],
    [
      ['sessions', 'end', '--user', 'ada@example.com', '--session', '00000000-0000-4000-8000-000000000000'],
      'exactly one',
    ],
    [['sessions', 'end'], 'exactly one'],
    [['audit', '--since', 'yesterday'], '--since must be an ISO date'],
    [['audit', '--user', 'nobody'], '--user must be an email address or a user id'],
    [['audit', '--limit', '10001'], '--limit must be a whole number from 1 to 10000'],
    [['keys', 'rotate', 'now'], "unexpected argument 'now'"],
    [['instances', '--all'], "unknown option '--all'"],
    [['policy', 'now'], "unexpected argument 'now'"],
    [['policy', 'set'], 'name at least one setting'],
    [['policy', 'set', '--session-idle-ttl', ''], '--session-idle-ttl needs a value'],
    [['policy', 'unset', '--session-idle-ttl=7d'], "'--session-idle-ttl' does not take an argument"],
    [['webhooks', 'add'], '--url is required'],
    [['webhooks', 'add', '--url', 'ftp://example.test/x'], '--url must be an http:// or https:// URL'],
    [['webhooks', 'add', '--url', 'https://user:pw@example.test/x'], '--url must not contain credentials'],
    [['webhooks', 'list', '--all=yes'], "'--all' does not take an argument"],
    [['webhooks', 'remove', '--id', 'nope'], '--id must be a webhook endpoint id'],
    [['webhooks', 'deliveries', '--state', 'lost'], '--state must be one of pending, delivered, dead'],
    [['webhooks', 'deliveries', '--endpoint', '42'], '--endpoint must be a webhook endpoint id'],
    [['webhooks', 'redeliver', '--endpoint', 'x'], '--endpoint must be a webhook endpoint id'],
    [['mail', 'list', '--limit', '0'], '--limit must be a whole number from 1 to 1000'],
    [['mail', 'list', '--outbox=yes'], "'--outbox' does not take an argument"],
    [['clients', 'add', '--name', 'x'], '--redirect-uri is required'],
    [
      ['clients', 'add', '--name', 'x', '--redirect-uri', 'http://app.example/cb'],
      '--redirect-uri must be https://',
    ],
    [['clients', 'add', '--redirect-uri', 'https://app.example/cb'], '--name is required'],
    [['clients', 'list', '--all=yes'], "'--all' does not take an argument"],
    [['clients', 'remove', '--id', 'a b'], '--id must be a client id'],
    [['clients', 'rotate-secret'], '--id is required'],
    [
      [
        'clients',
        'add',
        '--name',
        'x',
        '--redirect-uri',
        'https://app.example/cb',
        '--id-token-signed-response-alg',
        'HS256',
      ],
      '--id-token-signed-response-alg must be EdDSA or RS256',
    ],
  ];

  it.each(MALFORMED)('exits 2 before opening anything: gatehouse %j', async (args, message) => {
    const r = await cli(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      typeof message === 'string' ? message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : message,
    );
    expect(r.stderr).toMatch(/Run 'gatehouse .+ --help' for usage\.\n$/);
    expect(r.stderr).not.toContain('cannot reach the database');
    expect(r.stdout).toBe('');
    expect(loaded()).toBe(0);
  });

  it('covers every command with at least one malformed call', () => {
    const covered = new Set(MALFORMED.map(([args]) => args.slice(0, 2).join(' ')));
    for (const c of COMMANDS) {
      const name = c.path.join(' ');
      expect(
        [...covered].some((k) => k === name || k.startsWith(`${name} `)),
        name,
      ).toBe(true);
    }
  });

  it('prints a configuration error and exits 2, before opening anything', async () => {
    const r = await gatehouse(['users', 'list'], { DATABASE_URL: 'mysql://db/gatehouse' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid configuration');
    expect(r.stderr).toContain('DATABASE_URL must start with postgres://');
  });

  it('exits 1 with a clear message when the database cannot be reached', async () => {
    const r = await cli('users', 'list');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach the database');
    expect(loaded()).toBe(1);
  });
});

// The few things only a real process shows: main.ts wires argv, the streams and the exit
// code; bin/gatehouse.js finds the built CLI.
describe('the gatehouse process', () => {
  // A Node start and the TypeScript loader: seconds on a busy machine.
  vi.setConfig({ testTimeout: 60_000 });

  it('exits 0 with the help on stdout, 2 for a malformed argument, 1 when the database is unreachable', async () => {
    const [help, malformed, unreachable] = await Promise.all([
      gatehouseProcess(['--help'], {}),
      gatehouseProcess(['sessions', 'end', '--session', 'nope'], NOWHERE),
      gatehouseProcess(['users', 'list'], NOWHERE),
    ]);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('users disable');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--session must be a session id');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach the database');
  });

  describe('bin/gatehouse.js', () => {
    // A copy of the bin beside a stand-in for the build, so that the test needs no build.
    const dir = tempDir('bin');
    afterAll(() => dir.remove());
    const run = (root: string, args: string[]) =>
      new Promise<CliResult>((resolve, reject) => {
        const child = spawn(process.execPath, [join(root, 'bin', 'gatehouse.js'), ...args], {
          env: cliEnv({}),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });

    it('runs the built CLI (dist/cli/main.js) with its arguments', async () => {
      const root = join(dir.path, 'built');
      cpSync(join(ROOT, 'bin'), join(root, 'bin'), { recursive: true });
      mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
      writeFileSync(
        join(root, 'dist', 'cli', 'main.js'),
        'process.stdout.write(JSON.stringify(process.argv.slice(2))); process.exitCode = 2;\n',
      );
      const r = await run(root, ['users', 'list', '--json']);
      expect(r).toEqual({ code: 2, stdout: '["users","list","--json"]', stderr: '' });
    });

    it('says to build first when there is no build, exit 1', async () => {
      const root = join(dir.path, 'unbuilt');
      cpSync(join(ROOT, 'bin'), join(root, 'bin'), { recursive: true });
      const r = await run(root, ['--help']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('the CLI has not been built; run `npm run build`');
    });
  });
});
