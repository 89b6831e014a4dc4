import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { type Config, loadConfig } from '../config.js';
import type { AdminActor } from '../domain/admin.js';
import { RevocationBarrier } from '../domain/barrier.js';
import { type Context, createContext } from '../domain/context.js';
import type { RequestOrigin } from '../domain/model.js';
import { openDatabase } from '../storage/open.js';
import { AckListener } from '../storage/revocation-feed.js';
import { createStore } from '../storage/store.js';
import { type CliIo, note } from './output.js';

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

/** The CLI as the actor of what it does: the audit event's actor is no user, its details name the operator. */
export function cliActor(): AdminActor {
  return { origin: CLI_ORIGIN, operator: operator() };
}

/**
 * Opens the database the server would open (same env, same migrations) and
 * the domain context on it, runs `fn`, and closes everything, also on failure.
 * The embedded store is locked while open, so the CLI and a running server
 * never share it. On PostgreSQL the CLI holds no lease, but a session it ends
 * waits for the running instances' confirmations like any other ending.
 */
export async function withContext<T>(
  io: CliIo,
  fn: (ctx: Context, config: Config) => Promise<T>,
): Promise<T> {
  const config = loadConfig(io.env);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    progress: (line) => note(io, line),
    owner: 'cli',
  });
  const store = createStore(db);
  let acks: AckListener | undefined;
  try {
    const ctx = await createContext(store, {
      accessTokenTtl: config.accessTokenTtl,
      sessionTtl: config.sessionTtl,
    });
    if (config.databaseUrl) {
      const { leases } = config;
      ctx.barrier = new RevocationBarrier(store, {
        self: randomUUID(),
        marginMs: leases.marginMs,
        timeoutMs: Math.max(5000, 3 * leases.leaseMs + leases.marginMs),
        enabled: leases.barrier,
      });
      acks = new AckListener(config.databaseUrl, ctx.barrier);
      await acks.start();
    }
    return await fn(ctx, config);
  } finally {
    await acks?.stop();
    await store.close();
  }
}
