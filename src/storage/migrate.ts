import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './db.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

// A fixed advisory-lock key so that several instances starting together
// apply each migration exactly once.
const MIGRATION_LOCK = 7_262_717;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * An applied migration no longer matches its file, or the database has a migration this code
 * does not know (it was migrated by a newer Gatehouse). Either way, starting would run code
 * against a schema it was not written for, so the start stops and says which migration.
 */
export class MigrationMismatchError extends Error {
  override readonly name = 'MigrationMismatchError';
}

/** SHA-256 of a migration's text, line endings normalised (a CRLF checkout is the same migration). */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number.parseInt(f, 10), name: f, sql: readFileSync(dir + f, 'utf8') }));
}

/** Applies pending migrations in order; returns the names applied. */
export async function migrate(db: Database, migrations = loadMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    // Databases migrated before checksums were recorded get theirs from the files on this start.
    await tx.query('ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text');
    const rows = await tx.query<{ version: number; name: string; checksum: string | null }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    const known = new Map(migrations.map((m) => [m.version, m]));
    const done = new Set<number>();
    for (const row of rows) {
      const m = known.get(row.version);
      if (!m)
        throw new MigrationMismatchError(
          `The database has migration ${row.name}, which this version of Gatehouse does not have: it was migrated by a newer version. Run that version, or restore a backup taken before the upgrade (docs/deploying.md).`,
        );
      const checksum = migrationChecksum(m.sql);
      if (row.checksum === null)
        await tx.query('UPDATE schema_migrations SET checksum = $2 WHERE version = $1', [
          row.version,
          checksum,
        ]);
      else if (row.checksum !== checksum)
        throw new MigrationMismatchError(
          `Migration ${m.name} was changed after it was applied to this database (checksum ${row.checksum.slice(0, 12)}… recorded, ${checksum.slice(0, 12)}… now). Applied migrations must never be edited: restore the file, and put the change in a new migration.`,
        );
      done.add(row.version);
    }
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        migrationChecksum(m.sql),
      ]);
      applied.push(m.name);
    }
    return applied;
  });
}
