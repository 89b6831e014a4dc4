/**
 * docs/deploying.md, checked: the blocks marked `<!-- test: name -->` are loaded as
 * configuration, verified by systemd's own checker, or run as the shell commands they are
 * (with `systemctl` standing in for nothing: the server is stopped and started by the test).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openContext } from '../../src/setup.js';
import { openDatabase } from '../../src/storage/open.js';
import { createStore } from '../../src/storage/store.js';
import { openPostgresSchema, TEST_DATABASE_URL } from '../support/backends.js';
import { testConfig } from '../support/harness.js';

const page = readFileSync(new URL('../../docs/deploying.md', import.meta.url), 'utf8');

/** The fenced block right after `<!-- test: name -->`. */
function block(name: string): string {
  const marker = `<!-- test: ${name} -->`;
  const at = page.indexOf(marker);
  const fenced = /```[a-z]*\n([\s\S]*?)```/.exec(page.slice(at));
  if (at < 0 || !fenced?.[1]) throw new Error(`docs/deploying.md has no block marked "${name}"`);
  return fenced[1];
}

/** Runs a documented shell block; `systemctl` lines are the test's to do, so they are dropped. */
function runShell(script: string, env: Record<string, string>, cwd: string): void {
  const lines = script.split('\n').filter((l) => !/^\s*systemctl /.test(l));
  execFileSync('bash', ['-euo', 'pipefail', '-c', lines.join('\n')], {
    cwd,
    env: { ...process.env, ...env },
    stdio: 'pipe',
  });
}

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe('docs/deploying.md', () => {
  it('has an environment file that Gatehouse accepts as it is', () => {
    const env: Record<string, string> = {};
    for (const line of block('env-file').split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (m) env[m[1]!] = m[2]!;
    }
    expect(Object.keys(env)).toContain('TRUST_PROXY');
    const config = loadConfig(env);
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', dataDir: '/var/lib/gatehouse' });
  });

  it('has a systemd unit that runs the production build and passes systemd-analyze verify', (ctx) => {
    const unit = block('systemd-unit');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node dist\/main\.js$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/gatehouse\/gatehouse\.env$/m);
    if (!has('systemd-analyze')) {
      console.log(
        'deploying.md: systemd-analyze is not installed here; the unit was checked by its lines only',
      );
      ctx.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-unit-'));
    try {
      const file = join(dir, 'gatehouse.service');
      // The checker wants the executable to exist: point it at this Node, the unit otherwise as written.
      writeFileSync(file, unit.replace('/usr/bin/node', process.execPath));
      const res = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
      const complaints = res.stderr
        .split('\n')
        // Users, groups and paths of a real server do not exist on a test machine.
        .filter(
          (l) =>
            l.trim() &&
            !/gatehouse\.env|User=|Group=|ReadWritePaths|WorkingDirectory|\/opt\/gatehouse/.test(l),
        );
      expect({ status: res.status, complaints }).toEqual({ status: 0, complaints: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has an nginx site whose forwarded headers match what TRUST_PROXY=1 trusts', () => {
    const site = block('nginx');
    expect(site).toMatch(/proxy_pass http:\/\/127\.0\.0\.1:3000;/);
    // One proxy that replaces the header: exactly one hop to trust.
    expect(site).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(site).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
    expect(site).toMatch(/proxy_buffering off;/);
  });

  describe('backing up and restoring the embedded store', () => {
    let root: string;
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'gatehouse-backup-'));
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    // Three openings of a real data directory, the first of which initialises it.
    it('brings back the accounts of the backup, as the page says', { timeout: 120_000 }, async () => {
      const dataDir = join(root, 'data');
      const progress = () => {};
      const open = async () => {
        const db = await openDatabase({ databaseUrl: undefined, dataDir, progress });
        return openContext(db, testConfig());
      };
      let { store } = await open();
      await store.insertUser({
        id: crypto.randomUUID(),
        email: 'kept@example.test',
        name: null,
        passwordHash: 'h',
        roles: ['user'],
      });
      await store.close(); // "systemctl stop gatehouse"

      const backup = block('backup-embedded');
      runShell(backup, { DATA_DIR: dataDir }, root);
      const [archive] = execFileSync('sh', ['-c', 'ls gatehouse-*.tar.gz'], { cwd: root, encoding: 'utf8' })
        .trim()
        .split('\n');
      expect(archive).toMatch(/^gatehouse-\d{4}-\d{2}-\d{2}\.tar\.gz$/);

      // What the backup must not keep: an account created after it.
      ({ store } = await open());
      await store.insertUser({
        id: crypto.randomUUID(),
        email: 'after@example.test',
        name: null,
        passwordHash: 'h',
        roles: ['user'],
      });
      await store.close();

      const restore = block('restore-embedded').replace('gatehouse-2026-11-30.tar.gz', archive!);
      runShell(restore, { DATA_DIR: dataDir }, root);
      ({ store } = await open());
      try {
        expect(await store.findUserByEmail('kept@example.test')).not.toBeNull();
        expect(await store.findUserByEmail('after@example.test')).toBeNull();
      } finally {
        await store.close();
      }
    });
  });

  describe.runIf(TEST_DATABASE_URL)('backing up and restoring PostgreSQL', () => {
    it('brings back the accounts of the dump with pg_dump and pg_restore', async (ctx) => {
      if (!has('pg_dump') || !has('pg_restore')) {
        console.log(
          'deploying.md: pg_dump/pg_restore are not installed here; PostgreSQL backup not exercised',
        );
        ctx.skip();
      }
      const database = await openPostgresSchema(TEST_DATABASE_URL as string);
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-pgdump-'));
      try {
        const store = createStore(database.db);
        const schema = new URL(database.databaseUrl as string).searchParams.get('options')!.split('=')[1]!;
        await store.insertUser({
          id: crypto.randomUUID(),
          email: 'dumped@example.test',
          name: null,
          passwordHash: 'h',
          roles: ['user'],
        });
        // The documented commands, on this test's schema only (the test database is shared).
        const url = TEST_DATABASE_URL as string;
        runShell(
          block('backup-postgres').replace('pg_dump ', `pg_dump --schema=${schema} `),
          { DATABASE_URL: url },
          dir,
        );
        await database.db.query('DELETE FROM users');
        runShell(block('restore-postgres'), { DATABASE_URL: url }, dir);
        expect(await store.findUserByEmail('dumped@example.test')).not.toBeNull();
      } finally {
        await database.dispose();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
