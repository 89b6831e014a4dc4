/** Where work that must not shape an answer is logged when it fails. */
export interface WorkLog {
  warn(obj: object, msg: string): void;
}

/**
 * Work done after the answer has been sent. POST /auth/password/forgot and
 * POST /auth/email/verify/resend answer 202 before they look the address up,
 * so neither the answer nor its timing can depend on whether an account has
 * it (no enumeration by stopwatch). `settled()` waits for what is still
 * running: the server's shutdown (app onClose) and tests call it.
 */
export class AfterResponse {
  readonly #pending = new Set<Promise<void>>();

  run(work: () => Promise<void>, log: WorkLog, what: string): void {
    // Started on the next turn of the event loop, after the handler has returned its answer.
    const task: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((err: unknown) => log.warn({ err }, `${what} failed; no mail was queued`))
      .finally(() => this.#pending.delete(task));
    this.#pending.add(task);
  }

  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
