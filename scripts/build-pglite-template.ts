/**
 * Part of `npm run build`: runs PostgreSQL's initdb once, here, and keeps the
 * fresh data directory as a tarball beside the built storage code, for a
 * first start to unpack (src/storage/pglite-template.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { START_PARAMS } from '../src/storage/pglite.js';
import { pgliteVersion, TEMPLATE_FILE } from '../src/storage/pglite-template.js';

const out = join(import.meta.dirname, '..', 'dist', 'storage');
const db = await PGlite.create({
  startParams: START_PARAMS,
  initDbStartParams: ['-c', 'shared_buffers=16MB'],
});
const tarball = await db.dumpDataDir('gzip');
await db.close();
writeFileSync(join(out, TEMPLATE_FILE), Buffer.from(await tarball.arrayBuffer()));
writeFileSync(join(out, `${TEMPLATE_FILE}.json`), `${JSON.stringify({ pglite: pgliteVersion() })}\n`);
