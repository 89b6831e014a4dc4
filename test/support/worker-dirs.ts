import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processExists } from '../../src/storage/data-dir-lock.js';

/** Each test worker's DATA_DIR is this followed by the worker's pid (harness.ts). */
export const WORKER_DIR_PREFIX = 'gatehouse-test-worker-';

/**
 * Removes the worker directories in `dir` of this run's workers (children of `runPid`, the
 * process that ran the tests) and of any worker that is gone. A worker removes its own when it
 * exits, but one stopped by a signal (as a run's teardown may stop it, still running when this
 * is called) never runs its exit handler: most full runs left one such directory behind. The
 * workers of another run still going are alive and not ours, and keep theirs.
 */
export function removeFinishedWorkersDirs(dir: string, runPid = process.pid): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(WORKER_DIR_PREFIX)) continue;
    const pid = Number(name.slice(WORKER_DIR_PREFIX.length));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (!processExists(pid) || parentOf(pid) === runPid)
      rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/** A process's parent, from /proc (Linux, where the workers' directories are on /dev/shm); undefined elsewhere. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}
