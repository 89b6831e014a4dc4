import type { EndedSession } from './model.js';

/**
 * Sessions ended since a time, as a start or a reconnection reads them (100,000 in the scale
 * run): the ids and their ends (epoch ms) side by side, in one order, with no object or Date
 * per session (docs/performance.md, "The scale run").
 */
export interface EndingsSince {
  ids: readonly string[];
  endedAtMs: readonly number[];
}

/**
 * The set of recently ended sessions, held in memory by every instance so that
 * checking a token costs one Map lookup instead of a database round-trip.
 *
 * It only needs to remember a session for one access-token lifetime (plus
 * clock skew) after it ended: no token is issued for an ended session, and
 * every token of it has expired by then, so the signature check alone rejects
 * it. That bounds the set by the number of logouts per token lifetime.
 *
 * "One token lifetime" is the current ACCESS_TOKEN_TTL. A token issued under a
 * longer one (before a restart that lowered it, or by another instance) can
 * outlive that cover: such a token is checked against the database once
 * (`outlivesCover`, `confirmOutliving`), and its session is then remembered
 * here until that token expires, whenever it ends.
 */
export class RevocationList {
  readonly #ended = new Map<string, number>(); // session id -> when we may forget it (epoch ms)
  /** Sessions with a token that outlives the cover, checked against the database: id -> latest token expiry (epoch ms). */
  readonly #outliving = new Map<string, number>();
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
    // A start's catch-up adds 100,000 at once (docs/performance.md): one clock read, the
    // outliving map only when it holds anything, one map operation per session, and the
    // newly learned collected only for listeners.
    const now = Date.now();
    const outliving = this.#outliving.size > 0 ? this.#outliving : null;
    const learned: Pick<EndedSession, 'id' | 'endedAt'>[] | null = this.#listeners.size > 0 ? [] : null;
    const map = this.#ended;
    for (const s of ended) {
      let forgetAt = s.endedAt.getTime() + this.#retainMs;
      if (outliving) forgetAt = Math.max(forgetAt, outliving.get(s.id) ?? 0);
      if (forgetAt <= now) continue;
      const known = map.size;
      map.set(s.id, forgetAt);
      if (learned && map.size !== known) learned.push(s);
    }
    if (!learned || learned.length === 0) return;
    for (const listener of this.#listeners) {
      try {
        listener(learned);
      } catch {
        // A listener's failure must never undo or delay a revocation.
      }
    }
  }

  /** A catch-up's endings: what `add` does with them, without an object per session when nobody listens. */
  addSince({ ids, endedAtMs }: EndingsSince): void {
    if (this.#listeners.size > 0 || this.#outliving.size > 0) {
      this.add(ids.map((id, i) => ({ id, endedAt: new Date(endedAtMs[i] as number) })));
      return;
    }
    const now = Date.now();
    const map = this.#ended;
    for (let i = 0; i < ids.length; i++) {
      const forgetAt = (endedAtMs[i] as number) + this.#retainMs;
      if (forgetAt > now) map.set(ids[i] as string, forgetAt);
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

  /**
   * Whether this list alone cannot vouch for a token: it lives longer than
   * the list remembers endings (issued under a longer ACCESS_TOKEN_TTL), and
   * its session has not been checked against the database yet.
   */
  outlivesCover(token: { sessionId: string; iat: number; exp: number }): boolean {
    if ((token.exp - token.iat) * 1000 <= this.#retainMs) return false;
    return (this.#outliving.get(token.sessionId) ?? 0) < token.exp * 1000;
  }

  /**
   * Records what the database said of such a token's session: remembered
   * until the token expires, and ended at once if it already has.
   */
  confirmOutliving(token: { sessionId: string; exp: number }, endedAt: Date | null): void {
    const until = Math.max(token.exp * 1000, this.#outliving.get(token.sessionId) ?? 0);
    this.#outliving.set(token.sessionId, until);
    if (endedAt) this.add([{ id: token.sessionId, endedAt }]);
  }

  /** Drops entries whose tokens have all expired. Map keeps insertion order, which is roughly end order. */
  prune(now = Date.now()): number {
    let dropped = 0;
    for (const [id, forgetAt] of this.#ended) {
      if (forgetAt > now) continue;
      this.#ended.delete(id);
      dropped++;
    }
    for (const [id, until] of this.#outliving) if (until <= now) this.#outliving.delete(id);
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
