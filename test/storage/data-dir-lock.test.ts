import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../src/storage/data-dir-lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lockFile = () => join(dir, LOCK_FILE);
const writeLock = (holder: object) => writeFileSync(lockFile(), JSON.stringify(holder));
/** The pid of a process that has certainly exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('lockDataDir', () => {
  it('creates the lock file naming this process, and removes it on release', () => {
    const lock = lockDataDir(dir, 'cli');
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
      owner: 'cli',
    });
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
    lock.release(); // twice is harmless
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a directory another live process holds, naming it', () => {
    writeLock({ pid: process.ppid, host: hostname(), owner: 'server', since: new Date().toISOString() });
    let error: unknown;
    try {
      lockDataDir(dir, 'cli');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toContain(`in use by the Gatehouse server (pid ${process.ppid})`);
    // The holder's lock is left alone.
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.ppid);
  });

  it('refuses a second lock in the same process', () => {
    const lock = lockDataDir(dir, 'server');
    expect(() => lockDataDir(dir, 'cli')).toThrow(DataDirLockedError);
    lock.release();
  });

  it('takes over a lock whose process has died', () => {
    writeLock({ pid: deadPid(), host: hostname(), owner: 'server', since: '2020-01-01T00:00:00Z' });
    const lock = lockDataDir(dir, 'cli');
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock naming its own pid from a previous life (a restarted container)', () => {
    writeLock({ pid: process.pid, host: hostname(), owner: 'server', since: '2020-01-01T00:00:00Z' });
    const lock = lockDataDir(dir, 'server');
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
  });

  it('refuses a lock from another host or one it cannot read, and says which file to delete', () => {
    writeLock({ pid: deadPid(), host: 'elsewhere', owner: 'server', since: '2020-01-01T00:00:00Z' });
    expect(() => lockDataDir(dir, 'cli')).toThrow(/on elsewhere\).*delete .*gatehouse\.lock/);
    writeFileSync(lockFile(), 'not json');
    expect(() => lockDataDir(dir, 'cli')).toThrow(/in use by another process.*delete/);
  });

  it('does not remove a lock that is no longer its own on release', () => {
    const lock = lockDataDir(dir, 'cli');
    writeLock({ pid: process.ppid, host: hostname(), owner: 'server', since: new Date().toISOString() });
    lock.release();
    expect(existsSync(lockFile())).toBe(true);
  });
});
