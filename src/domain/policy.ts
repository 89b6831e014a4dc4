/** Session policy (docs/api.md §7): when a session ends on its own, and how many a user may hold. */

export const SESSION_LIMIT_POLICIES = ['evict_oldest', 'deny'] as const;
export type SessionLimitPolicy = (typeof SESSION_LIMIT_POLICIES)[number];

export interface SessionPolicy {
  /** Seconds from login to the end of a session, whatever happens (reason "expired"). */
  absoluteTtl: number;
  /** Seconds without use (a refresh or an authenticated request) after which a session ends (reason "idle_timeout"). */
  idleTtl: number;
  /** Absolute lifetime, seconds, of a login with "remember": false. */
  shortTtl: number;
  /** Active sessions one user may hold; null = no limit. */
  maxPerUser: number | null;
  /** What a login over the limit does: end the least recently used session, or answer 409. */
  limitPolicy: SessionLimitPolicy;
  /** Seconds a password proof counts as fresh for sensitive operations (POST /auth/password). */
  freshAuthMaxAge: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  absoluteTtl: 30 * 86_400,
  idleTtl: 14 * 86_400,
  shortTtl: 12 * 3600,
  maxPerUser: null,
  limitPolicy: 'evict_oldest',
  freshAuthMaxAge: 600,
};

/**
 * Whether a session last used at `lastUsedMs` is idle at `nowMs`. Reached
 * exactly at the limit: a session unused for exactly SESSION_IDLE_TTL has ended.
 */
export const isIdle = (policy: Pick<SessionPolicy, 'idleTtl'>, lastUsedMs: number, nowMs: number): boolean =>
  nowMs - lastUsedMs >= policy.idleTtl * 1000;

/** Whether a proof made at `authTimeMs` is still fresh at `nowMs` (fresh up to and including the limit). */
export const isFresh = (
  policy: Pick<SessionPolicy, 'freshAuthMaxAge'>,
  authTimeMs: number,
  nowMs: number,
): boolean => nowMs - authTimeMs <= policy.freshAuthMaxAge * 1000;
