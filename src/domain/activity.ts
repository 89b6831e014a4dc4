/**
 * "Last used" without a database write per request (docs/api.md §7). An
 * authenticated request notes its session's use here (a Map write); the
 * activity job writes what was noted in one statement every
 * SESSION_ACTIVITY_FLUSH_MS. A refresh writes its use at once, in its own
 * transaction.
 *
 * Precision this gives the idle timeout (docs/security.md): the database may
 * see a use up to one flush interval late, and this instance's own decisions
 * (a refresh, the limiter, the sweeper) also read the uses it has not written
 * yet. SESSION_IDLE_TTL is at least ACCESS_TOKEN_TTL plus the flush interval
 * (src/config.ts), so a late write never makes a session in use look idle.
 */
export class SessionActivity {
  /** Session id → the latest use noted since the last flush, epoch ms. */
  #pending = new Map<string, number>();

  note(sessionId: string, at = Date.now()): void {
    this.#pending.set(sessionId, at);
  }

  /** The latest use of the session noted here and not yet written, epoch ms. */
  pendingUse(sessionId: string): number | undefined {
    return this.#pending.get(sessionId);
  }

  /** The later of a stored last use and one noted here. */
  lastUse(session: { id: string; lastUsedAt: Date }): number {
    return Math.max(session.lastUsedAt.getTime(), this.#pending.get(session.id) ?? 0);
  }

  get size(): number {
    return this.#pending.size;
  }

  /**
   * Takes what was noted for writing. On a failed write the caller gives it
   * back (`restore`), so a passing database outage loses no use.
   */
  take(): { id: string; at: Date }[] {
    const taken = [...this.#pending].map(([id, at]) => ({ id, at: new Date(at) }));
    this.#pending = new Map();
    return taken;
  }

  restore(uses: readonly { id: string; at: Date }[]): void {
    for (const u of uses) {
      const newer = this.#pending.get(u.id);
      if (newer === undefined || newer < u.at.getTime()) this.#pending.set(u.id, u.at.getTime());
    }
  }
}

/** Writes the uses noted in memory; returns how many sessions it wrote. */
export async function flushActivity(
  activity: SessionActivity,
  store: { recordSessionActivity(uses: readonly { id: string; at: Date }[]): Promise<void> },
): Promise<number> {
  const uses = activity.take();
  if (uses.length === 0) return 0;
  try {
    // Bounded statements: a busy instance may have noted many sessions in one interval.
    for (let i = 0; i < uses.length; i += 5000) await store.recordSessionActivity(uses.slice(i, i + 5000));
  } catch (err) {
    activity.restore(uses);
    throw err;
  }
  return uses.length;
}
