/**
 * What stops a start, said in the operator's terms: which variable, what is wrong with it, and
 * what to do. The causes underneath (a pg error, EADDRINUSE) are kept as `cause` for the log.
 */
import { createServer } from 'node:net';
import type { Config } from './config.js';
import { DatabaseUnavailableError } from './storage/db.js';

export class StartupError extends Error {
  override readonly name = 'StartupError';
}

const errnoOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** The deepest cause's own words (pg wraps the socket error it failed on). */
function rootCause(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause !== undefined) e = e.cause;
  if (e instanceof Error)
    return errnoOf(e) && !e.message.includes(errnoOf(e)!) ? `${errnoOf(e)}: ${e.message}` : e.message;
  return String(e);
}

/** A URL fit for a log line: its password is never shown. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * HOST and PORT must be something this process can listen on. Found out by listening for a
 * moment before the database is opened, so a wrong address costs no (first-start) database
 * initialisation and no migration. Another process may still take the port in between; the
 * real listen reports that the same way.
 */
export async function checkListenAddress(config: Config): Promise<void> {
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ port: config.port, host: config.host, exclusive: true }, resolve);
    });
  } catch (err) {
    throw listenError(err, config);
  } finally {
    if (probe.listening) await new Promise<void>((resolve) => probe.close(() => resolve()));
  }
}

export function listenError(err: unknown, config: Config): Error {
  const where = `PORT ${config.port} on HOST ${config.host}`;
  switch (errnoOf(err)) {
    case 'EADDRINUSE':
      return new StartupError(
        `${where} is already in use by another process. Stop it, or set PORT to a free port.`,
        {
          cause: err,
        },
      );
    case 'EACCES':
      return new StartupError(
        `${where} needs privileges this process does not have (ports below 1024 usually do). Set PORT to 1024 or above, or put a reverse proxy in front.`,
        { cause: err },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(
        `HOST "${config.host}" is not an address this machine can listen on (${errnoOf(err)}). Set HOST to an IP address such as 0.0.0.0 (every interface) or 127.0.0.1.`,
        { cause: err },
      );
    case 'EADDRNOTAVAIL':
      return new StartupError(
        `HOST ${config.host} is not an address of this machine. Set HOST to one of its addresses, or 0.0.0.0.`,
        { cause: err },
      );
    default:
      return err instanceof Error ? err : new Error(String(err));
  }
}

/** Opening the store failed: name DATABASE_URL (or leave DATA_DIR's own messages as they are). */
export function openDatabaseError(err: unknown, config: Config): Error {
  if (config.databaseUrl && err instanceof DatabaseUnavailableError)
    return new StartupError(
      `DATABASE_URL: could not reach PostgreSQL at ${redactUrl(config.databaseUrl)} (${rootCause(err)}). Check that the server runs and the URL's host, port, user and database are right.`,
      { cause: err },
    );
  return err instanceof Error ? err : new Error(String(err));
}
