import { buildApp, loggerOptions } from './app.js';
import type { Config } from './config.js';
import { createContext } from './domain/context.js';
import { ensureAdmin } from './domain/users.js';
import { buildMetricsApp } from './http/metrics.js';
import type { App } from './http/routes.js';
import { startBackgroundJobs } from './jobs/background.js';
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
export async function startServer(config: Config, progress: (m: string) => void): Promise<RunningServer> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, progress });
  const store = createStore(db);
  const ctx = await createContext(store, {
    accessTokenTtl: config.accessTokenTtl,
    sessionTtl: config.sessionTtl,
    refreshReuseGrace: config.refreshReuseGrace,
  });
  if (config.admin) {
    const { user, created } = await ensureAdmin(ctx, config.admin.email, config.admin.password);
    progress(`${created ? 'Created' : 'Found'} admin ${user.email}`);
  }
  const app = await buildApp(ctx, config, { logger: loggerOptions(config.logLevel) });
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
  // Housekeeping: forget revocations older than a token lifetime, and pick up
  // keys rotated by the CLI or another instance (so this one stops signing with a retired key).
  const prune = setInterval(() => {
    ctx.revocations.prune();
    ctx.keys.reload().catch((err) => app.log.warn({ err }, 'could not reload signing keys'));
  }, 30_000);
  prune.unref();
  // Webhook deliveries (docs/events.md) and the expired-session sweep.
  const jobs = await startBackgroundJobs(ctx, config, app.log);

  await app.listen({ port: config.port, host: config.host });
  // METRICS_PORT: /metrics on a listener of its own (src/http/metrics.ts).
  const metricsApp = config.metrics.listen ? await buildMetricsApp(ctx, config.metrics) : null;
  if (metricsApp && config.metrics.listen) {
    await metricsApp.listen(config.metrics.listen);
    progress(`Metrics on http://${config.metrics.listen.host}:${config.metrics.listen.port}/metrics`);
  } else if (!config.metrics.token)
    app.log.info('GET /metrics is not served: set METRICS_TOKEN or METRICS_PORT to read it');
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    app,
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    async close() {
      clearInterval(prune);
      await app.close();
      await metricsApp?.close();
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
export async function serveUntilStopped(config: Config, progress: (m: string) => void): Promise<void> {
  const server = await startServer(config, progress);
  progress(`Gatehouse listening on ${server.url} (API document: ${server.url}/docs)`);
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
