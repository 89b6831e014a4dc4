#!/usr/bin/env node
/**
 * `npm run build`: src/ → dist/, the JavaScript that `node dist/main.js` runs with no compiler
 * installed. Each file is transpiled on its own by esbuild (types are checked separately by
 * `npm run typecheck`, which CI runs): that takes a fraction of a second where `tsc` took about
 * five, so `npm start` can afford to rebuild whenever a source file has changed.
 *
 * Also: the SQL migrations are copied beside the code that applies them, the embedded database's
 * template is made when the one kept holds other migrations or another PGlite's (last, and alone:
 * scripts/build-pglite-template.mjs), the account page's
 * script is bundled with the typed client for browsers, and dist/.build-stamp records what the
 * build was made from (scripts/start.mjs compares it to decide whether to build again).
 *
 * With --client (what `npm run build` passes) it also builds the typed client for other
 * projects, `gatehouse/client`: dist/client/*.js with their .d.ts, which only the TypeScript
 * compiler writes (a few seconds, so `npm start`'s rebuilds leave it out).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sourceStamp } from './source-stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
const esbuild = await import('esbuild').catch(() => {
  process.stderr.write(
    'gatehouse: building needs the development dependencies (run `npm install`, then `npm run build`).\n',
  );
  process.exit(1);
});

/** Every .ts file under dir, as paths relative to the repository. */
function sources(dir) {
  return readdirSync(`${root}${dir}`, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => `${e.parentPath}/${e.name}`);
}

// The embedded database's template (made below, seconds of initdb) depends only on the PGlite
// version: it survives rebuilds, and is made again only when missing or made by another version.
const TEMPLATE = ['storage/pglite-template.tar.gz', 'storage/pglite-template.tar.gz.json'];
const kept = new Map(
  TEMPLATE.filter((f) => existsSync(`${dist}/${f}`)).map((f) => [f, readFileSync(`${dist}/${f}`)]),
);
rmSync(dist, { recursive: true, force: true });
await esbuild.build({
  entryPoints: sources('src'),
  outdir: dist,
  outbase: `${root}src`,
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
});
cpSync(`${root}src/storage/migrations`, `${dist}/storage/migrations`, { recursive: true });
for (const [file, bytes] of kept) writeFileSync(`${dist}/${file}`, bytes);

const { bundleAccountScript } = await import(`${dist}/http/account-assets.js`);
mkdirSync(`${dist}/web`, { recursive: true });
writeFileSync(`${dist}/web/account.js`, await bundleAccountScript());

if (process.argv.includes('--client')) {
  const tsc = spawnSync(
    process.execPath,
    [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}client/tsconfig.json`],
    {
      stdio: 'inherit',
    },
  );
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}

// Last, with esbuild's service process stopped: making the template peaks near 300 MB
// (docs/performance.md), and nothing else of the build should be resident beside it.
await esbuild.stop();
const { templateIsCurrent } = await import(`${dist}/storage/pglite-template.js`);
if (!templateIsCurrent()) {
  const made = spawnSync(process.execPath, [`${root}scripts/build-pglite-template.mjs`], {
    stdio: 'inherit',
  });
  if (made.status !== 0) process.exit(made.status ?? 1);
}

writeFileSync(`${dist}/.build-stamp`, sourceStamp(root));
