import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { type Config, loadConfig } from '../config.js';
import type { AdminActor } from '../domain/admin.js';
import { RevocationBarrier } from '../domain/barrier.js';
import { type Context, createContext, type EndingQueue } from '../domain/context.js';
import type { RequestOrigin } from '../domain/model.js';
import { connectOperatorChannel } from '../operator-channel/client.js';
import { DataDirLockedError } from '../storage/data-dir-lock.js';
import type { Database } from '../storage/db.js';
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
 * On the embedded store a running server holds the data directory: the CLI
 * then works through the server's operator channel (a 0600 Unix socket in
 * DATA_DIR). On PostgreSQL the CLI holds no lease, but a session it ends
 * waits for the running instances' confirmations like any other ending.
 */
export async function withContext<T>(
  io: CliIo,
  fn: (ctx: Context, config: Config) => Promise<T>,
): Promise<T> {
  const config = loadConfig(io.env);
  const { db, endings } = await openCliDatabase(config, io);
  const store = createStore(db);
  let acks: AckListener | undefined;
  try {
    const ctx = await createContext(store, {
      accessTokenTtl: config.accessTokenTtl,
      sessionTtl: config.sessionTtl,
      policy: config.sessionPolicy,
      mail: { publicUrl: config.publicUrl, requireVerifiedEmail: config.requireVerifiedEmail },
      secondFactors: config.secondFactors,
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
    if (endings) ctx.endings = endings;
    return await fn(ctx, config);
  } finally {
    await acks?.stop();
    await store.close();
  }
}

/**
 * The CLI's database. The embedded store can be opened by one process only;
 * when the server on this machine has it, the CLI works through the server's
 * operator channel (a Unix socket in DATA_DIR, src/operator-channel/): the
 * same statements, run by the server on its store, and sessions ended through
 * the server so that it refuses their tokens before the CLI reports them
 * ended. Any other holder of the lock is reported as before.
 */
export async function openCliDatabase(
  config: Config,
  io: CliIo,
  opts: { migrate?: boolean } = {},
): Promise<{ db: Database; endings?: EndingQueue }> {
  try {
    return {
      db: await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        progress: (line) => note(io, line),
        owner: 'cli',
        ...opts,
      }),
    };
  } catch (err) {
    if (!(err instanceof DataDirLockedError) || err.holder?.owner !== 'server') throw err;
    try {
      return await connectOperatorChannel(config.dataDir);
    } catch {
      throw err; // no channel (an older server, or it is still starting): the lock's own message
    }
  }
}
