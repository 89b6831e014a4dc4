import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Sql } from './db.js';

export interface PgliteOptions {
  /** Directory to persist into; omitted = in memory (tests). */
  dataDir?: string;
  /** A dumpDataDir() tarball to start from (tests use one migrated template). */
  loadDataDir?: Blob | File;
}

export async function openPglite(opts: PgliteOptions = {}): Promise<Database & { pglite: PGlite }> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  // One options object: `new PGlite(undefined, options)` silently ignores its options.
  const db = await PGlite.create({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  return wrap(db);
}

export function wrap(db: PGlite): Database & { pglite: PGlite } {
  const sql = (q: Pick<PGlite, 'query' | 'exec'>): Sql => ({
    query: async <T>(text: string, params?: readonly unknown[]) =>
      (await q.query<T>(text, params as unknown[] | undefined)).rows,
    exec: async (script: string) => void (await q.exec(script)),
  });
  return {
    kind: 'pglite',
    pglite: db,
    ...sql(db),
    transaction: (fn) => db.transaction((tx) => fn(sql(tx))),
    close: () => db.close(),
  };
}
