import type { Context } from '../domain/context.js';
import { endExpiredSessions, SWEEP_BATCH } from '../domain/expiry.js';
import type { JobLog } from './webhook-dispatcher.js';

/** Batches per sweep: a backlog (a first start after an upgrade) is worked off over several sweeps. */
const BATCHES_PER_SWEEP = 20;
/** Delivered and dead webhook deliveries are kept this long (for `gatehouse webhooks deliveries`). */
export const DELIVERY_RETENTION_MS = 7 * 24 * 3600_000;

/**
 * Every `intervalMs`: ends the sessions past their expiry (reason "expired",
 * through the one ending path) and prunes old webhook deliveries. Sweeps
 * never overlap; on several instances they skip each other's rows.
 */
export class SessionSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | null = null;

  constructor(
    private readonly ctx: Context,
    private readonly intervalMs: number,
    private readonly log: JobLog,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.sweepOnce()
        .then(
          (n) => void (n > 0 && this.log.info({ ended: n }, 'ended expired sessions')),
          (err) => this.log.warn({ err }, 'expired-session sweep failed; retrying at the next one'),
        )
        .finally(() => {
          this.#running = null;
        });
    }, this.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One sweep; returns how many sessions it ended. */
  async sweepOnce(): Promise<number> {
    let total = 0;
    for (let i = 0; i < BATCHES_PER_SWEEP; i++) {
      const ended = await endExpiredSessions(this.ctx, SWEEP_BATCH);
      total += ended.length;
      if (ended.length < SWEEP_BATCH) break;
    }
    await this.ctx.store.pruneDeliveries(new Date(Date.now() - DELIVERY_RETENTION_MS));
    return total;
  }
}
