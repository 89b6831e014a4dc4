import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSchema, SCHEMA_FILE } from '../../client/generate.js';
import { backends } from '../support/backends.js';
import { startTestApp, type TestApp } from '../support/harness.js';

describe('client/schema.ts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backends[0]!);
  });
  afterAll(() => t.close());

  it('matches the OpenAPI document the routes produce now', async () => {
    const expected = await renderSchema(t.app.swagger());
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    if (committed === expected) return;
    const want = expected.split('\n');
    const have = committed.split('\n');
    const line = want.findIndex((l, i) => l !== have[i]);
    expect.fail(
      `client/schema.ts is out of date with the OpenAPI document: run \`npm run client:generate\` and commit it.\n` +
        `First difference at line ${line + 1}:\n  committed: ${have[line] ?? '(end of file)'}\n  expected:  ${want[line] ?? '(end of file)'}`,
    );
  });
});
