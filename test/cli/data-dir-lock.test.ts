import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDataDir } from '../support/backends.js';
import { gatehouse, http, type ServerProcess, startServer, tempDir } from './run-cli.js';

// The servers are real processes; the CLI runs in this one, holding the lock like any other.
vi.setConfig({ testTimeout: 60_000 });

// PGlite does not lock its data directory; Gatehouse does (gatehouse.lock), so that
// the CLI never opens the embedded store under a running server.
const dir = tempDir('cli-lock');
const env = { DATA_DIR: dir.path };
const lockFile = join(dir.path, 'gatehouse.lock');
const PASSWORD = 'a long enough passphrase';

let server: ServerProcess | undefined;
let tokens: { accessToken: string; refreshToken: string };

beforeAll(async () => {
  await seedDataDir(dir.path);
  // Through the CLI's serve, which a clean stop below must end with exit 0.
  server = await startServer(env, { via: 'cli' });
  const email = 'lock@example.com';
  expect((await http(`${server.url}/auth/register`, { body: { email, password: PASSWORD } })).status).toBe(
    201,
  );
  const login = await http(`${server.url}/auth/login`, { body: { email, password: PASSWORD } });
  expect(login.status).toBe(200);
  tokens = login.body as typeof tokens;
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  dir.remove();
});

describe('the embedded data directory is used by one process at a time', () => {
  it('answers exit 1 naming the running server, and leaves its lock alone', async () => {
    const holder = JSON.parse(readFileSync(lockFile, 'utf8'));
    expect(holder).toMatchObject({ pid: server!.child.pid, owner: 'server' });
    const r = await gatehouse(['sessions', 'end', '--user', 'lock@example.com'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `The embedded database in DATA_DIR ${dir.path} is in use by the Gatehouse server (pid ${server!.child.pid})`,
    );
    expect(r.stderr).toContain('Stop it first, or run Gatehouse on PostgreSQL (DATABASE_URL)');
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toEqual(holder);
    // …and the session was not touched.
    expect((await http(`${server!.url}/auth/me`, { token: tokens.accessToken })).status).toBe(200);
  });

  it('refuses a second server on the same directory', async () => {
    await expect(startServer(env)).rejects.toThrow(/in use by the Gatehouse server/);
  });

  it('is free once the server stops; ended sessions stay ended when it starts again', async () => {
    expect(await server!.stop('SIGTERM')).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
    const r = await gatehouse(['sessions', 'end', '--user', 'lock@example.com'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Ended 1 session of lock@example.com.\n');
    expect(existsSync(lockFile)).toBe(false);

    server = await startServer(env);
    expect((await http(`${server.url}/auth/me`, { token: tokens.accessToken })).status).toBe(401);
    expect(
      (await http(`${server.url}/auth/refresh`, { body: { refreshToken: tokens.refreshToken } })).status,
    ).toBe(401);
  });

  it('takes over the lock of a server that crashed', async () => {
    const crashed = server!.child.pid;
    await server!.stop('SIGKILL');
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(crashed);
    const r = await gatehouse(['users', 'list', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).users.map((u: { email: string }) => u.email)).toEqual(['lock@example.com']);
    expect(existsSync(lockFile)).toBe(false);
  });
});
