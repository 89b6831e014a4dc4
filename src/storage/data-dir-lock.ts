import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * PGlite runs PostgreSQL inside one process and does not lock its data
 * directory: a second process opening the same directory starts happily and
 * the two overwrite each other's pages. So whoever opens the embedded store
 * (the server or the CLI) first takes this lock file, holding its pid, and
 * removes it on close. A lock left by a process that died is taken over.
 */
export const LOCK_FILE = 'gatehouse.lock';

export interface LockHolder {
  pid: number;
  host: string;
  /** Who holds it: "server", "cli", … */
  owner: string;
  since: string;
}

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    const here = holder?.host === hostname();
    const who = holder
      ? `${holder.owner === 'server' ? 'the Gatehouse server' : `gatehouse ${holder.owner}`} (pid ${holder.pid}${here ? '' : ` on ${holder.host}`})`
      : 'another process';
    // Only a holder on another machine, or an unreadable lock, cannot be checked for liveness here.
    const unsure = here ? '' : ` If no Gatehouse process is using it, delete ${join(dataDir, LOCK_FILE)}.`;
    super(
      `The embedded database in DATA_DIR ${dataDir} is in use by ${who}; ` +
        `only one process at a time can open it.${unsure}`,
    );
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
}

/** Locks held by this process: its own pid in a lock file is a previous life only if it is not here. */
const heldHere = new Set<string>();

/** Takes the data directory's lock, or throws DataDirLockedError naming who holds it. */
export function lockDataDir(dataDir: string, owner: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(resolve(dataDir), LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), owner, since: new Date().toISOString() };
  // Written whole to a private file first, then linked into place: link() fails if the
  // lock exists, so taking it is atomic and nobody ever reads a half-written lock.
  const draft = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(draft, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      if (createExclusively(draft, path, me)) break;
      const holder = readHolder(path);
      if (holder === undefined && attempt < 10) continue; // released between our attempt and our read
      if (holder === undefined || attempt >= 3 || heldHere.has(path) || !isStale(holder))
        throw new DataDirLockedError(dataDir, holder ?? null);
      takeOverStale(path, holder);
    }
  } finally {
    unlinkQuietly(draft);
  }

  heldHere.add(path);
  const onExit = () => release();
  // A process that exits without closing (process.exit, an uncaught error) frees the lock too.
  process.on('exit', onExit);
  let held = true;
  function release() {
    if (!held) return;
    held = false;
    heldHere.delete(path);
    process.off('exit', onExit);
    if (readHolder(path)?.pid === process.pid) unlinkQuietly(path);
  }
  return { path, release };
}

/** Creates the lock from the draft unless it exists; false when it does. */
function createExclusively(draft: string, path: string, me: LockHolder): boolean {
  try {
    linkSync(draft, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // Some filesystems (network shares, exFAT) have no hard links: exclusive create is next best.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
  }
  try {
    writeFileSync(path, `${JSON.stringify(me)}\n`, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** The lock's holder; undefined when there is no lock file, null when it cannot be read. */
function readHolder(path: string): LockHolder | null | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid !== 'number') return null;
    return {
      pid: h.pid,
      host: String(h.host ?? ''),
      owner: String(h.owner ?? 'unknown'),
      since: String(h.since),
    };
  } catch {
    return null;
  }
}

/**
 * A lock is stale when its process is gone. Only a holder on this host can be
 * checked. A lock naming our own pid that this process does not hold is from
 * a previous life (a container restarted, the server again pid 1).
 */
function isStale(holder: LockHolder | null): boolean {
  if (!holder || holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return true;
  return !processExists(holder.pid);
}

/** Whether a process with this pid exists on this host; one we may not signal (EPERM) does. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Moves a stale lock aside. Renaming first (atomic) and checking what we moved
 * means two processes taking over at once cannot both remove the lock: the
 * second one finds it moved a fresh lock, puts it back and reports it held.
 */
function takeOverStale(path: string, stale: LockHolder | null): void {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = readHolder(aside);
  if (moved && stale && moved.pid !== stale.pid) {
    try {
      linkSync(aside, path);
    } catch {
      // Someone else holds it now; they will be reported on the next attempt.
    }
  }
  unlinkQuietly(aside);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
