/**
 * Part of `npm run build` (scripts/build.mjs runs it): runs PostgreSQL's initdb once, here,
 * applies every migration, and keeps the data directory as a tarball beside the built storage
 * code, for a first start to unpack (src/storage/pglite-template.ts). Uses the built modules,
 * so it needs no TypeScript loader; sets its own V8 flags as the server does (the baseline
 * WebAssembly compiler, a collector it can call), so it runs as plain `node <script> [dir]`.
 *
 * Peak memory is what this script is written around (docs/performance.md, "Making the
 * template"): PGlite's own path peaked at 480–570 MB, too much for the 1 GB server a fresh
 * clone's first `npm start` may run on. Two things bring it under 300 MB:
 * - a lean heap snapshot for initdb (below);
 * - the tarball streamed file by file through gzip (tarRecords) instead of dumpDataDir, which
 *   builds the whole ~41 MB tar in memory first.
 */
import { createWriteStream, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';

const started = performance.now();
const dist = join(import.meta.dirname, '..', 'dist', 'storage');
/** Where the template goes: beside the built code, or the directory given (the tests' and the bench's). */
const out = process.argv[2] ?? dist;
const { START_PARAMS, useBaselineWasmCompiler, wrap } = await import(join(dist, 'pglite.js'));
const { lastResortGc } = await import(join(dist, '..', 'gc.js'));
const { INITDB_PARAMS, pgliteVersion, templateMigrations, tarRecords, TEMPLATE_FILE } = await import(
  join(dist, 'pglite-template.js')
);
const { migrate } = await import(join(dist, 'migrate.js'));

/** Where PGlite keeps the data directory in its in-memory file system. */
const PGDATA = '/pglite/data';
const CHUNK = 64 * 1024;
const ZEROS = new Uint8Array(CHUNK);
const isZero = (heap, at) => Buffer.compare(heap.subarray(at, at + CHUNK), ZEROS) === 0;

/**
 * PGlite's initdb runs PostgreSQL several times (bootstrap, then single-user) in a second
 * instance, and before each run puts that instance's heap back as it was: it keeps
 * `HEAPU8.slice()` of the whole heap (134 MB) and writes it back with `HEAPU8.set(copy)`, which
 * makes all 134 MB resident twice although only ~2 MB of it is not zero. This view stands in
 * for HEAPU8 in that one place and does the same with the non-zero 64 KB chunks only: it
 * keeps those, and on a restore writes them back and zeroes the chunks that are not zero now
 * (reading an untouched page costs no memory). Anything else asked of it throws, so a PGlite
 * that uses the heap differently fails here, and the build falls back to PGlite's own path.
 */
function leanHeapView(mod) {
  const used = new Set(['slice', 'set']);
  const view = {
    slice() {
      const heap = mod.HEAPU8;
      const kept = new Map();
      for (let at = 0; at < heap.length; at += CHUNK)
        if (!isZero(heap, at)) kept.set(at, heap.slice(at, at + CHUNK));
      return { length: heap.length, kept };
    },
    set(snapshot) {
      if (!(snapshot?.kept instanceof Map)) throw new Error('lean heap view: not a snapshot of its own');
      const heap = mod.HEAPU8;
      for (let at = 0; at < snapshot.length; at += CHUNK) {
        const chunk = snapshot.kept.get(at);
        if (chunk) heap.set(chunk, at);
        else if (!isZero(heap, at)) heap.fill(0, at, at + CHUNK);
      }
    },
  };
  return new Proxy(view, {
    get(target, key) {
      if (typeof key === 'string' && used.has(key)) return target[key];
      throw new Error(`lean heap view: PGlite asked for HEAPU8.${String(key)}`);
    },
  });
}

/** PGlite.create, with initdb's instance (created with noInitDb) given the lean heap view. */
async function createLean(options) {
  const create = PGlite.create;
  PGlite.create = async function (inner, extra) {
    const pg = await create.call(this, inner, extra);
    if (inner?.noInitDb) {
      const heap = leanHeapView(pg.mod);
      const mod = new Proxy(pg.mod, {
        get: (target, key) => (key === 'HEAPU8' ? heap : Reflect.get(target, key)),
      });
      Object.defineProperty(pg, 'Module', { get: () => mod });
    }
    return pg;
  };
  try {
    return await PGlite.create(options);
  } finally {
    PGlite.create = create;
  }
}

/** The data directory's entries, for tarRecords, each file read when its turn comes. */
function* dataDirectory(FS, dir = '') {
  for (const name of FS.readdir(`${PGDATA}/${dir}`).sort()) {
    if (name === '.' || name === '..') continue;
    const path = dir ? `${dir}/${name}` : name;
    const { mode } = FS.stat(`${PGDATA}/${path}`);
    if (FS.isDir(mode)) {
      yield { name: path, type: 'dir', mode };
      yield* dataDirectory(FS, path);
    } else yield { name: path, type: 'file', mode, read: () => FS.readFile(`${PGDATA}/${path}`) };
  }
}

useBaselineWasmCompiler();
const options = { startParams: START_PARAMS, initDbStartParams: INITDB_PARAMS };
let db;
let lean = true;
try {
  db = await createLean(options);
} catch (error) {
  lean = false;
  process.stderr.write(
    `gatehouse: initdb with a lean heap snapshot failed (${error}); running PGlite's own\n`,
  );
  db = await PGlite.create(options);
}
lastResortGc(); // initdb's instance and heap copies are garbage now
await migrate(wrap(db));
const { FS } = db.Module; // still readable once PGlite has closed
await db.close(); // a clean shutdown: the first start needs no recovery
lastResortGc();

const file = join(out, TEMPLATE_FILE);
await pipeline(Readable.from(tarRecords(dataDirectory(FS))), createGzip(), createWriteStream(`${file}.tmp`));
renameSync(`${file}.tmp`, file);
writeFileSync(
  join(out, `${TEMPLATE_FILE}.json`),
  `${JSON.stringify({ pglite: pgliteVersion(), initdb: INITDB_PARAMS, migrations: templateMigrations() })}\n`,
);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(
  `gatehouse: made the embedded database's template in ${seconds} s, peak ${peakMb} MB` +
    `${lean ? '' : " (PGlite's own initdb)"}\n`,
);
