import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { lastResortGc } from '../gc.js';
import { openFailure, statementFailure } from './data-dir-faults.js';
import type { Database, Sql } from './db.js';
import { INITDB_PARAMS, readTemplate, unpackTemplate } from './pglite-template.js';

export interface PgliteOptions {
  /** Directory to persist into; omitted = in memory (tests). */
  dataDir?: string;
  /** A dumpDataDir() tarball to start from (tests use one migrated template). */
  loadDataDir?: Blob | File;
  /** One full collection before PostgreSQL starts (below); the server asks for it. */
  collectFirst?: boolean;
}

/**
 * PostgreSQL's memory settings for the embedded store. Its defaults size
 * shared_buffers at 128 MB, which PostgreSQL touches whole at start: most of
 * the resident memory of a small server. 16 MB holds the hot pages of an auth
 * store (sessions by id, the latest audit rows); the rest is read through the
 * operating system's file cache. `-F` (no fsync) is PGlite's own default and
 * stays: see docs/performance.md, "The embedded store on a small server".
 */
export const START_PARAMS = [
  ...PGlite.defaultStartParams,
  ...['-c', 'shared_buffers=16MB', '-c', 'temp_buffers=1MB', '-c', 'maintenance_work_mem=16MB'],
];

/**
 * PGlite is PostgreSQL compiled to one 9 MB WebAssembly module. V8 first
 * compiles it with its baseline compiler (Liftoff) and later recompiles hot
 * functions with its optimising one; for PostgreSQL's largest function that
 * takes ~600 MB of memory and 3–5 s of CPU (measured with
 * --trace-wasm-compilation-times), which more than doubled the server's peak
 * memory. Baseline code costs ~30% more CPU per query, which the fewer,
 * batched statements of the ending path more than make up for
 * (docs/performance.md). Must run before the module is compiled; it
 * applies to every WebAssembly module of the process (PGlite is the only one).
 */
export function useBaselineWasmCompiler(): void {
  // Set at run time, --liftoff-only alone does not imply the other two as it does on the command line.
  setFlagsFromString('--liftoff-only --no-wasm-tier-up --no-wasm-dynamic-tiering');
}

export async function openPglite(opts: PgliteOptions = {}): Promise<Database & { pglite: PGlite }> {
  useBaselineWasmCompiler();
  const { dataDir, loadDataDir } = opts;
  if (!dataDir) return wrap(await create({ loadDataDir }));
  const fresh = !loadDataDir && !existsSync(join(dataDir, 'PG_VERSION'));
  // PostgreSQL says why it could not start only on its stderr; PGlite's error is generic.
  let detail = '';
  try {
    mkdirSync(dataDir, { recursive: true });
    if (fresh && !unpackBuildTemplate(dataDir)) await initialiseInChild(dataDir);
    // One collection before PostgreSQL starts: the garbage of loading the modules (and, on a
    // first start, the 41 MB of the unpacked template) would otherwise still be there when
    // PostgreSQL and the app have started, and set the start's peak: 270 MB on a restart, 312–335
    // MB on a first start, against 232–249 MB with it (docs/performance.md).
    if (opts.collectFirst) lastResortGc();
    const db = await create({
      dataDir,
      loadDataDir,
      onStderr: (line) => {
        if (/\b(FATAL|PANIC|ERROR)\b/.test(line)) detail = line.replace(/^.*?(FATAL|PANIC|ERROR):\s*/, '');
        return false;
      },
    });
    return wrap(db, dataDir);
  } catch (err) {
    throw openFailure(err, dataDir, fresh, detail);
  }
}

/** Unpacks the build's template, if there is one. */
function unpackBuildTemplate(dataDir: string): boolean {
  const template = readTemplate();
  if (!template) return false;
  unpackTemplate(template, dataDir);
  return true;
}

function create(opts: {
  dataDir?: string;
  loadDataDir?: Blob | File;
  onStderr?: (line: string) => boolean;
}): Promise<PGlite> {
  // One options object: `new PGlite(undefined, options)` silently ignores its options.
  return PGlite.create({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    ...(opts.onStderr ? { onStderr: opts.onStderr } : {}),
    startParams: START_PARAMS,
    initDbStartParams: INITDB_PARAMS,
  });
}

/**
 * Without a template (running from source), PostgreSQL's initdb runs once, in
 * a child process: it holds three PostgreSQL instances' memory at once (~480 MB)
 * and all of it is returned when the child exits, instead of staying in the
 * server's heap.
 */
async function initialiseInChild(dataDir: string): Promise<void> {
  const script = `
    const { PGlite } = await import(process.env.GATEHOUSE_PGLITE);
    const [dataDir, startParams, initDbStartParams] = JSON.parse(process.env.GATEHOUSE_INITDB);
    const db = await PGlite.create({ dataDir, startParams, initDbStartParams });
    await db.close();`;
  const child = spawn(process.execPath, ['--liftoff-only', '--input-type=module', '-e', script], {
    env: {
      ...process.env,
      GATEHOUSE_PGLITE: import.meta.resolve('@electric-sql/pglite'),
      GATEHOUSE_INITDB: JSON.stringify([dataDir, START_PARAMS, INITDB_PARAMS]),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0)
    throw new Error(`initialising the embedded database failed: ${lastLine(stderr) || `exit code ${code}`}`);
}

const lastLine = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => /error/i.test(l))
    .pop() ?? '';

export function wrap(db: PGlite, dataDir?: string): Database & { pglite: PGlite } {
  const failed = (err: unknown): never => {
    // PGlite's errors carry the statement's parameters (password hashes, token hashes): never logged.
    if (err && typeof err === 'object' && 'params' in err) delete (err as { params?: unknown }).params;
    throw dataDir ? statementFailure(err, dataDir) : err;
  };
  const sql = (q: Pick<PGlite, 'query' | 'exec'>): Sql => ({
    query: async <T>(text: string, params?: readonly unknown[]) =>
      (await q.query<T>(text, params as unknown[] | undefined).catch(failed)).rows,
    exec: async (script: string) => void (await q.exec(script).catch(failed)),
  });
  return {
    kind: 'pglite',
    pglite: db,
    ...sql(db),
    transaction: (fn) => db.transaction((tx) => fn(sql(tx))).catch(failed),
    close: () => db.close(),
  };
}
