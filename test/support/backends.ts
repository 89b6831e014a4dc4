import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { openPglite } from '../../src/storage/pglite.js';
import { openPostgres } from '../../src/storage/postgres.js';

/** A migrated, empty database of one kind, private to the caller. */
export interface TestDatabase {
  db: Database;
  /** Set on PostgreSQL: a URL other processes and connections can use to reach the same data. */
  databaseUrl: string | undefined;
  dispose(): Promise<void>;
}

export interface Backend {
  name: 'pglite' | 'postgres';
  open(): Promise<TestDatabase>;
}

/**
 * A new embedded DATA_DIR for a server process, already holding the migrated
 * template: initialising one costs the process seconds, loading the template
 * here a fraction of that.
 */
export async function seededDataDir(prefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `gatehouse-${prefix}-`));
  await seedDataDir(dir);
  return dir;
}

/** Loads the migrated template into an empty DATA_DIR. */
export async function seedDataDir(dir: string): Promise<void> {
  const db = await openPglite({
    dataDir: dir,
    loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]),
  });
  await db.close();
}

const pglite: Backend = {
  name: 'pglite',
  async open() {
    const template = new Blob([readFileSync(inject('pgliteTemplate'))]);
    const db = await openPglite({ loadDataDir: template });
    return { db, databaseUrl: undefined, dispose: () => db.close() };
  },
};

/**
 * Each PostgreSQL test database is a schema of its own in TEST_DATABASE_URL,
 * selected through the connection's search_path, so files and CI runs never
 * see each other's rows.
 */
export async function openPostgresSchema(baseUrl: string): Promise<TestDatabase> {
  const schema = `gh_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const databaseUrl = url.toString();
  const db = openPostgres({ connectionString: databaseUrl });
  await migrate(db);
  return {
    db,
    databaseUrl,
    async dispose() {
      await db.close();
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

const postgres: Backend = {
  name: 'postgres',
  open: () => openPostgresSchema(TEST_DATABASE_URL as string),
};

/** The embedded store always; PostgreSQL too when TEST_DATABASE_URL is set. */
export const backends: Backend[] = TEST_DATABASE_URL ? [pglite, postgres] : [pglite];
