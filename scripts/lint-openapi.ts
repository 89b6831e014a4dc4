import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Spectral } from '@stoplight/spectral-core';
import Parsers from '@stoplight/spectral-parsers';
import { openApiDocument } from './openapi-document.js';

/**
 * `npm run lint:openapi`: lints the served OpenAPI document with Spectral's
 * OpenAPI and OWASP API Security rulesets (.spectral.mjs), failing on any
 * error or warning, then with Redocly's recommended rules (redocly.yaml),
 * failing on any error. `--out FILE` also writes the document, for other tools.
 */
const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

const doc = await openApiDocument();
const text = `${JSON.stringify(doc, null, 2)}\n`;
const out = process.argv.indexOf('--out');
if (out > 0 && process.argv[out + 1]) writeFileSync(process.argv[out + 1] as string, text);

// The ruleset is plain JavaScript (.spectral.mjs) so that Spectral's own CLI can read it too.
const { default: ruleset } = (await import(new URL('../.spectral.mjs', import.meta.url).href)) as {
  default: Parameters<Spectral['setRuleset']>[0];
};
const spectral = new Spectral();
spectral.setRuleset(ruleset);
const results = await spectral.run(new Document(text, Parsers.Json, 'openapi.json'));
for (const r of results) {
  const where = r.path.join('.') || '(document)';
  process.stdout.write(`${SEVERITY[r.severity]}  ${r.code}  ${where}\n    ${r.message}\n`);
}
const failing = results.filter((r) => r.severity <= 1);
process.stdout.write(
  `OpenAPI lint (Spectral oas + OWASP API Security 2023): ${results.length} findings, ${failing.length} errors or warnings\n`,
);

// Redocly reads a file; its telemetry and update check stay off (no network).
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-openapi-'));
let redocly: number;
try {
  const file = join(dir, 'openapi.json');
  writeFileSync(file, text);
  const cli = new URL('../node_modules/@redocly/cli/bin/cli.js', import.meta.url).pathname;
  const config = new URL('../redocly.yaml', import.meta.url).pathname;
  redocly =
    spawnSync(process.execPath, [cli, 'lint', '--config', config, '--format', 'stylish', file], {
      stdio: 'inherit',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failing.length > 0 || redocly !== 0 ? 1 : 0);
