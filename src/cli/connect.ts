import { userInfo } from 'node:os';
import { type Config, loadConfig } from '../config.js';
import { type Context, createContext } from '../domain/context.js';
import type { RequestOrigin } from '../domain/model.js';
import { openDatabase } from '../storage/open.js';
import { createStore } from '../storage/store.js';
import { note } from './output.js';

/** How the CLI appears in the audit log: no address, this user agent. */
export const CLI_ORIGIN: RequestOrigin = { ip: null, userAgent: 'gatehouse-cli' };

/** The operating-system account running the CLI, recorded with admin actions. */
export function operator(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}

/**
 * Opens the database the server would open (same env, same migrations) and
 * the domain context on it, runs `fn`, and closes everything, also on failure.
 * The embedded store is locked while open, so the CLI and a running server
 * never share it.
 */
export async function withContext<T>(fn: (ctx: Context, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    progress: note,
    owner: 'cli',
  });
  const store = createStore(db);
  try {
    const ctx = await createContext(store, {
      accessTokenTtl: config.accessTokenTtl,
      sessionTtl: config.sessionTtl,
      policy: config.sessionPolicy,
    });
    return await fn(ctx, config);
  } finally {
    await store.close();
  }
}
