import { AppError } from './errors.js';

/** Another instance that must confirm an ending, as the ending transaction saw it. */
export interface BarrierMember {
  id: string;
  epoch: number;
  /** Its lease's time left when read, by the database's clock (negative: lapsed, within the margin). */
  remainingMs: number;
}

/** An instance's lease as the database sees it now. */
export interface LeaseStatus {
  id: string;
  epoch: number;
  /** Expired more than the margin ago: the instance has fenced itself. */
  lapsed: boolean;
  remainingMs: number;
}

/** A row of `gatehouse instances`. */
export interface InstanceRecord {
  id: string;
  address: string;
  version: string;
  epoch: number;
  startedAt: Date;
  renewedAt: Date;
  leaseExpiresAt: Date;
  leaseValid: boolean;
  /** How far its applied watermark trails the database's clock; null before its first renewal. */
  lagMs: number | null;
  /** Round trip of its last renewal through the feed. */
  feedLagMs: number | null;
}

/** The queries the barrier needs (implemented in storage/lease-queries.ts). */
export interface BarrierQueries {
  barrierMembers(self: string, marginMs: number): Promise<BarrierMember[]>;
}
export interface LeaseReader {
  leaseStatus(ids: readonly string[], marginMs: number): Promise<LeaseStatus[]>;
}

export interface BarrierOptions {
  /** This process's instance id (it needs no confirmation from itself: it revokes before answering). */
  self: string;
  marginMs: number;
  /** Give up (503) when an ending is still unconfirmed after this long: this instance cannot reach the database. */
  timeoutMs: number;
  /** REVOCATION_BARRIER=off: answer without waiting (unsafe; for tests that show the barrier matters). */
  enabled: boolean;
  /** Told how long each ending batch waited, seconds. */
  observe?: (seconds: number) => void;
}

/** What an ending transaction carries to its commit: its batch tag and who must confirm it. */
export interface BarrierTicket {
  /** "<origin>:<n>", sent with the ending's notification and echoed back in acks. */
  batch: string;
  n: number;
  members: BarrierMember[];
  /** performance.now() when `members` was read. */
  readAt: number;
}

interface Waiting {
  epoch: number;
  /** performance.now() after which its lease is to be looked at again. */
  recheckAt: number;
}

interface Pending {
  waiting: Map<string, Waiting>;
  started: number;
  timer: NodeJS.Timeout | undefined;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const EARLY_ACK_TTL_MS = 10_000;
const RECHECK_RETRY_MS = 50;

/**
 * The revocation barrier (docs/architecture.md): an ending is answered only
 * once every other instance with a valid lease has confirmed that it applied
 * it, or its lease has lapsed.
 *
 * The ending transaction reads who must confirm (`enter`); after the commit,
 * `wait` resolves as acks arrive (one per batch per instance, heard on the
 * feed), as instances rejoin (a new epoch re-read every ending from the
 * table) or leave, or once the database says an instance's lease expired
 * more than the margin ago. That last check is always a fresh read at the
 * moment of deciding, never a lease remembered from earlier: an instance
 * that renewed meanwhile is waited for again.
 */
export class RevocationBarrier {
  #next = 0;
  readonly #pending = new Map<number, Pending>();
  /** Acks heard before their batch's commit returned here (their own round trip can be faster). */
  readonly #early = new Map<number, { acks: Set<string>; at: number }>();

  constructor(
    private readonly leases: LeaseReader,
    private readonly opts: BarrierOptions,
  ) {}

  get self(): string {
    return this.opts.self;
  }

  /** Inside the ending transaction, before its notification: who must confirm it. */
  async enter(tx: BarrierQueries): Promise<BarrierTicket> {
    const n = ++this.#next;
    const members = await tx.barrierMembers(this.opts.self, this.opts.marginMs);
    return { batch: `${this.opts.self}:${n}`, n, members, readAt: performance.now() };
  }

  /** After the commit. Null when there is nothing to wait for (a single instance, or the barrier is off). */
  wait(ticket: BarrierTicket): Promise<void> | null {
    const early = this.#early.get(ticket.n);
    if (this.#early.size > 0) this.#pruneEarly(ticket.n);
    if (!this.opts.enabled || ticket.members.length === 0) return null;
    const waiting = new Map<string, Waiting>();
    for (const m of ticket.members) {
      if (early?.acks.has(m.id)) continue;
      waiting.set(m.id, {
        epoch: m.epoch,
        recheckAt: ticket.readAt + Math.max(0, m.remainingMs) + this.opts.marginMs,
      });
    }
    if (waiting.size === 0) {
      this.opts.observe?.(0);
      return null;
    }
    return new Promise<void>((resolve, reject) => {
      const pending: Pending = { waiting, started: performance.now(), timer: undefined, resolve, reject };
      this.#pending.set(ticket.n, pending);
      this.#schedule(ticket.n, pending);
    });
  }

  /** `acker` applied our batch `n` (heard on the feed). */
  acked(acker: string, n: number): void {
    const pending = this.#pending.get(n);
    if (pending) {
      if (pending.waiting.delete(acker)) this.#settleIfDone(n, pending);
      return;
    }
    if (n > this.#next) return; // not a batch of this process's
    let early = this.#early.get(n);
    if (!early) {
      early = { acks: new Set(), at: performance.now() };
      this.#early.set(n, early);
    }
    early.acks.add(acker);
  }

  /** `id` joined again with `epoch` (0: it left): batches waiting for an older epoch of it stop waiting. */
  rejoined(id: string, epoch: number): void {
    for (const [n, pending] of this.#pending) {
      const w = pending.waiting.get(id);
      if (w && w.epoch !== epoch) {
        pending.waiting.delete(id);
        this.#settleIfDone(n, pending);
      }
    }
  }

  /** Batches still waiting (for tests and shutdown). */
  get waiting(): number {
    return this.#pending.size;
  }

  #schedule(n: number, pending: Pending): void {
    let next = Number.POSITIVE_INFINITY;
    for (const w of pending.waiting.values()) next = Math.min(next, w.recheckAt);
    const delay = Math.max(1, Math.min(next, pending.started + this.opts.timeoutMs) - performance.now());
    pending.timer = setTimeout(() => void this.#recheck(n, pending), delay);
  }

  async #recheck(n: number, pending: Pending): Promise<void> {
    if (this.#pending.get(n) !== pending) return;
    const now = performance.now();
    if (now - pending.started >= this.opts.timeoutMs) {
      this.#pending.delete(n);
      pending.reject(
        new AppError(
          'SERVICE_UNAVAILABLE',
          'The sessions have ended, but not every instance has confirmed it yet; retry shortly',
          { retryAfter: 1 },
        ),
      );
      return;
    }
    const due = [...pending.waiting].filter(([, w]) => w.recheckAt <= now).map(([id]) => id);
    if (due.length > 0) {
      try {
        const status = new Map(
          (await this.leases.leaseStatus(due, this.opts.marginMs)).map((s) => [s.id, s]),
        );
        const readAt = performance.now();
        for (const id of due) {
          const w = pending.waiting.get(id);
          if (!w) continue;
          const s = status.get(id);
          // Gone, rejoined since (it re-read every ending), or fenced by now: no longer a risk.
          if (!s || s.epoch !== w.epoch || s.lapsed) pending.waiting.delete(id);
          else w.recheckAt = readAt + Math.max(0, s.remainingMs) + this.opts.marginMs;
        }
      } catch {
        // Cannot tell whether it lapsed: keep waiting, ask again shortly (bounded by timeoutMs).
        for (const id of due) {
          const w = pending.waiting.get(id);
          if (w) w.recheckAt = performance.now() + RECHECK_RETRY_MS;
        }
      }
    }
    if (this.#pending.get(n) !== pending) return;
    if (!this.#settleIfDone(n, pending)) this.#schedule(n, pending);
  }

  #settleIfDone(n: number, pending: Pending): boolean {
    if (pending.waiting.size > 0) return false;
    clearTimeout(pending.timer);
    this.#pending.delete(n);
    this.opts.observe?.((performance.now() - pending.started) / 1000);
    pending.resolve();
    return true;
  }

  #pruneEarly(n: number): void {
    this.#early.delete(n);
    const old = performance.now() - EARLY_ACK_TTL_MS;
    for (const [k, e] of this.#early) if (e.at < old) this.#early.delete(k);
  }
}
