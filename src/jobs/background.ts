import type { Config } from '../config.js';
import type { Context } from '../domain/context.js';
import { syncEnvWebhookEndpoint } from '../domain/webhooks.js';
import { SessionSweeper } from './session-sweeper.js';
import { type JobLog, WebhookDispatcher } from './webhook-dispatcher.js';

export interface BackgroundJobs {
  dispatcher: WebhookDispatcher;
  sweeper: SessionSweeper;
  /** Stops both and waits for work in flight (a webhook attempt, a sweep) to be recorded. */
  stop(): Promise<void>;
}

/**
 * What a server runs besides HTTP: the webhook dispatcher (woken the moment
 * this instance commits webhook events) and the expired-session sweeper.
 * WEBHOOK_URL is registered first, so the first ending already reaches it.
 */
export async function startBackgroundJobs(
  ctx: Context,
  config: Pick<Config, 'webhooks' | 'sessionSweepMs'>,
  log: JobLog,
): Promise<BackgroundJobs> {
  const env = await syncEnvWebhookEndpoint(ctx, config.webhooks.endpoint);
  if (env)
    log.info(
      { endpointId: env.id, origin: new URL(env.url).origin },
      'webhook endpoint from WEBHOOK_URL registered',
    );
  const dispatcher = new WebhookDispatcher(ctx.store, config.webhooks, log);
  const sweeper = new SessionSweeper(ctx, config.sessionSweepMs, log);
  const unsubscribe = ctx.outbox.onWritten(() => dispatcher.wake());
  dispatcher.start();
  sweeper.start();
  return {
    dispatcher,
    sweeper,
    async stop() {
      unsubscribe();
      await Promise.all([sweeper.stop(), dispatcher.stop()]);
    },
  };
}
