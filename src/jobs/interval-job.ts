export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug?(obj: object, msg: string): void;
}

/**
 * Runs `work` every `intervalMs` (0 = never), one run at a time: a run still going when the
 * next is due is not doubled. A failed run is logged and the next one tries again. `stop()`
 * waits for a run in flight, so what it did is recorded before the store closes.
 */
export class IntervalJob {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | null = null;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<void>,
    private readonly log: JobLog,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.work()
        .catch((err) =>
          this.log.warn({ err, job: this.name }, `${this.name} failed; retrying at the next run`),
        )
        .finally(() => {
          this.#running = null;
        });
    }, this.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
