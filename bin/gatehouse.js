#!/usr/bin/env node
// `gatehouse …`: runs the compiled admin CLI (src/cli, built into dist/ by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(`gatehouse: the CLI has not been built; run \`npm run build\` in ${root} first.\n`);
  process.exit(1);
}
await import(entry.href);
