import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { startTestApp, type TestApp } from '../support/harness.js';

/**
 * The typed client as another project uses it: `import … from 'gatehouse/client'`
 * resolves, through package.json `exports`, to the built JavaScript and its
 * declarations (the client's part of `npm run build`), in TypeScript and at run time.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

const consumer = (
  baseUrl: string,
) => `import { createGatehouseClient, GatehouseError, type TokenResponse, type User } from 'gatehouse/client';

const client = createGatehouseClient({ baseUrl: '${baseUrl}' });
const email = \`consumer.\${Date.now()}@example.test\`;
const user: User = await client.register({ email, password: 'correct horse battery staple' });
const grant = (await client.login({ email, password: 'correct horse battery staple' })) as TokenResponse;
const me = await client.me();
let refused = '';
try {
  await client.register({ email, password: 'correct horse battery staple' });
} catch (err) {
  if (err instanceof GatehouseError) refused = err.code;
}
console.log(JSON.stringify({ user: user.email, session: grant.session.id === me.session.id, refused }));
`;

describe('gatehouse/client from another project', () => {
  let t: TestApp;
  let base: string;
  let project: string;
  beforeAll(async () => {
    // The client's part of `npm run build`.
    execFileSync(process.execPath, [TSC, '-p', join(ROOT, 'client/tsconfig.json')], { stdio: 'pipe' });
    // A project of its own, with Gatehouse installed as a dependency (a link, as `npm install <dir>` makes).
    project = mkdtempSync(join(tmpdir(), 'gatehouse-consumer-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(ROOT, join(project, 'node_modules/gatehouse'), 'dir');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          types: [],
          lib: ['ES2022', 'DOM'],
        },
        files: ['main.ts'],
      }),
    );
    t = await startTestApp(backends[0]!);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('type-checks against the built declarations, compiles, and talks to Gatehouse', async () => {
    // Fails (with tsc's message) if the exports, the declarations or the named models are missing.
    writeFileSync(join(project, 'main.ts'), consumer(base));
    try {
      execFileSync(process.execPath, [TSC, '-p', project], { cwd: project, stdio: 'pipe' });
    } catch (err) {
      expect.fail(`tsc: ${String((err as { stdout?: Buffer }).stdout)}`);
    }
    // Not execFileSync: the Gatehouse it talks to runs in this process and must keep answering.
    const { stdout: out } = await promisify(execFile)(process.execPath, [join(project, 'main.js')], {
      cwd: project,
      timeout: 60_000,
    });
    expect(JSON.parse(out)).toEqual({
      user: expect.stringMatching(/^consumer\./),
      session: true,
      refused: 'CONFLICT',
    });
  }, 120_000);
});
