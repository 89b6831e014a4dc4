import type { JobLog } from './interval-job.js';

/**
 * The loop of an outbox dispatcher (webhook-dispatcher.ts, mail-dispatcher.ts):
 * runs `pass` (claim what is due, attempt it; returns how many it attempted)
 * again at once while passes come back full or a wake-up arrived during one,
 * else after `pollMs`. A pass that throws (the database is unreachable) is
 * logged and tried again after a pause; the rows stay in the outbox.
 */
export class OutboxLoop {
  #stopped = false;
  #woken = false;
  #wakeUp: (() => void) | null = null;
  #loop: Promise<void> | null = null;

  constructor(
    private readonly pass: () => Promise<number>,
    private readonly opts: { batchSize: number; pollMs: number },
    private readonly log: JobLog,
    /** The warning when a pass fails, e.g. "webhook dispatcher could not claim deliveries". */
    private readonly failure: string,
  ) {}

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Look for due rows now (one was just committed here), instead of at the next poll. */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  /** Stops polling and waits for the pass in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeUp?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      this.#woken = false;
      let attempted = 0;
      try {
        attempted = await this.pass();
      } catch (err) {
        this.log.warn({ err }, this.failure);
        await this.#sleep(Math.max(this.opts.pollMs, 1000));
        continue;
      }
      // A full batch means more may be due; a wake during the pass means a new row may be.
      if (attempted < this.opts.batchSize && !this.#woken) await this.#sleep(this.opts.pollMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      const self = this;
      function done() {
        clearTimeout(timer);
        self.#wakeUp = null;
        resolve();
      }
      this.#wakeUp = done;
    });
  }
}

/**
 * The delay before retry number `attempts` (1-based): base, 2×base, 4×base…
 * capped at `maxMs`; each drawn from the upper half of its range, so that the
 * retries of many rows (and receivers) are not in step.
 */
export function backoffDelay(attempts: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempts - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
