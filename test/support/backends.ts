import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { openPglite, wrap } from '../../src/storage/pglite.js';
import { unpackTemplate } from '../../src/storage/pglite-template.js';
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
 * template: initialising one costs the process seconds, unpacking the template
 * here a few milliseconds.
 */
export async function seededDataDir(prefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `gatehouse-${prefix}-`));
  await seedDataDir(dir);
  return dir;
}

/**
 * Writes the migrated template's files into an empty DATA_DIR, as a server's first start
 * unpacks the build's (src/storage/pglite.ts): what the directory then holds is what that
 * start would have made. Opening PGlite to load the template (what this did before) cost
 * ~0.8 s of CPU per directory, for the same files.
 */
export async function seedDataDir(dir: string): Promise<void> {
  unpackTemplate(readFileSync(inject('pgliteTemplate')), dir);
}

type EmbeddedDatabase = Awaited<ReturnType<typeof openPglite>>;

/**
 * Embedded test databases are reused within a worker process. Loading the template into a new
 * PGlite costs 0.5 s of CPU on a quiet machine and about 1 s during a run, and `npm test`
 * opened 101 of them: a third of the suite's CPU. Emptying a used one takes about 60 ms. What
 * is kept is the PGlite instance, never the `Database` a test was given, so that a test's patch
 * to its `Database` cannot reach the next file.
 *
 * A database goes back to the pool only when it is still open and its schema is still the
 * template's: same tables, triggers and functions, by object id, so that a file that adds a
 * table or trigger (test/support/hostile.ts counts row changes with one) never hands it on.
 * Everything the tests write is in the public schema's tables, which are emptied, with their
 * sequences restarted; session settings are reset. What a database looks like to the next
 * file is then what a fresh copy of the template looks like, which `reuses an emptied
 * database only when its schema is unchanged` in test/storage/test-databases.test.ts checks.
 */
export const embeddedPool = {
  idle: [] as PGlite[],
  /** Enough for the files that hold several databases at once; the rest are closed. */
  max: 4,
  /** The template's schema, read from the first database opened from it. */
  shape: undefined as Promise<{ tables: string[]; fingerprint: string }> | undefined,
};

const SCHEMA_FINGERPRINT = `
  SELECT md5(string_agg(x, ',' ORDER BY x)) AS fingerprint FROM (
    SELECT 'class ' || oid FROM pg_class WHERE relnamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'trigger ' || t.oid FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'function ' || oid FROM pg_proc WHERE pronamespace = 'public'::regnamespace
  ) AS objects(x)`;

async function readShape(db: EmbeddedDatabase): Promise<{ tables: string[]; fingerprint: string }> {
  const tables = await db.query<{ name: string }>(
    `SELECT quote_ident(tablename) AS name FROM pg_tables
     WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY tablename`,
  );
  return { tables: tables.map((t) => t.name), fingerprint: await schemaFingerprint(db) };
}

async function schemaFingerprint(db: Database): Promise<string> {
  const rows = await db.query<{ fingerprint: string }>(SCHEMA_FINGERPRINT);
  return rows[0]?.fingerprint ?? '';
}

/** Empties a used database and keeps it, or closes it when it cannot be handed on as new. */
async function release(pglite: PGlite): Promise<void> {
  if (pglite.closed) return;
  const db = wrap(pglite);
  try {
    const shape = await embeddedPool.shape;
    if (
      shape &&
      (await schemaFingerprint(db)) === shape.fingerprint &&
      embeddedPool.idle.length < embeddedPool.max
    ) {
      await db.exec(`TRUNCATE ${shape.tables.join(', ')} RESTART IDENTITY CASCADE; RESET ALL`);
      embeddedPool.idle.push(pglite);
      return;
    }
  } catch {
    // A database a test left unusable (an aborted transaction, say) is closed, not handed on.
  }
  await db.close();
}

const pglite: Backend = {
  name: 'pglite',
  async open() {
    const pooled = embeddedPool.idle.pop();
    const db = pooled
      ? wrap(pooled)
      : await openPglite({ loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    embeddedPool.shape ??= readShape(db);
    await embeddedPool.shape;
    let disposed = false;
    return {
      db,
      databaseUrl: undefined,
      async dispose() {
        if (disposed) return;
        disposed = true;
        await release(db.pglite);
      },
    };
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
