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
 * - An attempt is recorded as a failure *before* its password is checked, in
 *   one atomic step with the check that it may go ahead (`reserve`): parallel
 *   attempts cannot all pass the check before any failure is counted. A
 *   success then resets the count; an attempt that ended neither way (a 422,
 *   a 503) gives its reservation back.
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
  /**
   * Atomically: when the wait after the recorded failures is over, record one
   * more (at `now`) and answer 0; else record nothing and answer the wait, ms.
   */
  reserve(key: string, now: number, policy: BackoffPolicy, forgetMs: number): Promise<number>;
  /** Gives back one reservation (the attempt was neither a failure nor a success). */
  release(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

/** How long after the last failure the next attempt must wait, milliseconds. */
export function backoffDelayMs(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.after) return 0;
  return Math.min(policy.maxMs, 1000 * 2 ** Math.min(failures - policy.after, 30));
}

const waitAfter = (failures: Failures | null, policy: BackoffPolicy, now: number): number =>
  failures ? Math.max(0, failures.last + backoffDelayMs(failures.count, policy) - now) : 0;

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
    return waitAfter(await this.counter.read(backoffKey(email)), this.policy, this.now());
  }

  /**
   * Reserves an attempt before the password is checked: 0 when it may go
   * ahead (it is counted as a failure until `succeeded` or `abandoned`), else
   * the milliseconds still to wait (nothing recorded).
   */
  attempt(email: string): Promise<number> {
    return this.counter.reserve(backoffKey(email), this.now(), this.policy, this.#forgetMs);
  }

  succeeded(email: string): Promise<void> {
    return this.counter.reset(backoffKey(email));
  }

  /** The reserved attempt ended without checking the password to a yes or no. */
  abandoned(email: string): Promise<void> {
    return this.counter.release(backoffKey(email));
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
    return this.#get(key);
  }

  // Synchronous from read to write: nothing else runs in between, so it is atomic.
  async reserve(key: string, now: number, policy: BackoffPolicy, forgetMs: number): Promise<number> {
    const previous = this.#get(key);
    const wait = waitAfter(previous, policy, now);
    if (wait > 0) return wait;
    this.#entries.delete(key); // re-inserted last: Map order is then "least recently failed first"
    this.#entries.set(key, { count: (previous?.count ?? 0) + 1, last: now, forgetAt: now + forgetMs });
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return 0;
  }

  async release(key: string): Promise<void> {
    const entry = this.#get(key);
    if (!entry) return;
    const stored = this.#entries.get(key);
    if (stored && entry.count > 1) stored.count = entry.count - 1;
    else this.#entries.delete(key);
  }

  async reset(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  #get(key: string): Failures | null {
    const entry = this.#entries.get(key);
    if (!entry) return null;
    if (entry.forgetAt <= this.now()) {
      this.#entries.delete(key);
      return null;
    }
    return { count: entry.count, last: entry.last };
  }
}

// The check and the record in one step on the Redis server (backoffDelayMs, in Lua).
const RESERVE = `
local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
local now, forget, after, maxMs = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if count >= after then
  local wait = last + math.min(maxMs, 1000 * 2 ^ math.min(count - after, 30)) - now
  if wait > 0 then return wait end
end
redis.call('HSET', KEYS[1], 'count', count + 1, 'last', now)
redis.call('PEXPIRE', KEYS[1], forget)
return 0`;

const RELEASE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HINCRBY', KEYS[1], 'count', -1) <= 0 then redis.call('DEL', KEYS[1]) end
return 0`;

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

  async reserve(key: string, now: number, policy: BackoffPolicy, forgetMs: number): Promise<number> {
    const args = [now, forgetMs, policy.after, policy.maxMs].map(String);
    return Number(await this.redis.eval(RESERVE, 1, this.prefix + key, ...args));
  }

  async release(key: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.prefix + key);
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

  reserve(key: string, now: number, policy: BackoffPolicy, forgetMs: number) {
    return this.#either((c) => c.reserve(key, now, policy, forgetMs));
  }

  release(key: string) {
    return this.#either((c) => c.release(key));
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
