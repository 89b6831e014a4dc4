import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { normalizeEmail } from '../domain/users.js';

/**
 * Exponential backoff on failed logins, per account (docs/security.md).
 *
 * The first `after` failures of an account cost nothing; from then on every
 * attempt must wait 1 s, 2 s, 4 s … after the last failure, capped at `maxMs`.
 * A success resets the count, and a count is forgotten after a quiet spell.
 *
 * Why this shape:
 * - Keyed by the email as typed (normalised), account or not: unknown emails
 *   are throttled exactly like real ones, so a 429 reveals nothing.
 * - Attempts refused while waiting are not checked and not counted, so the
 *   wait never exceeds the cap: an attacker can slow an account's logins to
 *   one try per `maxMs` while they keep going, never lock it for good.
 */
export interface BackoffPolicy {
  after: number;
  maxMs: number;
}

export interface Failures {
  count: number;
  /** When the last failure happened, epoch ms. */
  last: number;
}

/** Where failure counts live: this process, or Redis when several instances share them. */
export interface FailureCounter {
  read(key: string): Promise<Failures | null>;
  recordFailure(key: string, now: number, forgetMs: number): Promise<void>;
  reset(key: string): Promise<void>;
}

/** How long after the last failure the next attempt must wait, milliseconds. */
export function backoffDelayMs(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.after) return 0;
  return Math.min(policy.maxMs, 1000 * 2 ** Math.min(failures - policy.after, 30));
}

/** The counter key: a digest, so that neither Redis nor memory dumps hold the emails tried. */
export const backoffKey = (email: string): string =>
  createHash('sha256').update(normalizeEmail(email)).digest('base64url');

export class LoginBackoff {
  readonly #forgetMs: number;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly counter: FailureCounter,
    private readonly now: () => number = Date.now,
  ) {
    // Long enough that a slow attacker is still remembered at the cap.
    this.#forgetMs = Math.max(15 * 60_000, 2 * policy.maxMs);
  }

  /** Milliseconds this account must still wait before its next attempt; 0 when it may try now. */
  async waitMs(email: string): Promise<number> {
    const failures = await this.counter.read(backoffKey(email));
    if (!failures) return 0;
    const until = failures.last + backoffDelayMs(failures.count, this.policy);
    return Math.max(0, until - this.now());
  }

  failed(email: string): Promise<void> {
    return this.counter.recordFailure(backoffKey(email), this.now(), this.#forgetMs);
  }

  succeeded(email: string): Promise<void> {
    return this.counter.reset(backoffKey(email));
  }
}

/** Per-process counts, bounded: old entries are forgotten, and past `maxEntries` the oldest go first. */
export class MemoryFailureCounter implements FailureCounter {
  readonly #entries = new Map<string, Failures & { forgetAt: number }>();

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async read(key: string): Promise<Failures | null> {
    const entry = this.#entries.get(key);
    if (!entry) return null;
    if (entry.forgetAt <= this.now()) {
      this.#entries.delete(key);
      return null;
    }
    return { count: entry.count, last: entry.last };
  }

  async recordFailure(key: string, now: number, forgetMs: number): Promise<void> {
    const previous = await this.read(key);
    this.#entries.delete(key); // re-inserted last: Map order is then "least recently failed first"
    this.#entries.set(key, { count: (previous?.count ?? 0) + 1, last: now, forgetAt: now + forgetMs });
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  async reset(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** Counts shared by every instance through Redis: one hash per account, expiring after a quiet spell. */
export class RedisFailureCounter implements FailureCounter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'gatehouse:login-backoff:',
  ) {}

  async read(key: string): Promise<Failures | null> {
    const [count, last] = await this.redis.hmget(this.prefix + key, 'count', 'last');
    if (count === null || last === null) return null;
    return { count: Number(count), last: Number(last) };
  }

  async recordFailure(key: string, now: number, forgetMs: number): Promise<void> {
    const k = this.prefix + key;
    const results = await this.redis
      .multi()
      .hincrby(k, 'count', 1)
      .hset(k, 'last', String(now))
      .pexpire(k, forgetMs)
      .exec();
    const failed = results?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

/**
 * Redis first; when it cannot be reached, this process's own counts, so an
 * outage of Redis weakens the backoff to per instance instead of turning it off.
 */
export class FallbackFailureCounter implements FailureCounter {
  #lastWarning = 0;

  constructor(
    private readonly primary: FailureCounter,
    private readonly fallback: FailureCounter,
    private readonly warn: (err: unknown) => void,
  ) {}

  read(key: string) {
    return this.#either((c) => c.read(key));
  }

  recordFailure(key: string, now: number, forgetMs: number) {
    return this.#either((c) => c.recordFailure(key, now, forgetMs));
  }

  reset(key: string) {
    return this.#either((c) => c.reset(key));
  }

  async #either<T>(op: (c: FailureCounter) => Promise<T>): Promise<T> {
    try {
      return await op(this.primary);
    } catch (err) {
      if (Date.now() - this.#lastWarning > 10_000) {
        this.#lastWarning = Date.now();
        this.warn(err);
      }
      return op(this.fallback);
    }
  }
}
