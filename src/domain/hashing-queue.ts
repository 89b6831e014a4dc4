import { AppError } from './errors.js';

/**
 * A bound on the password work in flight (argon2id: logins, registrations,
 * password changes). argon2 runs on libuv's thread pool, at ~20 ms and 19 MiB
 * a hash; a login storm larger than the machine can hash would queue there
 * without bound while every thread it occupies takes a core from the event
 * loop, which answers every other request (token checks, logouts). So at most
 * `concurrency` run at once (default: one core fewer than the machine has, so
 * the event loop keeps one), at most `maxWaiting` more wait their turn, and
 * anything beyond is shed at once with 503 and Retry-After: a client retries,
 * everyone else is still served. HASH_CONCURRENCY and HASH_QUEUE_MAX.
 *
 * A refusal as a request arrives waits `shedDelayMs` before it is sent
 * (HASH_SHED_DELAY_MS): a storm's clients mostly retry the moment they are
 * answered, so answering at once invites the next attempt at once, and a few
 * hundred connections then make tens of thousands of refusals a second,
 * which take the event loop from the token checks the shedding protects. A
 * held refusal costs a timer.
 */
export class HashingQueue {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
    readonly shedDelayMs = 0,
  ) {}

  /** True when a request arriving now would be shed: every slot busy, the queue full. */
  get full(): boolean {
    return this.#running >= this.concurrency && this.#waiting.length >= this.maxWaiting;
  }

  /**
   * Sheds a request at once when the queue is full. Called as a request arrives, before its
   * body is read and validated: in a storm, the shed majority then costs the event loop as
   * little as possible, and every other request keeps its turn.
   */
  refuseWhenFull(): void {
    if (this.full) throw shed();
  }

  /** Runs `work` when a slot is free; 503 at once when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running < this.concurrency) this.#running++;
    else if (this.#waiting.length < this.maxWaiting)
      // The slot is handed over by the run that ends (below): #running stays as it is.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else throw shed();
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }

  /** Running and waiting, for tests and metrics. */
  get size(): { running: number; waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length };
  }
}

const shed = () =>
  new AppError('SERVICE_UNAVAILABLE', 'Too many sign-ins are being checked right now; retry shortly', {
    retryAfter: 1,
  });
