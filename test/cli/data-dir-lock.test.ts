import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDataDir } from '../support/backends.js';
import { gatehouse, http, type ServerProcess, startServer, tempDir } from './run-cli.js';

// The servers are real processes; the CLI runs in this one, holding the lock like any other.
vi.setConfig({ testTimeout: 60_000 });

// PGlite does not lock its data directory; Gatehouse does (gatehouse.lock), so that
// the CLI never opens the embedded store under a running server: it works through the
// server's operator channel (gatehouse.sock) instead.
const dir = tempDir('cli-lock');
const env = { DATA_DIR: dir.path };
const lockFile = join(dir.path, 'gatehouse.lock');
const socketFile = join(dir.path, 'gatehouse.sock');
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
  it('works beside the running server, through a socket only its user can use, and leaves its lock alone', async () => {
    const holder = JSON.parse(readFileSync(lockFile, 'utf8'));
    expect(holder).toMatchObject({ pid: server!.child.pid, owner: 'server' });
    const socket = statSync(socketFile);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);

    const list = await gatehouse(['users', 'list', '--json'], env);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(list.stdout).users.map((u: { email: string }) => u.email)).toEqual([
      'lock@example.com',
    ]);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toEqual(holder);
  });

  it('ends sessions through the server, which refuses their tokens before the CLI answers', async () => {
    const r = await gatehouse(['sessions', 'end', '--user', 'lock@example.com'], env);
    expect(r).toMatchObject({ code: 0, stdout: 'Ended 1 session of lock@example.com.\n' });
    expect((await http(`${server!.url}/auth/me`, { token: tokens.accessToken })).status).toBe(401);
    const audit = await gatehouse(['audit', '--user', 'lock@example.com', '--json'], env);
    expect(JSON.parse(audit.stdout).events[0]).toMatchObject({
      action: 'session.ended',
      reason: 'admin',
      userAgent: 'gatehouse-cli',
    });
    // A fresh session for the tests below.
    const login = await http(`${server!.url}/auth/login`, {
      body: { email: 'lock@example.com', password: PASSWORD },
    });
    tokens = login.body as typeof tokens;
  });

  it('keeps its answers and exit codes for what fails, and a failed command changes nothing', async () => {
    const taken = await gatehouse(
      ['users', 'create', '--email', 'lock@example.com', '--password', PASSWORD],
      env,
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(
      'gatehouse users create: An account with email lock@example.com already exists (add --admin to make it an admin)\n',
    );
    const unknown = await gatehouse(
      ['sessions', 'end', '--session', '00000000-0000-4000-8000-000000000000'],
      env,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^gatehouse sessions end: /);
    const weak = await gatehouse(
      ['users', 'create', '--email', 'weak@example.com', '--password', 'short'],
      env,
    );
    expect(weak.code).toBe(1);
    const list = await gatehouse(['users', 'list', '--json'], env);
    expect(JSON.parse(list.stdout).users).toHaveLength(1);
    expect((await http(`${server!.url}/auth/me`, { token: tokens.accessToken })).status).toBe(200);
  });

  it('closes a connection that sends what it cannot read, and stays up', async () => {
    const socket = connect(socketFile);
    await once(socket, 'connect');
    socket.write(Buffer.from([0, 0, 0, 5, 0xff, 0x00, 0x13, 0x37, 0x42]));
    await once(socket, 'close');
    expect((await http(`${server!.url}/health`)).status).toBe(200);
    expect((await gatehouse(['users', 'list', '--json'], env)).code).toBe(0);
  });

  it('refuses a second server on the same directory', async () => {
    await expect(startServer(env)).rejects.toThrow(/in use by the Gatehouse server/);
  });

  it('is free once the server stops; ended sessions stay ended when it starts again', async () => {
    expect(await server!.stop('SIGTERM')).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
    expect(existsSync(socketFile)).toBe(false);
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
