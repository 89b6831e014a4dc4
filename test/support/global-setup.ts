import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/storage/migrate.js';
import { openPglite } from '../../src/storage/pglite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A dumpDataDir() of a freshly migrated embedded database. */
    pgliteTemplate: string;
  }
}

/**
 * A fresh embedded database takes seconds to initialise; a loaded dump takes
 * well under one. Build and migrate it once per run, then every test file
 * starts from a copy.
 */
export default async function setup(project: TestProject) {
  announceSkips();
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const db = await openPglite();
  await migrate(db);
  const dump = await db.pglite.dumpDataDir('none');
  await db.close();
  const file = join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}

/**
 * One line per service the run has to do without, so that a green run on a
 * laptop is not mistaken for a full one. CI sets both: nothing is skipped.
 */
function announceSkips(): void {
  if (!process.env.TEST_DATABASE_URL)
    console.warn(
      'TEST_DATABASE_URL is not set: the tests that need PostgreSQL are skipped (set it to a database the tests may create schemas in).',
    );
  if (!process.env.TEST_REDIS_URL)
    console.warn(
      'TEST_REDIS_URL is not set: the tests that need Redis are skipped (set it, e.g. redis://127.0.0.1:6379/0).',
    );
}
