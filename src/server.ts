import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { type Config, ConfigError } from './config.js';
import type { Context } from './domain/context.js';
import { applyStoredPolicy } from './domain/policy-settings.js';
import { ensureAdmin } from './domain/users.js';
import { buildMetricsApp } from './http/metrics.js';
import type { App } from './http/routes.js';
import { startBackgroundJobs } from './jobs/background.js';
import { progressLogger } from './log.js';
import { serveOperatorChannel } from './operator-channel/server.js';
import { openContext, revocationBarrier } from './setup.js';
import { checkListenAddress, listenError, openDatabaseError } from './startup-errors.js';
import { openDatabase } from './storage/open.js';
import { RevocationFeed } from './storage/revocation-feed.js';
import { VERSION } from './version.js';

export interface RunningServer {
  app: App;
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  /**
   * Collect garbage before the embedded PostgreSQL starts, to keep the start's memory peak
   * down (src/storage/pglite.ts). A choice for a process that is only the server
   * (`serveUntilStopped`): in a process that also holds other work, such as the test
   * runner's workers, it collects all of that work's heap too, each start.
   */
  collectFirst?: boolean;
}

/**
 * Everything `npm start` does: open storage, load keys and recent
 * revocations, join the revocation feed, build the app, listen.
 */
export async function startServer(
  config: Config,
  logger: Logger,
  { collectFirst = false }: StartOptions = {},
): Promise<RunningServer> {
  const progress = progressLogger(logger);
  await checkListenAddress(config);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    progress,
    collectFirst,
  }).catch((err: unknown) => {
    throw openDatabaseError(err, config);
  });
  const { store, ctx } = await openContext(db, config, {
    // On PostgreSQL the feed (below) loads them, after it listens, before anything is served.
    revocationsFromFeed: config.databaseUrl !== undefined,
  });
  // The policy an operator stored (`gatehouse policy set`) over this instance's environment;
  // one that does not hold together with it stops the start, naming the setting.
  const stored = await applyStoredPolicy(ctx).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  if (stored.problems.length > 0) {
    await store.close();
    throw new ConfigError(stored.problems);
  }
  if (config.admin) {
    const { email, password } = config.admin;
    // A refusal stops the start: let go of the store (and its data-directory lock) first.
    const { user, created } = await ensureAdmin(ctx, email, password).catch(async (err: unknown) => {
      await store.close();
      throw err;
    });
    progress(`${created ? 'Created' : 'Found'} admin ${user.email}`);
  }
  // On PostgreSQL, joining the revocation feed (listening, taking a lease, loading the endings
  // of the retention window) overlaps building and readying the app: the one waits on the
  // database, the other holds the CPU compiling routes. In the scale run's loaded database the
  // endings were 100,000 rows (docs/performance.md, "Every scale goal met").
  const feed = config.databaseUrl ? revocationFeed(config.databaseUrl, config, ctx, logger) : null;
  // Built and readied (its routes' validators and serializers compiled, ~0.2 s). On PostgreSQL
  // the feed does this once its catch-up read has been sent (a connection and a LISTEN: a few
  // ms), then joins: building holds the event loop from start to end (its awaits settle
  // without I/O), so a read sent later would wait for the whole build, and PostgreSQL with it.
  const build = async () => {
    const built = await buildApp(ctx, config, { loggerInstance: logger });
    await built.ready();
    return built;
  };
  const app = await (feed ? feed.start(build) : build()).catch(async (err: unknown) => {
    await feed?.stop();
    throw err;
  });
  if (!config.rateLimits.enabled) app.log.warn('RATE_LIMITS=off: credential endpoints are not rate limited');
  // Webhook deliveries (docs/events.md), the expired-session sweep, pruning, housekeeping.
  const jobs = await startBackgroundJobs(ctx, config, app.log);
  // The CLI beside a running server on the embedded store (src/operator-channel/).
  const channel = config.databaseUrl
    ? null
    : await serveOperatorChannel(config.dataDir, db, ctx, app.log, {
        policyChanged: () => reloadPolicy(ctx, app.log),
      });

  let metricsApp: Awaited<ReturnType<typeof buildMetricsApp>> | null = null;
  // Everything started above, stopped in one order: at shutdown, and when listening fails.
  const stop = async () => {
    await channel?.close();
    await app.close();
    await metricsApp?.close();
    await jobs.stop();
    await feed?.stop();
    await store.close();
  };
  await app.listen({ port: config.port, host: config.host }).catch(async (err: unknown) => {
    await stop();
    throw listenError(err, config);
  });
  // METRICS_PORT: /metrics on a listener of its own (src/http/metrics.ts).
  metricsApp = config.metrics.listen ? await buildMetricsApp(ctx, config.metrics) : null;
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
    close: stop,
  };
}

/**
 * Applies the stored policy again (it changed, or this instance may have missed a change).
 * A policy that does not hold together with this instance's environment is not applied: the
 * one in force stays, and the log names the setting.
 */
async function reloadPolicy(ctx: Context, log: App['log']): Promise<void> {
  const before = JSON.stringify(ctx.settings.policy);
  const { policy, problems } = await applyStoredPolicy(ctx);
  if (problems.length > 0)
    log.error(
      { problems },
      'the stored session policy was not applied: it does not hold with this environment',
    );
  else if (JSON.stringify(policy) !== before) log.info({ policy }, 'session policy changed');
}

/**
 * Only a shared PostgreSQL has other instances to hear from, and to hold a lease among: the
 * feed that carries their endings here, with this instance's lease and its barrier.
 */
function revocationFeed(databaseUrl: string, config: Config, ctx: Context, log: Logger): RevocationFeed {
  const { leases } = config;
  const id = randomUUID();
  ctx.barrier = revocationBarrier(ctx.store, leases, {
    id,
    observe: (seconds) => ctx.metrics.barrierWait.observe(seconds),
  });
  if (!leases.barrier)
    log.warn('REVOCATION_BARRIER=off: endings are answered before other instances confirm them (unsafe)');
  const address = leases.address ?? `${hostname()}:${config.port || `pid ${process.pid}`}`;
  const lease = { identity: { id, address, version: VERSION }, ...leases, barrier: ctx.barrier };
  const feed = new RevocationFeed(
    {
      connectionString: databaseUrl,
      onHeard: (ended) => {
        const now = Date.now();
        for (const s of ended) ctx.metrics.revocationDelay.observe((now - s.endedAt.getTime()) / 1000);
      },
      lease,
      onPolicyChanged: () => reloadPolicy(ctx, log),
    },
    ctx.store,
    ctx.revocations,
    log,
  );
  ctx.metrics.watchLease({
    fenced: () => !ctx.revocations.current,
    leaseAgeSeconds: () => feed.leaseAgeSeconds(),
    feedLagSeconds: () => feed.feedLagSeconds(),
  });
  return feed;
}

const SHUTDOWN_GRACE_MS = 10_000;

/**
 * `npm start` and `gatehouse serve`: starts the server and keeps it running
 * until SIGTERM or SIGINT, then stops cleanly and exits the process.
 */
export async function serveUntilStopped(config: Config, logger: Logger): Promise<void> {
  const server = await startServer(config, logger, { collectFirst: true });
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
