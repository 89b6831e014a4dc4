import type { Config } from '../config.js';
import { flushActivity } from '../domain/activity.js';
import type { Context } from '../domain/context.js';
import { syncEnvWebhookEndpoint } from '../domain/webhooks.js';
import { exposeGc } from '../gc.js';
import { mailDirectory, mailTransport } from '../mail/transport.js';
import { OidcTokens } from '../oidc/tokens.js';
import { redactUrl } from '../startup-errors.js';
import { deliveryPruner } from './delivery-pruner.js';
import { IntervalJob, type JobLog } from './interval-job.js';
import { MailDispatcher } from './mail-dispatcher.js';
import { IdleMemoryTrim } from './memory-trim.js';
import { SessionSweeper } from './session-sweeper.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';

/** Revocations older than a token lifetime are forgotten, and keys rotated elsewhere picked up, this often. */
const HOUSEKEEPING_MS = 30_000;

export interface BackgroundJobs {
  dispatcher: WebhookDispatcher;
  mail: MailDispatcher;
  sweeper: SessionSweeper;
  /** Stops every job and waits for work in flight (a webhook attempt, a sweep) to be recorded. */
  stop(): Promise<void>;
}

/**
 * What a server runs besides HTTP, each job on its own setting:
 * - the webhook dispatcher (woken the moment this instance commits webhook events);
 * - the mail dispatcher (MAIL_URL, or .eml files in DATA_DIR/mail; woken by the same signal);
 * - the expired-session sweeper (SESSION_SWEEP_INTERVAL_MS);
 * - the pruning of old webhook deliveries, sent mails and expired mailed tokens (WEBHOOK_PRUNE_INTERVAL_MS);
 * - the writing of "last used" times noted in memory (SESSION_ACTIVITY_FLUSH_MS);
 * - housekeeping every 30 s: forget revocations older than a token lifetime, and reload the
 *   signing keys, so a key rotated by the CLI or another instance is used and a retired one is not;
 * - memory given back to the system when the server falls idle after work (MEMORY_TRIM_IDLE_MS).
 * WEBHOOK_URL is registered first, so the first ending already reaches it.
 */
export async function startBackgroundJobs(
  ctx: Context,
  config: Pick<
    Config,
    | 'webhooks'
    | 'sessionSweepMs'
    | 'activityFlushMs'
    | 'mail'
    | 'dataDir'
    | 'oidc'
    | 'accessTokenTtl'
    | 'memoryTrimIdleMs'
  >,
  log: JobLog,
): Promise<BackgroundJobs> {
  const env = await syncEnvWebhookEndpoint(ctx, config.webhooks.endpoint);
  if (env)
    log.info(
      { endpointId: env.id, origin: new URL(env.url).origin },
      'webhook endpoint from WEBHOOK_URL registered',
    );
  const dispatcher = new WebhookDispatcher(
    ctx.store,
    config.webhooks,
    log,
    config.oidc ? new OidcTokens(config.oidc.issuer, ctx.keys, config.accessTokenTtl) : null,
  );
  const sweeper = new SessionSweeper(ctx, config.sessionSweepMs, log);
  const pruner = deliveryPruner(ctx.store, config.webhooks, log);
  log.info(
    config.mail.url ? { mailUrl: redactUrl(config.mail.url) } : { directory: mailDirectory(config.dataDir) },
    config.mail.url
      ? 'mail is sent over SMTP (MAIL_URL)'
      : 'MAIL_URL is not set: mail is written as .eml files, and its links logged',
  );
  const mail = new MailDispatcher(
    ctx.store,
    mailTransport(config.mail, config.dataDir, log),
    config.mail,
    log,
    ctx.metrics,
  );
  // Sent and dead mails after MAIL_RETENTION; mailed tokens once they have expired (a day's grace).
  const mailPruner = new IntervalJob(
    'mail pruning',
    config.webhooks.pruneMs,
    async () => {
      const mails = await ctx.store.pruneMails(new Date(Date.now() - config.mail.retentionMs));
      const tokens = await ctx.store.pruneEmailTokens(new Date(Date.now() - 86_400_000));
      if (mails + tokens > 0) log.info({ mails, tokens }, 'pruned old mails and expired mailed tokens');
    },
    log,
  );
  const housekeeping = new IntervalJob(
    'housekeeping',
    HOUSEKEEPING_MS,
    async () => {
      ctx.revocations.prune();
      await ctx.keys.reload();
    },
    log,
  );
  // "Last used" noted by authenticated requests, written in one statement per interval.
  const activity = new IntervalJob(
    'session activity',
    config.activityFlushMs,
    async () => {
      await flushActivity(ctx.activity, ctx.store);
    },
    log,
  );
  const memoryTrim = new IdleMemoryTrim(
    config.memoryTrimIdleMs,
    config.memoryTrimIdleMs > 0 ? exposeGc() : undefined,
    log,
    () => ctx.metrics.httpDuration.count,
  );
  const unsubscribe = ctx.outbox.onWritten(() => {
    dispatcher.wake();
    mail.wake();
  });
  // Any ending may have queued back-channel logouts (docs/oidc.md): send them now, not at the next poll.
  const unsubscribeEnded = config.oidc ? ctx.outbox.onEnded(() => dispatcher.wake()) : () => {};
  dispatcher.start();
  mail.start();
  mailPruner.start();
  sweeper.start();
  pruner.start();
  housekeeping.start();
  activity.start();
  memoryTrim.start();
  return {
    dispatcher,
    mail,
    sweeper,
    async stop() {
      unsubscribe();
      unsubscribeEnded();
      memoryTrim.stop();
      await Promise.all([
        sweeper.stop(),
        dispatcher.stop(),
        mail.stop(),
        pruner.stop(),
        mailPruner.stop(),
        housekeeping.stop(),
        activity.stop(),
      ]);
      // The last uses this instance saw are not lost with it.
      await flushActivity(ctx.activity, ctx.store).catch((err: unknown) =>
        log.warn({ err }, 'could not write the last session activity'),
      );
    },
  };
}
