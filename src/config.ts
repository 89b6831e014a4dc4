/** Environment → typed, validated configuration. The only place that reads process.env. */

import { webhookUrlProblem } from './domain/events.js';
import { SESSION_LIMIT_POLICIES, type SessionLimitPolicy, type SessionPolicy } from './domain/policy.js';

export interface RateLimitConfig {
  enabled: boolean;
  /** Window for every limit below, milliseconds. */
  windowMs: number;
  /** Requests per window per client address on credential endpoints (login, register, refresh, password). */
  perIp: number;
  /** Login attempts per window per account (email), from any address. */
  perAccount: number;
  /** Failed logins of one account allowed before each further attempt must wait (docs/security.md). */
  backoffAfter: number;
  /** The longest that wait grows to, milliseconds; it doubles per failure from one second. */
  backoffMaxMs: number;
  /** REDIS_URL: counters shared by every instance; in memory (per instance) when unset. */
  redisUrl: string | undefined;
}

/** Session-ended webhooks (docs/events.md). */
export interface WebhookConfig {
  /** WEBHOOK_URL + WEBHOOK_SECRET: one endpoint declared by the environment, registered at start. */
  endpoint: { url: string; secret: string } | undefined;
  /** Attempts per event and endpoint before it is marked dead. */
  maxAttempts: number;
  /** How long one delivery may take, milliseconds. */
  timeoutMs: number;
  /** First retry delay; doubles per attempt (with jitter) up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often the dispatcher looks for due deliveries (it also wakes at once on a local ending). */
  pollMs: number;
  /** Delivered and dead deliveries are kept this long (for `gatehouse webhooks deliveries`), milliseconds. */
  retentionMs: number;
  /** How often deliveries older than that are deleted, milliseconds; 0 = never. */
  pruneMs: number;
}

export interface Config {
  port: number;
  host: string;
  /** Embedded store directory; used when databaseUrl is not set. */
  dataDir: string;
  databaseUrl: string | undefined;
  accessTokenTtl: number;
  /** Absolute session lifetime, seconds (SESSION_ABSOLUTE_TTL, formerly REFRESH_TOKEN_TTL). */
  sessionTtl: number;
  /** SPEC §7: lifetimes, idle timeout, session limit, fresh proof. */
  sessionPolicy: SessionPolicy;
  /** How often this instance writes the "last used" times it has noted, milliseconds. */
  activityFlushMs: number;
  rateLimits: RateLimitConfig;
  bodyLimit: number;
  trustProxy: boolean;
  logLevel: string;
  /** One info line per request (src/http/access-log.ts). */
  accessLog: boolean;
  /** Bootstrap: make sure this admin exists on start (ADMIN_EMAIL + ADMIN_PASSWORD). */
  admin: { email: string; password: string } | undefined;
  webhooks: WebhookConfig;
  /** How often sessions past their expiry are ended (reason "expired"), milliseconds; 0 = never. */
  sessionSweepMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['on', 'true', '1', 'yes'].includes(raw)) return true;
    if (['off', 'false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be "on" or "off" (got "${env[name]}")`);
    return fallback;
  };

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');

  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !validRedisUrl(redisUrl))
    problems.push('REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379');

  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel))
    problems.push(
      `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}")`,
    );

  let admin: Config['admin'];
  if (env.ADMIN_EMAIL || env.ADMIN_PASSWORD) {
    if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD)
      problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
    else admin = { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD };
  }

  const accessTokenTtl = int('ACCESS_TOKEN_TTL', 900, 30, 86_400);
  const activityFlushMs = int('SESSION_ACTIVITY_FLUSH_MS', 30_000, 100, 600_000);
  const sessionPolicy = sessionPolicyConfig(env, int, problems, accessTokenTtl, activityFlushMs);
  const sessionTtl = sessionPolicy.absoluteTtl;

  const webhooks = webhookConfig(env, int, problems);
  const sessionSweepMs = int('SESSION_SWEEP_INTERVAL_MS', 60_000, 0, 86_400_000);

  const config: Config = {
    port: int('PORT', 3000, 0, 65_535),
    host: env.HOST || '0.0.0.0',
    dataDir: env.DATA_DIR || './data',
    databaseUrl,
    accessTokenTtl,
    sessionTtl,
    sessionPolicy,
    activityFlushMs,
    rateLimits: {
      enabled: flag('RATE_LIMITS', true),
      windowMs: int('RATE_LIMIT_WINDOW', 60, 1, 86_400) * 1000,
      perIp: int('RATE_LIMIT_PER_IP', 100, 1, 1_000_000),
      perAccount: int('RATE_LIMIT_PER_ACCOUNT', 10, 1, 1_000_000),
      backoffAfter: int('LOGIN_BACKOFF_AFTER', 5, 1, 1000),
      backoffMaxMs: int('LOGIN_BACKOFF_MAX', 300, 1, 3600) * 1000,
      redisUrl,
    },
    bodyLimit: int('BODY_LIMIT', 16_384, 1024, 1_048_576),
    trustProxy: flag('TRUST_PROXY', false),
    logLevel,
    accessLog: flag('ACCESS_LOG', false),
    admin,
    webhooks,
    sessionSweepMs,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

type IntReader = (name: string, fallback: number, min: number, max: number) => number;

/**
 * SPEC §7. REFRESH_TOKEN_TTL, the absolute lifetime's former name, still works
 * as an alias of SESSION_ABSOLUTE_TTL (both set to different values is refused).
 */
function sessionPolicyConfig(
  env: Env,
  int: IntReader,
  problems: string[],
  accessTokenTtl: number,
  activityFlushMs: number,
): SessionPolicy {
  const YEAR = 31_536_000;
  const legacy = int('REFRESH_TOKEN_TTL', 2_592_000, 60, YEAR);
  const absoluteTtl = int('SESSION_ABSOLUTE_TTL', legacy, 60, YEAR);
  if (env.SESSION_ABSOLUTE_TTL && env.REFRESH_TOKEN_TTL && absoluteTtl !== legacy)
    problems.push(
      'SESSION_ABSOLUTE_TTL and REFRESH_TOKEN_TTL (its former name) are both set, to different values; set only SESSION_ABSOLUTE_TTL',
    );
  const absName = env.SESSION_ABSOLUTE_TTL ? 'SESSION_ABSOLUTE_TTL' : 'REFRESH_TOKEN_TTL';
  if (absoluteTtl < accessTokenTtl) problems.push(`${absName} must not be shorter than ACCESS_TOKEN_TTL`);
  const idleTtl = int('SESSION_IDLE_TTL', Math.min(14 * 86_400, absoluteTtl), 60, YEAR);
  // Use seen by another instance reaches the database up to one flush interval late; a token
  // issued before the idle limit may be used until it expires. Shorter than both, an idle
  // timeout could end a session that is in use.
  if (idleTtl < absoluteTtl && idleTtl * 1000 < accessTokenTtl * 1000 + activityFlushMs)
    problems.push(
      'SESSION_IDLE_TTL must be at least ACCESS_TOKEN_TTL plus SESSION_ACTIVITY_FLUSH_MS (a session in use must not look idle)',
    );
  const shortTtl = int('SESSION_SHORT_TTL', Math.min(12 * 3600, absoluteTtl), 60, YEAR);
  if (shortTtl > absoluteTtl) problems.push(`SESSION_SHORT_TTL must not be longer than ${absName}`);
  if (shortTtl < accessTokenTtl) problems.push('SESSION_SHORT_TTL must not be shorter than ACCESS_TOKEN_TTL');
  const rawMax = env.MAX_SESSIONS_PER_USER;
  const maxPerUser =
    rawMax === undefined || rawMax === '' || rawMax.toLowerCase() === 'unlimited'
      ? null
      : int('MAX_SESSIONS_PER_USER', 0, 1, 100_000);
  const rawPolicy = env.SESSION_LIMIT_POLICY || 'evict_oldest';
  let limitPolicy: SessionLimitPolicy = 'evict_oldest';
  if ((SESSION_LIMIT_POLICIES as readonly string[]).includes(rawPolicy))
    limitPolicy = rawPolicy as SessionLimitPolicy;
  else
    problems.push(
      `SESSION_LIMIT_POLICY must be one of ${SESSION_LIMIT_POLICIES.join(', ')} (got "${rawPolicy}")`,
    );
  return {
    absoluteTtl,
    idleTtl,
    shortTtl,
    maxPerUser,
    limitPolicy,
    freshAuthMaxAge: int('FRESH_AUTH_MAX_AGE', 600, 10, 86_400),
  };
}

function webhookConfig(env: Env, int: IntReader, problems: string[]): WebhookConfig {
  let endpoint: WebhookConfig['endpoint'];
  const { WEBHOOK_URL: url, WEBHOOK_SECRET: secret } = env;
  if (url || secret) {
    if (!url || !secret) problems.push('WEBHOOK_URL and WEBHOOK_SECRET must be set together');
    else {
      const urlProblem = webhookUrlProblem(url);
      if (urlProblem) problems.push(`WEBHOOK_URL ${urlProblem}`);
      if (secret.length < 16)
        problems.push('WEBHOOK_SECRET must be at least 16 characters (receivers verify signatures with it)');
      if (!urlProblem && secret.length >= 16) endpoint = { url, secret };
    }
  }
  const retryBaseMs = int('WEBHOOK_RETRY_BASE_MS', 10_000, 10, 3_600_000);
  const retryMaxMs = int('WEBHOOK_RETRY_MAX_MS', 3_600_000, 10, 86_400_000);
  if (retryMaxMs < retryBaseMs)
    problems.push('WEBHOOK_RETRY_MAX_MS must not be less than WEBHOOK_RETRY_BASE_MS');
  return {
    endpoint,
    maxAttempts: int('WEBHOOK_MAX_ATTEMPTS', 15, 1, 100),
    timeoutMs: int('WEBHOOK_TIMEOUT_MS', 5000, 100, 60_000),
    retryBaseMs,
    retryMaxMs,
    pollMs: int('WEBHOOK_POLL_MS', 500, 10, 60_000),
    retentionMs: int('WEBHOOK_DELIVERY_RETENTION', 7 * 86_400, 60, 366 * 86_400) * 1000,
    pruneMs: int('WEBHOOK_PRUNE_INTERVAL_MS', 3_600_000, 0, 86_400_000),
  };
}

function validRedisUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}
