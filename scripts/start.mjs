#!/usr/bin/env node
/**
 * `npm start`: build if the sources changed since the last build (a fraction of a second with
 * esbuild), then run the server in this same process, so `npm start` costs one Node process.
 * A production install runs `node dist/main.js` directly (docs/deploying.md).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from './source-stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

if (!buildIsCurrent(root)) {
  // One log line in the server's own format (pino JSON), so the output stays one format.
  process.stdout.write(
    `${JSON.stringify({ level: 30, time: Date.now(), msg: 'Building dist/ (sources changed since the last build)' })}\n`,
  );
  const build = spawnSync(process.execPath, [`${root}scripts/build.mjs`], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
await import(`${root}dist/main.js`);
