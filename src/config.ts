/** Environment → typed, validated configuration. The only place that reads process.env. */

import { availableParallelism } from 'node:os';
import { webhookUrlProblem } from './domain/events.js';

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
  /** WEBHOOK_ALLOW_PRIVATE: targets on loopback, link-local and private addresses are allowed (off: refused). */
  allowPrivate: boolean;
}

/** Who may read GET /metrics (src/http/metrics.ts); with neither it is not served. */
export interface MetricsConfig {
  /** METRICS_TOKEN: /metrics asks for `Authorization: Bearer <token>`. */
  token: string | undefined;
  /** METRICS_PORT (+ METRICS_HOST): /metrics is served on a listener of its own, not on PORT. */
  listen: { host: string; port: number } | undefined;
}

export interface Config {
  port: number;
  host: string;
  /** Embedded store directory; used when databaseUrl is not set. */
  dataDir: string;
  databaseUrl: string | undefined;
  accessTokenTtl: number;
  sessionTtl: number;
  /** REFRESH_REUSE_GRACE, seconds; 0 = off (docs/security.md). */
  refreshReuseGrace: number;
  rateLimits: RateLimitConfig;
  bodyLimit: number;
  trustProxy: boolean;
  logLevel: string;
  /** Password hashing in flight (src/domain/hashing-queue.ts): HASH_CONCURRENCY, HASH_QUEUE_MAX. */
  hashing: { concurrency: number; queueMax: number };
  /** One info line per request (src/http/access-log.ts). */
  accessLog: boolean;
  /** Bootstrap: make sure this admin exists on start (ADMIN_EMAIL + ADMIN_PASSWORD). */
  admin: { email: string; password: string } | undefined;
  webhooks: WebhookConfig;
  /** How often sessions past their expiry are ended (reason "expired"), milliseconds; 0 = never. */
  sessionSweepMs: number;
  metrics: MetricsConfig;
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
  const sessionTtl = int('REFRESH_TOKEN_TTL', 2_592_000, 60, 31_536_000);
  if (sessionTtl < accessTokenTtl)
    problems.push('REFRESH_TOKEN_TTL must not be shorter than ACCESS_TOKEN_TTL');

  const webhooks = webhookConfig(env, int, problems, flag('WEBHOOK_ALLOW_PRIVATE', false));
  const sessionSweepMs = int('SESSION_SWEEP_INTERVAL_MS', 60_000, 0, 86_400_000);

  const port = int('PORT', 3000, 0, 65_535);
  const metrics = metricsConfig(env, int, problems, port);

  const config: Config = {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir: env.DATA_DIR || './data',
    databaseUrl,
    accessTokenTtl,
    sessionTtl,
    refreshReuseGrace: int('REFRESH_REUSE_GRACE', 0, 0, 60),
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
    hashing: {
      concurrency: int('HASH_CONCURRENCY', Math.max(1, availableParallelism() - 1), 1, 256),
      queueMax: int('HASH_QUEUE_MAX', 64, 0, 100_000),
    },
    trustProxy: flag('TRUST_PROXY', false),
    logLevel,
    accessLog: flag('ACCESS_LOG', false),
    admin,
    webhooks,
    sessionSweepMs,
    metrics,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function webhookConfig(
  env: Env,
  int: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
  allowPrivate: boolean,
): WebhookConfig {
  let endpoint: WebhookConfig['endpoint'];
  const { WEBHOOK_URL: url, WEBHOOK_SECRET: secret } = env;
  if (url || secret) {
    if (!url || !secret) problems.push('WEBHOOK_URL and WEBHOOK_SECRET must be set together');
    else {
      const urlProblem = webhookUrlProblem(url, { allowPrivate });
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
    allowPrivate,
  };
}

function metricsConfig(
  env: Env,
  int: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
  apiPort: number,
): MetricsConfig {
  const token = env.METRICS_TOKEN || undefined;
  if (token !== undefined && !/^[\x21-\x7e]{16,512}$/.test(token))
    problems.push('METRICS_TOKEN must be 16 to 512 printable characters, without spaces');
  let listen: MetricsConfig['listen'];
  if (env.METRICS_PORT) {
    const port = int('METRICS_PORT', 0, 1, 65_535);
    if (port !== 0 && port === apiPort) problems.push('METRICS_PORT must differ from PORT');
    listen = { host: env.METRICS_HOST || '127.0.0.1', port };
  } else if (env.METRICS_HOST) problems.push('METRICS_HOST needs METRICS_PORT');
  return { token, listen };
}

function validRedisUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}
