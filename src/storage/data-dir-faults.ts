import { DatabaseUnavailableError } from './db.js';

/**
 * What goes wrong with the embedded store's directory, in words an operator
 * can act on: the disk is full, the directory cannot be written, or what is
 * in it cannot be opened. Every message names DATA_DIR and what to do.
 */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

type Fault = 'full' | 'read-only';

const codeOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** A full disk or an unwritable directory, from a Node.js error or PostgreSQL's (53100 disk_full). */
export function faultOf(err: unknown): Fault | null {
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ENOSPC' || code === '53100' || /no space left on device/i.test(message)) return 'full';
  if (
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS' ||
    /read-only file system|permission denied/i.test(message)
  )
    return 'read-only';
  return null;
}

function describe(fault: Fault, dataDir: string, err: unknown): string {
  if (fault === 'full')
    return (
      `DATA_DIR ${dataDir} is full (no space left on device). Free space on its filesystem, or move ` +
      'DATA_DIR to a larger one. Nothing that was confirmed is lost: a change is confirmed only once written.'
    );
  const code = codeOf(err);
  return (
    `DATA_DIR ${dataDir} cannot be written${code ? ` (${code})` : ''}. Give the user running Gatehouse ` +
    'write access to it (or mount it read-write), or set DATA_DIR to a directory it can write.'
  );
}

/** Why the embedded store could not be opened or created, as a DataDirError. */
export function openFailure(err: unknown, dataDir: string, fresh: boolean, detail?: string): DataDirError {
  const fault = faultOf(err) ?? (detail ? faultOf(new Error(detail)) : null);
  if (fault) return new DataDirError(describe(fault, dataDir, err), { cause: err });
  const reason = detail || (err instanceof Error ? err.message : String(err));
  if (fresh)
    return new DataDirError(`Could not create the embedded database in DATA_DIR ${dataDir}: ${reason}`, {
      cause: err,
    });
  return new DataDirError(
    `The embedded database in DATA_DIR ${dataDir} could not be opened: ${reason}. It may be damaged: ` +
      'restore DATA_DIR from a backup, or move it aside to start with an empty database. ' +
      'Gatehouse has not deleted or replaced anything in it.',
    { cause: err },
  );
}

/**
 * A statement that failed because of the directory (a full disk) is the
 * database being unavailable (503, retry later), not a bug (500); the message
 * says what to do, for the log.
 */
export function statementFailure(err: unknown, dataDir: string): unknown {
  const fault = faultOf(err);
  if (!fault) return err;
  return new DatabaseUnavailableError(describe(fault, dataDir, err), { cause: err });
}
