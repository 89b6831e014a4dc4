import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeFinishedWorkersDirs, WORKER_DIR_PREFIX } from '../support/worker-dirs.js';

describe("the run's teardown removes the DATA_DIRs of test workers that did not remove their own", () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-worker-dirs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const make = (...names: string[]) => {
    for (const name of names) mkdirSync(join(dir, name, 'mail'), { recursive: true });
  };

  it('removes a gone worker’s directory and a live one of this run’s, keeps another run’s and anything else', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid as number;
    // A worker of this run still running: a child of the process that ran the tests (here, this one).
    const ours = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], { stdio: 'ignore' });
    try {
      // A live process that is not this run's child: this process itself, as seen from its parent.
      const theirs = process.pid;
      make(
        `${WORKER_DIR_PREFIX}${gone}`,
        `${WORKER_DIR_PREFIX}${ours.pid}`,
        `${WORKER_DIR_PREFIX}${theirs}`,
        'gatehouse-test-abc123',
      );
      removeFinishedWorkersDirs(dir);
      expect(readdirSync(dir).sort()).toEqual(
        [`${WORKER_DIR_PREFIX}${theirs}`, 'gatehouse-test-abc123'].sort(),
      );
    } finally {
      ours.kill();
    }
  });

  it('does nothing for a directory that is not there', () => {
    const missing = join(dir, 'missing');
    removeFinishedWorkersDirs(missing);
    expect(existsSync(missing)).toBe(false);
  });
});
