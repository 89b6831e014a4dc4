import type { Context } from '../domain/context.js';
import { endExpiredSessions, endIdleSessions, SWEEP_BATCH } from '../domain/expiry.js';
import { IntervalJob, type JobLog } from './interval-job.js';

/** Batches per sweep: a backlog (a first start after an upgrade) is worked off over several sweeps. */
const BATCHES_PER_SWEEP = 20;

/**
 * Every SESSION_SWEEP_INTERVAL_MS: ends the sessions past their expiry (reason "expired")
 * and those idle for SESSION_IDLE_TTL (reason "idle_timeout"), through the one ending path. Sweeps never overlap; on several instances they skip each
 * other's rows.
 */
export class SessionSweeper {
  readonly #job: IntervalJob;

  constructor(
    private readonly ctx: Context,
    intervalMs: number,
    log: JobLog,
  ) {
    this.#job = new IntervalJob(
      'expired-session sweep',
      intervalMs,
      async () => {
        const n = await this.sweepOnce();
        if (n > 0) log.info({ ended: n }, 'ended expired and idle sessions');
      },
      log,
    );
  }

  start(): void {
    this.#job.start();
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }

  /** One sweep; returns how many sessions it ended. */
  async sweepOnce(): Promise<number> {
    let total = 0;
    // Expired first: a session past both limits ends for its absolute lifetime.
    for (const endSome of [endExpiredSessions, endIdleSessions])
      for (let i = 0; i < BATCHES_PER_SWEEP; i++) {
        const ended = await endSome(this.ctx, SWEEP_BATCH);
        total += ended.length;
        if (ended.length < SWEEP_BATCH) break;
      }
    return total;
  }
}
