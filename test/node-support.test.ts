/**
 * Gatehouse refuses a Node.js older than package.json's `engines` at start (server, CLI, tests),
 * in words that say what to do, before it touches a data directory or a database.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MIN_NODE_MAJOR, unsupportedNode } from '../src/version.js';

const root = fileURLToPath(new URL('../', import.meta.url));

describe('unsupportedNode', () => {
  it('takes its minimum from package.json', () => {
    const engines = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;
    expect(engines).toBe(`>=${MIN_NODE_MAJOR}`);
    expect(MIN_NODE_MAJOR).toBe(22);
  });

  it('accepts the minimum major and newer ones, this process included', () => {
    for (const v of ['22.0.0', '22.12.1', '24.22.3', '26.0.0']) expect(unsupportedNode(v)).toBeUndefined();
    expect(unsupportedNode()).toBeUndefined();
  });

  it('refuses older ones, naming both versions and what to do', () => {
    for (const v of ['21.7.3', '20.20.2', '18.0.0']) {
      const problem = unsupportedNode(v);
      expect(problem).toContain('Gatehouse needs Node.js 22 or newer');
      expect(problem).toContain(`this is Node.js ${v}`);
      expect(problem).toContain('scripts/use-node.sh');
    }
  });
});

describe('on an unsupported Node.js (its version faked before the entry point runs)', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'gatehouse-old-node-')), 'data');
  afterAll(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));
  // What `process.versions.node` says is all the check reads; a preload makes it say 20.
  const fakeOld =
    'data:text/javascript,Object.defineProperty(process,"versions",{value:{...process.versions,node:"20.20.2"}})';
  const run = (entry: string, args: string[] = []) =>
    spawnSync(process.execPath, ['--import', fakeOld, join(root, entry), ...args], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' },
      encoding: 'utf8',
      timeout: 20_000,
    });

  it('the server exits 1 with one fatal JSON line, before creating DATA_DIR', () => {
    const r = run('dist/main.js');
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line.level).toBe(60);
    expect(line.msg).toContain('Gatehouse needs Node.js 22 or newer; this is Node.js 20.20.2');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('the CLI exits 1 with the same words on stderr, whatever the command', () => {
    const r = run('bin/gatehouse.js', ['--help']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^gatehouse: Gatehouse needs Node\.js 22 or newer; this is Node\.js 20\.20\.2/);
  });
});
