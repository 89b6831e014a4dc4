import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DataDirError, faultOf, openFailure, statementFailure } from '../../src/storage/data-dir-faults.js';
import { DatabaseUnavailableError } from '../../src/storage/db.js';
import { openDatabase } from '../../src/storage/open.js';
import { http, type ServerProcess, startServer, tempDir } from '../cli/run-cli.js';
import { until } from '../support/webhook-receiver.js';

vi.setConfig({ testTimeout: 180_000 });

const dirs: { remove(): void }[] = [];
afterAll(() => {
  for (const d of dirs) d.remove();
});

describe('a data directory that is full, read-only or damaged', () => {
  it('names DATA_DIR and what to do, for each kind of fault', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });
    expect(faultOf(errno('ENOSPC'))).toBe('full');
    expect(faultOf(Object.assign(new Error('could not extend file'), { code: '53100' }))).toBe('full');
    expect(faultOf(errno('EROFS'))).toBe('read-only');
    expect(faultOf(errno('EACCES'))).toBe('read-only');
    expect(faultOf(new Error('syntax error'))).toBeNull();

    expect(openFailure(errno('ENOSPC'), '/srv/gh', true).message).toMatch(
      /^DATA_DIR \/srv\/gh is full \(no space left on device\)\. Free space/,
    );
    expect(openFailure(errno('EROFS'), '/srv/gh', false).message).toMatch(
      /^DATA_DIR \/srv\/gh cannot be written \(EROFS\)\. Give the user running Gatehouse write access/,
    );
    const damaged = openFailure(new Error('generic'), '/srv/gh', false, 'database files are incompatible');
    expect(damaged).toBeInstanceOf(DataDirError);
    expect(damaged.message).toContain(
      'DATA_DIR /srv/gh could not be opened: database files are incompatible',
    );
    expect(damaged.message).toContain('restore DATA_DIR from a backup, or move it aside');

    // At run time a full disk is the database being unavailable (503), other errors stay as they are.
    const full = statementFailure(Object.assign(new Error('could not extend file'), { code: '53100' }), '/d');
    expect(full).toBeInstanceOf(DatabaseUnavailableError);
    expect((full as Error).message).toMatch(/^DATA_DIR \/d is full/);
    const other = new Error('duplicate key');
    expect(statementFailure(other, '/d')).toBe(other);
  });

  it('refuses a damaged directory with a clear message and leaves every file as it was', async () => {
    const dir = tempDir('damaged');
    dirs.push(dir);
    writeFileSync(join(dir.path, 'PG_VERSION'), '17\n');
    mkdirSync(join(dir.path, 'global'));
    writeFileSync(join(dir.path, 'global', 'pg_control'), Buffer.alloc(8192, 7));
    const before = readdirSync(dir.path, { recursive: true }).sort();
    const opening = openDatabase({
      databaseUrl: undefined,
      dataDir: dir.path,
      progress: () => {},
      owner: 'test',
    });
    await expect(opening).rejects.toThrow(DataDirError);
    await expect(opening).rejects.toThrow(
      `The embedded database in DATA_DIR ${dir.path} could not be opened`,
    );
    expect(readdirSync(dir.path, { recursive: true }).sort()).toEqual(before);
    expect(readFileSync(join(dir.path, 'global', 'pg_control'))).toEqual(Buffer.alloc(8192, 7));
  });

  // A small filesystem of its own needs root (a tmpfs mount); elsewhere the mapping above is what is tested.
  const canMount = process.getuid?.() === 0 && process.platform === 'linux';
  it.runIf(canMount)('refuses a read-only directory, naming DATA_DIR and what to do', async () => {
    const dir = tempDir('read-only');
    dirs.push({ remove: () => execFileSync('umount', ['-l', dir.path]) }, dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir.path]);
    const dataDir = join(dir.path, 'data');
    mkdirSync(dataDir);
    execFileSync('mount', ['-o', 'remount,ro', dir.path]);
    await expect(
      openDatabase({ databaseUrl: undefined, dataDir, progress: () => {}, owner: 'test' }),
    ).rejects.toThrow(
      `DATA_DIR ${dataDir} cannot be written (EROFS). Give the user running Gatehouse write access`,
    );
  });

  it.runIf(canMount)('on a full disk answers 503 and loses no confirmed logout', async () => {
    const dir = tempDir('full');
    dirs.push({ remove: () => execFileSync('umount', ['-l', dir.path]) }, dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', dir.path]);
    const env = { DATA_DIR: join(dir.path, 'data') };
    let server: ServerProcess = await startServer(env);
    const password = 'a long enough passphrase';
    const logins: string[] = [];
    try {
      expect(
        (await http(`${server.url}/auth/register`, { body: { email: 'f@example.com', password } })).status,
      ).toBe(201);
      for (let i = 0; i < 6; i++) {
        const r = await http(`${server.url}/auth/login`, { body: { email: 'f@example.com', password } });
        logins.push(r.body.accessToken as string);
      }
      const logout = (token: string) =>
        fetch(`${server.url}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect((await logout(logins[0]!)).status).toBe(200);

      // Fill the filesystem, then keep writing until the database meets it.
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${join(dir.path, 'filler')}`, 'bs=1M', 'count=100'], {
          stdio: 'ignore',
        });
      } catch {
        // dd stops with an error when the disk is full: that is the point
      }
      let refused: Response | undefined;
      for (let i = 0; i < 200 && !refused; i++) {
        const r = await fetch(`${server.url}/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `fill${i}@example.com`, password }),
        });
        if (r.status !== 201) refused = r;
      }
      expect(refused?.status, server.output().slice(-3000)).toBe(503);
      expect(await refused?.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      // The log line may reach us just after the response.
      const full = `DATA_DIR ${env.DATA_DIR} is full (no space left on device)`;
      await until(() => server.output().includes(full), 5000, 'the log line naming DATA_DIR');
      expect((await http(`${server.url}/health`)).status).toBe(200);
    } finally {
      await server.stop('SIGKILL');
    }
    // Space again: the confirmed logout is still ended, the other sessions still work.
    rmSync(join(dir.path, 'filler'));
    server = await startServer(env);
    try {
      expect((await http(`${server.url}/auth/me`, { token: logins[0] })).status).toBe(401);
      expect((await http(`${server.url}/auth/me`, { token: logins[1] })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
