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

// ---- the policy as variables -----------------------------------------------------------

/** The variables that set the policy, each also settable at run time (`gatehouse policy set`). */
export const POLICY_SETTINGS = [
  'SESSION_ABSOLUTE_TTL',
  'SESSION_IDLE_TTL',
  'SESSION_SHORT_TTL',
  'MAX_SESSIONS_PER_USER',
  'SESSION_LIMIT_POLICY',
  'FRESH_AUTH_MAX_AGE',
] as const;
export type PolicySetting = (typeof POLICY_SETTINGS)[number];

export const isPolicySetting = (name: string): name is PolicySetting =>
  (POLICY_SETTINGS as readonly string[]).includes(name);

/** What the policy's rules are checked against: settings that are not part of it. */
export interface PolicyLimits {
  /** ACCESS_TOKEN_TTL, seconds. */
  accessTokenTtl: number;
  /** SESSION_ACTIVITY_FLUSH_MS. */
  activityFlushMs: number;
}

const YEAR = 31_536_000;

/**
 * Reads whole-number settings from `values` (the environment, or the stored policy): empty or
 * absent is the fallback; anything else outside [min, max] adds a problem naming the setting and
 * gives the fallback, so every bad setting is reported at once. One reader for the environment
 * (src/config.ts) and for the policy, so both say the same about the same mistake.
 */
export function wholeNumbers(
  values: Readonly<Record<string, string | undefined>>,
  problems: string[],
): (name: string, fallback: number, min: number, max: number) => number {
  return (name, fallback, min, max) => {
    const raw = values[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
}

/**
 * Reads the policy from variables (the environment, or the environment with the stored
 * settings over it): each problem names its variable and says what was expected.
 * REFRESH_TOKEN_TTL, the absolute lifetime's former name, still works as an alias of
 * SESSION_ABSOLUTE_TTL (both set to different values is refused).
 */
export function parseSessionPolicy(
  values: Readonly<Record<string, string | undefined>>,
  limits: PolicyLimits,
): { policy: SessionPolicy; problems: string[] } {
  const problems: string[] = [];
  const int = wholeNumbers(values, problems);
  const legacy = int('REFRESH_TOKEN_TTL', 2_592_000, 60, YEAR);
  const absoluteTtl = int('SESSION_ABSOLUTE_TTL', legacy, 60, YEAR);
  if (values.SESSION_ABSOLUTE_TTL && values.REFRESH_TOKEN_TTL && absoluteTtl !== legacy)
    problems.push(
      'SESSION_ABSOLUTE_TTL and REFRESH_TOKEN_TTL (its former name) are both set, to different values; set only SESSION_ABSOLUTE_TTL',
    );
  const absName = values.SESSION_ABSOLUTE_TTL ? 'SESSION_ABSOLUTE_TTL' : 'REFRESH_TOKEN_TTL';
  if (absoluteTtl < limits.accessTokenTtl)
    problems.push(`${absName} must not be shorter than ACCESS_TOKEN_TTL`);
  const idleTtl = int('SESSION_IDLE_TTL', Math.min(14 * 86_400, absoluteTtl), 60, YEAR);
  // Use seen by another instance reaches the database up to one flush interval late; a token
  // issued before the idle limit may be used until it expires. Shorter than both, an idle
  // timeout could end a session that is in use.
  if (idleTtl < absoluteTtl && idleTtl * 1000 < limits.accessTokenTtl * 1000 + limits.activityFlushMs)
    problems.push(
      'SESSION_IDLE_TTL must be at least ACCESS_TOKEN_TTL plus SESSION_ACTIVITY_FLUSH_MS (a session in use must not look idle)',
    );
  const shortTtl = int('SESSION_SHORT_TTL', Math.min(12 * 3600, absoluteTtl), 60, YEAR);
  if (shortTtl > absoluteTtl) problems.push(`SESSION_SHORT_TTL must not be longer than ${absName}`);
  if (shortTtl < limits.accessTokenTtl)
    problems.push('SESSION_SHORT_TTL must not be shorter than ACCESS_TOKEN_TTL');
  const rawMax = values.MAX_SESSIONS_PER_USER;
  const maxPerUser =
    rawMax === undefined || rawMax === '' || rawMax.toLowerCase() === 'unlimited'
      ? null
      : int('MAX_SESSIONS_PER_USER', 0, 1, 100_000);
  const rawPolicy = values.SESSION_LIMIT_POLICY || 'evict_oldest';
  let limitPolicy: SessionLimitPolicy = 'evict_oldest';
  if ((SESSION_LIMIT_POLICIES as readonly string[]).includes(rawPolicy))
    limitPolicy = rawPolicy as SessionLimitPolicy;
  else
    problems.push(
      `SESSION_LIMIT_POLICY must be one of ${SESSION_LIMIT_POLICIES.join(', ')} (got "${rawPolicy}")`,
    );
  return {
    policy: {
      absoluteTtl,
      idleTtl,
      shortTtl,
      maxPerUser,
      limitPolicy,
      freshAuthMaxAge: int('FRESH_AUTH_MAX_AGE', 600, 10, 86_400),
    },
    problems,
  };
}

/** A policy written back as the variables that give it (what the stored settings are laid over). */
export function policyVariables(p: SessionPolicy): Record<PolicySetting, string> {
  return {
    SESSION_ABSOLUTE_TTL: String(p.absoluteTtl),
    SESSION_IDLE_TTL: String(p.idleTtl),
    SESSION_SHORT_TTL: String(p.shortTtl),
    MAX_SESSIONS_PER_USER: p.maxPerUser === null ? 'unlimited' : String(p.maxPerUser),
    SESSION_LIMIT_POLICY: p.limitPolicy,
    FRESH_AUTH_MAX_AGE: String(p.freshAuthMaxAge),
  };
}
