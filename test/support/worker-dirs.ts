import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Each test worker's DATA_DIR is this followed by the worker's pid (harness.ts). */
export const WORKER_DIR_PREFIX = 'gatehouse-test-worker-';

/**
 * Removes the worker directories in `dir` whose process is gone. A worker removes its own when it
 * exits, but one stopped by a signal (as a run's teardown may stop it) never runs its exit
 * handler: one such directory was left behind by most full runs. Workers of another run still
 * going are alive, and keep theirs.
 */
export function removeDeadWorkersDirs(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(WORKER_DIR_PREFIX)) continue;
    const pid = Number(name.slice(WORKER_DIR_PREFIX.length));
    if (Number.isInteger(pid) && pid > 0 && !alive(pid))
      rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: a process of another user has that pid now; it is not ours to judge, so keep the directory.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
