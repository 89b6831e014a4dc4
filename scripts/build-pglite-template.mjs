/**
 * Part of `npm run build` (scripts/build.mjs runs it with --liftoff-only): runs PostgreSQL's
 * initdb once, here, applies every migration, and keeps the data directory as a tarball beside
 * the built storage code, for a first start to unpack (src/storage/pglite-template.ts). Uses
 * the built modules, so it needs no TypeScript loader.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const out = join(import.meta.dirname, '..', 'dist', 'storage');
const { START_PARAMS, wrap } = await import(join(out, 'pglite.js'));
const { pgliteVersion, templateMigrations, TEMPLATE_FILE } = await import(join(out, 'pglite-template.js'));
const { migrate } = await import(join(out, 'migrate.js'));
const db = await PGlite.create({
  startParams: START_PARAMS,
  initDbStartParams: ['-c', 'shared_buffers=16MB'],
});
await migrate(wrap(db));
const tarball = await db.dumpDataDir('gzip');
await db.close();
writeFileSync(join(out, TEMPLATE_FILE), Buffer.from(await tarball.arrayBuffer()));
writeFileSync(
  join(out, `${TEMPLATE_FILE}.json`),
  `${JSON.stringify({ pglite: pgliteVersion(), migrations: templateMigrations() })}\n`,
);
