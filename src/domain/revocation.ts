import type { EndedSession } from './model.js';

/**
 * The set of recently ended sessions, held in memory by every instance so that
 * checking a token costs one Map lookup instead of a database round-trip.
 *
 * It only needs to remember a session for one access-token lifetime (plus
 * clock skew) after it ended: no token is issued for an ended session, and
 * every token of it has expired by then, so the signature check alone rejects
 * it. That bounds the set by the number of logouts per token lifetime.
 */
export class RevocationList {
  readonly #ended = new Map<string, number>(); // session id -> when we may forget it (epoch ms)
  readonly #retainMs: number;
  #current = true;
  #staleSince: number | null = null;
  // On PostgreSQL, the end of this instance's lease on its own monotonic clock (performance.now()).
  #leaseUntil = Number.POSITIVE_INFINITY;
  readonly #listeners = new Set<(ended: readonly Pick<EndedSession, 'id' | 'endedAt'>[]) => void>();

  constructor(accessTtlSeconds: number, skewSeconds = 60) {
    this.#retainMs = (accessTtlSeconds + skewSeconds) * 1000;
  }

  /** How far back an instance must catch up after a restart or lost connection. */
  get retainMs(): number {
    return this.#retainMs;
  }

  add(ended: readonly Pick<EndedSession, 'id' | 'endedAt'>[]): void {
    const learned: Pick<EndedSession, 'id' | 'endedAt'>[] = [];
    for (const s of ended) {
      const forgetAt = s.endedAt.getTime() + this.#retainMs;
      if (forgetAt <= Date.now()) continue;
      if (!this.#ended.has(s.id)) learned.push(s);
      this.#ended.set(s.id, forgetAt);
    }
    if (learned.length === 0) return;
    for (const listener of this.#listeners) {
      try {
        listener(learned);
      } catch {
        // A listener's failure must never undo or delay a revocation.
      }
    }
  }

  /**
   * Calls `listener` with the sessions each `add` newly learns of, whether
   * ended here or heard from another instance (GET /auth/events tells the
   * session's client). Returns the unsubscribe.
   */
  onAdded(listener: (ended: readonly Pick<EndedSession, 'id' | 'endedAt'>[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  isEnded(sessionId: string): boolean {
    return this.#ended.has(sessionId);
  }

  /** Drops entries whose tokens have all expired. Map keeps insertion order, which is roughly end order. */
  prune(now = Date.now()): number {
    let dropped = 0;
    for (const [id, forgetAt] of this.#ended) {
      if (forgetAt > now) continue;
      this.#ended.delete(id);
      dropped++;
    }
    return dropped;
  }

  get size(): number {
    return this.#ended.size;
  }

  /**
   * False while this instance may have missed revocations: its feed from the
   * database is down and not yet caught up, or (on PostgreSQL) its lease has
   * lapsed, so other instances no longer wait for it before answering an
   * ending. Tokens are then refused with 503: we do not vouch for a token we
   * cannot check. A clock comparison, no I/O: it runs on every request.
   */
  get current(): boolean {
    return (
      this.#current && (this.#leaseUntil === Number.POSITIVE_INFINITY || performance.now() < this.#leaseUntil)
    );
  }

  /** Whether the lease (not the feed) is what keeps this instance from vouching. */
  get leaseLapsed(): boolean {
    return performance.now() >= this.#leaseUntil;
  }

  /**
   * Vouch for tokens only until `until` (performance.now() time), the end of
   * the lease last confirmed. Never moves it back: confirmations may arrive out of order.
   */
  holdLeaseUntil(until: number): void {
    if (this.#leaseUntil === Number.POSITIVE_INFINITY || until > this.#leaseUntil) this.#leaseUntil = until;
  }

  /** Joining: no lease yet, so vouch for nothing until the first one is confirmed. */
  requireLease(): void {
    this.#leaseUntil = 0;
  }

  get staleSince(): number | null {
    return this.#staleSince;
  }

  markStale(): void {
    if (this.#current) this.#staleSince = Date.now();
    this.#current = false;
  }

  markCurrent(): void {
    this.#current = true;
    this.#staleSince = null;
  }
}
