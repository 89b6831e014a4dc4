import type { Logger } from 'pino';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { createContext } from './domain/context.js';
import { ensureAdmin } from './domain/users.js';
import type { App } from './http/routes.js';
import { startBackgroundJobs } from './jobs/background.js';
import { progressLogger } from './log.js';
import { checkListenAddress, listenError, openDatabaseError } from './startup-errors.js';
import { openDatabase } from './storage/open.js';
import { RevocationFeed } from './storage/revocation-feed.js';
import { createStore } from './storage/store.js';

export interface RunningServer {
  app: App;
  url: string;
  close(): Promise<void>;
}

/**
 * Everything `npm start` does: open storage, load keys and recent
 * revocations, join the revocation feed, build the app, listen.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const progress = progressLogger(logger);
  await checkListenAddress(config);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, progress }).catch(
    (err: unknown) => {
      throw openDatabaseError(err, config);
    },
  );
  const store = createStore(db);
  const ctx = await createContext(store, {
    accessTokenTtl: config.accessTokenTtl,
    sessionTtl: config.sessionTtl,
    policy: config.sessionPolicy,
  });
  if (config.admin) {
    const { user, created } = await ensureAdmin(ctx, config.admin.email, config.admin.password);
    progress(`${created ? 'Created' : 'Found'} admin ${user.email}`);
  }
  const app = await buildApp(ctx, config, { loggerInstance: logger });
  if (!config.rateLimits.enabled) app.log.warn('RATE_LIMITS=off: credential endpoints are not rate limited');

  // Only a shared PostgreSQL has other instances to hear from.
  const feed = config.databaseUrl
    ? new RevocationFeed(
        {
          connectionString: config.databaseUrl,
          onHeard: (ended) => {
            const now = Date.now();
            for (const s of ended) ctx.metrics.revocationDelay.observe((now - s.endedAt.getTime()) / 1000);
          },
        },
        store,
        ctx.revocations,
        app.log,
      )
    : null;
  await feed?.start();
  // Webhook deliveries (docs/events.md), the expired-session sweep, pruning, housekeeping.
  const jobs = await startBackgroundJobs(ctx, config, app.log);

  await app.listen({ port: config.port, host: config.host }).catch(async (err: unknown) => {
    await jobs.stop();
    await feed?.stop();
    await store.close();
    throw listenError(err, config);
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    app,
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    async close() {
      await app.close();
      await jobs.stop();
      await feed?.stop();
      await store.close();
    },
  };
}

const SHUTDOWN_GRACE_MS = 10_000;

/**
 * `npm start` and `gatehouse serve`: starts the server and keeps it running
 * until SIGTERM or SIGINT, then stops cleanly and exits the process.
 */
export async function serveUntilStopped(config: Config, logger: Logger): Promise<void> {
  const server = await startServer(config, logger);
  progressLogger(logger)(`Gatehouse listening on ${server.url} (API document: ${server.url}/docs)`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    // Requests in flight get this long to finish (a hung database must not keep a stopped instance alive).
    const force = setTimeout(() => {
      server.app.log.error({ signal }, `shutdown took over ${SHUTDOWN_GRACE_MS} ms; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err) => {
        server.app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
