import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/storage/pglite.js';
import {
  INITDB_PARAMS,
  pgliteVersion,
  readTemplate,
  type TarSource,
  TEMPLATE_FILE,
  tarRecords,
  templateIsCurrent,
  templateMigrations,
  unpackTemplate,
} from '../../src/storage/pglite-template.js';

/** Which build template a first start may unpack: the stamp decides (src/storage/pglite-template.ts). */
describe('the embedded-database template', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const current = templateMigrations();
  /** A directory holding a template whose stamp says `stamp`. */
  const withStamp = (stamp: object) => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-template-'));
    dirs.push(dir);
    writeFileSync(join(dir, TEMPLATE_FILE), gzipSync(Buffer.from(`tar of ${JSON.stringify(stamp)}`)));
    writeFileSync(join(dir, `${TEMPLATE_FILE}.json`), JSON.stringify(stamp));
    return dir;
  };

  it('uses one holding every migration of this code, and calls it current', () => {
    const dir = withStamp({ pglite: pgliteVersion(), initdb: INITDB_PARAMS, migrations: current });
    expect(readTemplate([dir])?.toString()).toMatch(/^tar of /);
    expect(templateIsCurrent([dir])).toBe(true);
  });

  it('uses one lacking only the newest migrations (start-up applies them), but the build remakes it', () => {
    const older = withStamp({
      pglite: pgliteVersion(),
      initdb: INITDB_PARAMS,
      migrations: current.slice(0, -1),
    });
    const initdbOnly = withStamp({ pglite: pgliteVersion(), initdb: INITDB_PARAMS });
    for (const dir of [older, initdbOnly]) {
      expect(readTemplate([dir])).toBeDefined();
      expect(templateIsCurrent([dir])).toBe(false);
    }
  });

  it('refuses one with a migration this code has changed, or one it does not have, another PGlite, other initdb settings', () => {
    const edited = current.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    const newer = [...current, { name: '999_from_the_future.sql', checksum: '0'.repeat(64) }];
    const initdb = INITDB_PARAMS;
    for (const stamp of [
      { pglite: pgliteVersion(), initdb, migrations: edited },
      { pglite: pgliteVersion(), initdb, migrations: newer },
      { pglite: '0.0.1', initdb, migrations: current },
      { pglite: pgliteVersion(), initdb: ['-c', 'shared_buffers=16MB'], migrations: current },
      { pglite: pgliteVersion(), migrations: current }, // made before the settings were recorded
    ]) {
      const dir = withStamp(stamp);
      expect(readTemplate([dir])).toBeUndefined();
      expect(templateIsCurrent([dir])).toBe(false);
    }
  });

  it('takes the first usable of its places', () => {
    const stale = withStamp({ pglite: '0.0.1' });
    const good = withStamp({ pglite: pgliteVersion(), initdb: INITDB_PARAMS, migrations: current });
    expect(readTemplate([join(tmpdir(), 'no-such-dir'), stale, good])?.toString()).toContain(pgliteVersion());
  });
});

/** The build packs the template with tarRecords; a first start unpacks it with unpackTemplate. */
describe('the template archive', () => {
  const long = `${'d'.repeat(120)}/${'f'.repeat(90)}`; // > 100 bytes: ustar's prefix field
  const files: Record<string, Buffer> = {
    PG_VERSION: Buffer.from('17\n'),
    'base/1/1259': Buffer.alloc(8192 + 300, 7), // not a whole number of blocks
    'base/1/empty': Buffer.alloc(0),
    [long]: Buffer.from('deep'),
  };
  const entries: TarSource[] = [
    { name: 'base', type: 'dir', mode: 0o700 },
    { name: 'base/1', type: 'dir', mode: 0o700 },
    { name: 'd'.repeat(120), type: 'dir', mode: 0o700 },
    ...Object.entries(files).map(([name, data]) => ({
      name,
      type: 'file' as const,
      mode: 0o600,
      read: () => data,
    })),
  ];
  const archive = () => Buffer.concat([...tarRecords(entries)]);
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-tar-'));
    dirs.push(dir);
    return dir;
  };
  const contents = (dir: string) =>
    Object.fromEntries(
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => statSync(join(dir, f)).isFile())
        .map((f) => [f, readFileSync(join(dir, f))]),
    );

  it('unpacks to the same files, and GNU tar reads it the same (headers and checksums valid)', () => {
    const tar = archive();
    expect(tar.length % 512).toBe(0);
    const ours = fresh();
    unpackTemplate(tar, ours);
    expect(contents(ours)).toEqual(files);
    const theirs = fresh();
    const gnu = spawnSync('tar', ['-xf', '-', '-C', theirs], { input: tar });
    expect(gnu.stderr.toString()).toBe('');
    expect(gnu.status).toBe(0);
    expect(contents(theirs)).toEqual(files);
  });

  it('refuses a path ustar cannot hold', () => {
    const tooLong = [{ name: `${'a'.repeat(200)}/${'b'.repeat(101)}`, type: 'dir' as const, mode: 0o700 }];
    expect(() => [...tarRecords(tooLong)]).toThrow(/too long/);
  });

  it('reads each file only when its turn comes', () => {
    const reads: string[] = [];
    const lazy = ['a', 'b'].map((name) => ({
      name,
      type: 'file' as const,
      mode: 0o600,
      read: () => {
        reads.push(name);
        return Buffer.from(name);
      },
    }));
    const blocks = tarRecords(lazy);
    blocks.next(); // a's header
    expect(reads).toEqual(['a']);
    expect([...blocks].length).toBeGreaterThan(0);
    expect(reads).toEqual(['a', 'b']);
  });
});

/**
 * scripts/build-pglite-template.mjs, as `npm run build` runs it: initdb through the lean heap
 * snapshot (a PGlite whose initdb uses its heap another way would make the script fall back to
 * PGlite's own path and say so), every migration applied, the result packed by tarRecords.
 */
describe('making the template', () => {
  const out = mkdtempSync(join(tmpdir(), 'gatehouse-template-build-'));
  const data = mkdtempSync(join(tmpdir(), 'gatehouse-template-data-'));
  afterAll(() => {
    for (const d of [out, data]) rmSync(d, { recursive: true, force: true });
  });

  it('takes the lean path, and makes a current template a server can open, already migrated', async () => {
    const script = join(import.meta.dirname, '..', '..', 'scripts', 'build-pglite-template.mjs');
    const made = spawnSync(process.execPath, [script, out], {
      encoding: 'utf8',
    });
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(
      /^gatehouse: made the embedded database's template in [\d.]+ s, peak \d+ MB\n$/,
    );
    expect(templateIsCurrent([out])).toBe(true);
    const tar = readTemplate([out]);
    expect(tar).toBeDefined();
    unpackTemplate(tar as Buffer, data);
    const db = await openPglite({ dataDir: data });
    try {
      const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(templateMigrations().map((m) => m.name));
      // initdb's small buffer pool stays in the template's postgresql.conf; a start's own wins.
      expect(await db.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
    } finally {
      await db.close();
    }
  }, 60_000);
});
