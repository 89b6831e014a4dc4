import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  pgliteVersion,
  readTemplate,
  TEMPLATE_FILE,
  templateIsCurrent,
  templateMigrations,
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
    const dir = withStamp({ pglite: pgliteVersion(), migrations: current });
    expect(readTemplate([dir])?.toString()).toMatch(/^tar of /);
    expect(templateIsCurrent([dir])).toBe(true);
  });

  it('uses one lacking only the newest migrations (start-up applies them), but the build remakes it', () => {
    const older = withStamp({ pglite: pgliteVersion(), migrations: current.slice(0, -1) });
    const initdbOnly = withStamp({ pglite: pgliteVersion() });
    for (const dir of [older, initdbOnly]) {
      expect(readTemplate([dir])).toBeDefined();
      expect(templateIsCurrent([dir])).toBe(false);
    }
  });

  it('refuses one with a migration this code has changed, or one it does not have, or another PGlite', () => {
    const edited = current.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    const newer = [...current, { name: '999_from_the_future.sql', checksum: '0'.repeat(64) }];
    for (const stamp of [
      { pglite: pgliteVersion(), migrations: edited },
      { pglite: pgliteVersion(), migrations: newer },
      { pglite: '0.0.1', migrations: current },
    ]) {
      const dir = withStamp(stamp);
      expect(readTemplate([dir])).toBeUndefined();
      expect(templateIsCurrent([dir])).toBe(false);
    }
  });

  it('takes the first usable of its places', () => {
    const stale = withStamp({ pglite: '0.0.1' });
    const good = withStamp({ pglite: pgliteVersion(), migrations: current });
    expect(readTemplate([join(tmpdir(), 'no-such-dir'), stale, good])?.toString()).toContain(pgliteVersion());
  });
});
