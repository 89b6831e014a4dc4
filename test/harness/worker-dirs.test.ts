import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDeadWorkersDirs, WORKER_DIR_PREFIX } from '../support/worker-dirs.js';

describe("the run's teardown removes the DATA_DIRs of test workers that did not remove their own", () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-worker-dirs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('removes a dead worker’s directory and keeps a live one’s and anything else', () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    for (const name of [
      `${WORKER_DIR_PREFIX}${dead}`,
      `${WORKER_DIR_PREFIX}${process.pid}`,
      'gatehouse-test-abc123',
    ])
      mkdirSync(join(dir, name, 'mail'), { recursive: true });
    removeDeadWorkersDirs(dir);
    expect(readdirSync(dir).sort()).toEqual(
      [`${WORKER_DIR_PREFIX}${process.pid}`, 'gatehouse-test-abc123'].sort(),
    );
  });

  it('does nothing for a directory that is not there', () => {
    const missing = join(dir, 'missing');
    removeDeadWorkersDirs(missing);
    expect(existsSync(missing)).toBe(false);
  });
});
