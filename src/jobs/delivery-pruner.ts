import type { Store } from '../storage/store.js';
import { IntervalJob, type JobLog } from './interval-job.js';

/**
 * Every WEBHOOK_PRUNE_INTERVAL_MS: deletes delivered and dead webhook deliveries older than
 * WEBHOOK_DELIVERY_RETENTION. A job of its own, so turning the session sweeper off does not
 * let the outbox grow without bound.
 */
export function deliveryPruner(
  store: Pick<Store, 'pruneDeliveries'>,
  config: { retentionMs: number; pruneMs: number },
  log: JobLog,
): IntervalJob {
  return new IntervalJob(
    'webhook delivery pruning',
    config.pruneMs,
    async () => {
      const n = await store.pruneDeliveries(new Date(Date.now() - config.retentionMs));
      if (n > 0) log.info({ deleted: n }, 'pruned old webhook deliveries');
    },
    log,
  );
}
