import { existsSync, readdirSync } from 'node:fs';
import type { Database } from './db.js';
import { migrate } from './migrate.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export interface OpenOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Progress lines for the console (a first embedded start takes seconds). */
  progress: (message: string) => void;
}

/** Opens the configured database and applies pending migrations. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  let db: Database;
  if (opts.databaseUrl) {
    opts.progress('Connecting to PostgreSQL…');
    db = openPostgres({ connectionString: opts.databaseUrl });
  } else {
    const fresh = !existsSync(opts.dataDir) || readdirSync(opts.dataDir).length === 0;
    opts.progress(
      fresh
        ? `Initialising the embedded database in ${opts.dataDir} (first start only; this takes a few seconds)…`
        : `Opening the embedded database in ${opts.dataDir}…`,
    );
    db = await openPglite({ dataDir: opts.dataDir });
  }
  try {
    const applied = await migrate(db);
    if (applied.length > 0) opts.progress(`Applied migrations: ${applied.join(', ')}`);
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
  return db;
}
