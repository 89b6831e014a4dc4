export interface GroupCommitOptions {
  /** Most items in one commit (bounds one statement's size and one transaction's locks). */
  maxBatch: number;
  /** Commits running at once; more items wait and go together into the next. */
  concurrency: number;
  /**
   * Whether, after a batch of several failed with `err`, each item should be
   * tried again alone, so that an item that cannot commit fails only itself.
   * No for an error every item would meet (the database is down).
   */
  retryAlone: (err: unknown) => boolean;
  /**
   * Whether to start a commit only once this turn of the event loop has
   * handed over every request it read. An in-process database (the embedded
   * store) runs its statements on this thread: while one commits nothing new
   * is read, and the requests read after it would each start a commit of
   * their own, one at a time, if the first could start at once.
   */
  gatherTurn?: boolean;
}

interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit. An item submitted while nothing is committing is committed
 * at once, alone, so an idle server adds no delay; items submitted while a
 * commit is running wait for it and are committed together in the next one.
 * Under load a batch is what arrived during one commit, and the commit's
 * fixed cost (round trips, the flush to disk) is shared by all of them. Each
 * submitter is answered only once its batch has committed.
 */
export class GroupCommit<I, O> {
  readonly #commit: (items: readonly I[]) => Promise<O[]>;
  readonly #options: GroupCommitOptions;
  #waiting: Waiting<I, O>[] = [];
  #running = 0;
  #gathering = false;

  constructor(commit: (items: readonly I[]) => Promise<O[]>, options: GroupCommitOptions) {
    this.#commit = commit;
    this.#options = options;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      this.#drain();
    });
  }

  #drain(): void {
    if (this.#options.gatherTurn) {
      if (this.#gathering) return;
      this.#gathering = true;
      setImmediate(() => {
        this.#gathering = false;
        this.#start();
      });
      return;
    }
    this.#start();
  }

  #start(): void {
    while (this.#running < this.#options.concurrency && this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, this.#options.maxBatch);
      this.#running++;
      void this.#run(batch).finally(() => {
        this.#running--;
        this.#drain();
      });
    }
  }

  async #run(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const out = await this.#commit(batch.map((w) => w.item));
      for (const [i, w] of batch.entries()) w.resolve(out[i] as O);
    } catch (err) {
      if (batch.length === 1 || !this.#options.retryAlone(err)) {
        for (const w of batch) w.reject(err);
        return;
      }
      for (const w of batch) {
        try {
          const [out] = await this.#commit([w.item]);
          w.resolve(out as O);
        } catch (alone) {
          w.reject(alone);
        }
      }
    }
  }
}
