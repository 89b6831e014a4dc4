import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openFailure } from './data-dir-faults.js';
import { type DataDirLock, DataDirLockedError, lockDataDir } from './data-dir-lock.js';
import type { Database } from './db.js';
import { migrate } from './migrate.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export interface OpenOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Progress lines for the console (a first embedded start takes seconds). */
  progress: (message: string) => void;
  /** Apply pending migrations (default true; `gatehouse migrate` applies them itself to report them). */
  migrate?: boolean;
  /** Named in the embedded store's lock file, for whoever finds it held ("server", "cli"). */
  owner?: string;
  /**
   * The embedded store: one full collection before PostgreSQL starts (src/storage/pglite.ts).
   * For the server, a process started for this; not for a process that opens databases among
   * other work (the tests, the CLI in-process), where each would cost a collection of its heap.
   */
  collectFirst?: boolean;
}

/** Opens the configured database and applies pending migrations. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  let db: Database;
  if (opts.databaseUrl) {
    opts.progress('Connecting to PostgreSQL…');
    db = openPostgres({ connectionString: opts.databaseUrl });
  } else {
    const fresh = !existsSync(join(opts.dataDir, 'PG_VERSION'));
    // PGlite is single-process and does not lock its directory: we do (data-dir-lock.ts).
    let lock: DataDirLock;
    try {
      lock = lockDataDir(opts.dataDir, opts.owner ?? 'server');
    } catch (err) {
      if (err instanceof DataDirLockedError) throw err;
      throw openFailure(err, opts.dataDir, fresh);
    }
    opts.progress(
      fresh
        ? `Initialising the embedded database in ${opts.dataDir} (first start only; this takes a few seconds)…`
        : `Opening the embedded database in ${opts.dataDir}…`,
    );
    try {
      const pglite = await openPglite({ dataDir: opts.dataDir, collectFirst: opts.collectFirst });
      db = { ...pglite, close: () => pglite.close().finally(lock.release) };
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  if (opts.migrate === false) return db;
  try {
    const applied = await migrate(db);
    if (applied.length > 0) opts.progress(`Applied migrations: ${applied.join(', ')}`);
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
  return db;
}
