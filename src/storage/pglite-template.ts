import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { loadMigrations, migrationChecksum } from './migrate.js';

/**
 * A fresh embedded data directory, made once by `npm run build`
 * (scripts/build-pglite-template.mjs) with PostgreSQL's initdb and every
 * migration applied. A first start unpacks it instead of running initdb, which
 * takes seconds and holds three PostgreSQL instances' memory at once, and has no
 * migration left to apply, which added ~60 MB to the first start's peak memory
 * (docs/performance.md). The stamp beside it names the PGlite version that made
 * it, its initdb settings and the migrations in it, each with its checksum:
 * another version's template is not used, nor one made with other settings,
 * nor one whose migrations are not the first of this code's (a migration
 * edited since the build); one that lacks only the newest (a migration added
 * since) is used, and start-up applies the rest.
 */
export const TEMPLATE_FILE = 'pglite-template.tar.gz';

/**
 * initdb writes postgresql.conf and runs its bootstrap backend with these. The smallest buffer
 * pool PostgreSQL allows: the bootstrap touches every buffer, and making the template peaked
 * ~15 MB lower with it (docs/performance.md). Every start passes START_PARAMS (pglite.ts),
 * whose shared_buffers wins over the file's. In the stamp: another value makes another template.
 */
export const INITDB_PARAMS = ['-c', 'shared_buffers=128kB'];

const here = dirname(fileURLToPath(import.meta.url));

export function pgliteVersion(): string {
  // The package's exports hide its package.json; it sits one level above its entry point.
  // Resolved through require, which every loader has (a test runner's module runner may lack
  // import.meta.resolve); the CommonJS entry sits beside the ES module one.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  return (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string })
    .version;
}

/**
 * Beside the built code (dist/storage/); running from source (src/storage/: `npm run dev`,
 * the tests' servers), the build's, if there has been one.
 */
const PLACES = [here, join(here, '..', '..', 'dist', 'storage')];

interface TemplateStamp {
  pglite?: string;
  /** INITDB_PARAMS it was made with; absent in templates made before they were recorded. */
  initdb?: string[];
  /** In the order applied; absent in templates made before they carried migrations (initdb only). */
  migrations?: { name: string; checksum: string }[];
}

/** The migrations a template should hold: this code's, with their checksums. */
export function templateMigrations(): { name: string; checksum: string }[] {
  return loadMigrations().map((m) => ({ name: m.name, checksum: migrationChecksum(m.sql) }));
}

function findTemplate(places: readonly string[]): { dir: string; fit: 'all' | 'prefix' } | undefined {
  const wanted = templateMigrations();
  for (const dir of places) {
    let stamp: TemplateStamp;
    try {
      stamp = JSON.parse(readFileSync(join(dir, `${TEMPLATE_FILE}.json`), 'utf8')) as TemplateStamp;
    } catch {
      continue; // none here
    }
    if (stamp.pglite !== pgliteVersion()) continue;
    if (JSON.stringify(stamp.initdb) !== JSON.stringify(INITDB_PARAMS)) continue;
    const held = stamp.migrations ?? [];
    const prefix = held.every((m, i) => wanted[i]?.name === m.name && wanted[i]?.checksum === m.checksum);
    if (prefix) return { dir, fit: held.length === wanted.length ? 'all' : 'prefix' };
  }
  return undefined;
}

/** The template's tar bytes, or undefined when there is none this code can start from. */
export function readTemplate(places: readonly string[] = PLACES): Buffer | undefined {
  const found = findTemplate(places);
  return found ? gunzipSync(readFileSync(join(found.dir, TEMPLATE_FILE))) : undefined;
}

/** True when the build's template holds exactly this code's migrations (else `npm run build` remakes it). */
export function templateIsCurrent(places: readonly string[] = PLACES): boolean {
  return findTemplate(places)?.fit === 'all';
}

/**
 * Writes the template's files into `dataDir`. PG_VERSION, which marks a data
 * directory as initialised, is written last: an unpacking cut short is
 * unpacked again on the next start.
 */
export function unpackTemplate(tar: Buffer, dataDir: string): void {
  let last: [string, Buffer] | undefined;
  for (const entry of tarEntries(tar)) {
    const path = join(dataDir, entry.name);
    if (entry.type === 'dir') mkdirSync(path, { recursive: true, mode: 0o700 });
    else if (entry.name === 'PG_VERSION') last = [path, entry.data];
    else {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, entry.data, { mode: 0o600 });
    }
  }
  if (!last) throw new Error('the embedded database template has no PG_VERSION');
  writeFileSync(last[0], last[1], { mode: 0o600 });
}

interface TarEntry {
  name: string;
  type: 'file' | 'dir';
  data: Buffer;
}

/** An entry for tarRecords: a file is read only when its turn comes. */
export interface TarSource {
  name: string;
  type: 'file' | 'dir';
  mode: number;
  read?: () => Uint8Array;
}

/**
 * A ustar archive of `entries` (the writer's half of tarEntries, for the build's template), as
 * blocks to write one after another. Files are read one at a time, so packing a data directory
 * never holds a second copy of it: PGlite's own dumpDataDir builds the whole tar in memory,
 * ~80 MB at the build's peak.
 */
export function* tarRecords(entries: Iterable<TarSource>): Generator<Uint8Array> {
  for (const entry of entries) {
    const data = entry.type === 'file' ? (entry.read?.() ?? new Uint8Array()) : new Uint8Array();
    yield tarHeader(
      entry.type === 'dir' ? `${entry.name}/` : entry.name,
      entry.type,
      entry.mode,
      data.length,
    );
    if (data.length === 0) continue;
    yield data;
    if (data.length % 512) yield new Uint8Array(512 - (data.length % 512));
  }
  yield new Uint8Array(1024); // two zero blocks end the archive
}

function tarHeader(path: string, type: 'file' | 'dir', mode: number, size: number): Buffer {
  let [prefix, name] = ['', path];
  if (Buffer.byteLength(path) > 100) {
    // ustar keeps a long path as prefix (≤ 155 bytes) + '/' + name (≤ 100 bytes).
    const cut = [...path.matchAll(/\//g)]
      .map((m) => m.index)
      .find((i) => Buffer.byteLength(path.slice(0, i)) <= 155 && Buffer.byteLength(path.slice(i + 1)) <= 100);
    if (cut === undefined) throw new Error(`path too long for the database template: ${path}`);
    [prefix, name] = [path.slice(0, cut), path.slice(cut + 1)];
  }
  const header = Buffer.alloc(512);
  const put = (from: number, text: string) => header.write(text, from, 'utf8');
  const octal = (value: number, width: number) => `${value.toString(8).padStart(width - 1, '0')}\0`;
  put(0, name);
  put(100, octal(mode & 0o7777, 8));
  put(108, octal(0, 8)); // uid
  put(116, octal(0, 8)); // gid
  put(124, octal(size, 12));
  put(136, octal(0, 12)); // mtime: the template is the same whenever it is made
  put(148, ' '.repeat(8)); // the checksum counts its own field as spaces
  put(156, type === 'dir' ? '5' : '0');
  put(257, 'ustar\0');
  put(263, '00');
  put(345, prefix);
  const sum = header.reduce((a, b) => a + b, 0);
  put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

/** The entries of a ustar archive (plain files and directories: what PGlite's dumpDataDir writes). */
function* tarEntries(tar: Buffer): Generator<TarEntry> {
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) return;
    const field = (from: number, length: number) =>
      header.toString('utf8', from, from + length).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const flag = field(156, 1);
    const clean = name.replace(/^\/+/, '').replace(/\/+$/, '');
    if (clean.split('/').includes('..')) throw new Error(`unsafe path in the database template: ${name}`);
    const data = tar.subarray(at + 512, at + 512 + size);
    if (flag === '5') yield { name: clean, type: 'dir', data };
    else if (flag === '0' || flag === '') yield { name: clean, type: 'file', data };
    else throw new Error(`unexpected entry type '${flag}' in the database template`);
    at += 512 + Math.ceil(size / 512) * 512;
  }
}
