/** Environment → typed, validated configuration. The only place that reads process.env. */

import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { webhookUrlProblem } from './domain/events.js';
import { parseSessionPolicy, type SessionPolicy, wholeNumbers } from './domain/policy.js';
import type { SecondFactorConfig } from './mfa/model.js';

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
  /**
   * REDIS_COMMAND_TIMEOUT_MS: how long a count waits for Redis before the request goes on
   * uncounted (a slow Redis must not hold a login; docs/security.md).
   */
  redisCommandTimeoutMs: number;
  /** Mails asked for per address (forgot, resend, email change) per mailWindowMs, whoever asks. */
  mailPerAddress: number;
  mailWindowMs: number;
}

/**
 * Instances sharing PostgreSQL and the revocation barrier (docs/architecture.md,
 * "The revocation barrier"). Ignored on the embedded store, which is one instance.
 */
export interface LeaseConfig {
  /** LEASE_MS: how long a renewed lease lasts; an instance that fails to renew for this long fences itself. */
  leaseMs: number;
  /** LEASE_RENEW_MS: how often the lease is renewed; must be shorter than the lease. */
  renewMs: number;
  /** LEASE_MARGIN_MS: what a waiting instance adds to another's lease expiry before it treats it as lapsed. */
  marginMs: number;
  /**
   * REVOCATION_BARRIER=off answers endings without waiting for the other
   * instances. Unsafe: another instance may accept an ended token for a few
   * milliseconds after the 200. For tests that show the barrier matters.
   */
  barrier: boolean;
  /** INSTANCE_ADDRESS: how operators reach this instance, shown by `gatehouse instances` (default host:port). */
  address: string | undefined;
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
  /** WEBHOOK_ALLOW_PRIVATE: targets on loopback, link-local and private addresses are allowed (off: refused). */
  allowPrivate: boolean;
}

/** Outgoing mail (docs/api.md §8, src/mail/). */
export interface MailConfig {
  /** MAIL_URL: smtp:// or smtps:// (user and password in the URL); unset: .eml files in DATA_DIR/mail. */
  url: string | undefined;
  /** MAIL_FROM: the From header, e.g. "Gatehouse <no-reply@example.com>". */
  from: string;
  /** MAIL_MAX_ATTEMPTS: attempts per message before it is given up (dead). */
  maxAttempts: number;
  /** MAIL_RETRY_BASE_MS / MAIL_RETRY_MAX_MS: the first retry delay, doubling per attempt (with jitter) up to the maximum. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** MAIL_POLL_MS: how often the outbox is looked at (it is also woken when this instance queues a message). */
  pollMs: number;
  /** MAIL_TIMEOUT_MS: one SMTP conversation's connection and socket timeouts. */
  timeoutMs: number;
  /** MAIL_RETENTION (seconds): sent and dead messages are kept this long for `gatehouse mail list`. */
  retentionMs: number;
}

/** Who may read GET /metrics (src/http/metrics.ts); with neither it is not served. */
export interface MetricsConfig {
  /** METRICS_TOKEN: /metrics asks for `Authorization: Bearer <token>`. */
  token: string | undefined;
  /** METRICS_PORT (+ METRICS_HOST): /metrics is served on a listener of its own, not on PORT. */
  listen: { host: string; port: number } | undefined;
}

/** What one client may hold on the server: timeouts and connection caps (slow or greedy clients). */
export interface ConnectionConfig {
  /** HEADERS_TIMEOUT_MS: all request headers must arrive within this. */
  headersTimeoutMs: number;
  /** REQUEST_TIMEOUT_MS: the whole request, body included, must arrive within this. */
  requestTimeoutMs: number;
  /** KEEP_ALIVE_TIMEOUT_MS: an idle kept-alive connection closes after this. */
  keepAliveTimeoutMs: number;
  /** IDLE_TIMEOUT_MS: a connection with no traffic either way closes after this. */
  idleTimeoutMs: number;
  /** MAX_CONNECTIONS: open connections to this instance, in all. */
  max: number;
  /** MAX_CONNECTIONS_PER_ADDRESS: open connections from one peer address (trusted proxies exempt); 0 = no cap. */
  perAddress: number;
}

/** GET /auth/events (docs/events.md): how many streams, and for how long. */
export interface EventStreamConfig {
  /** EVENT_STREAMS_PER_USER: open streams of one account, across its sessions. */
  perUser: number;
  /** EVENT_STREAMS_MAX: open streams on this instance. */
  max: number;
  /** EVENT_STREAM_MAX_AGE: a stream closes (event stream.timeout) after this, ms; the client reconnects. */
  maxAgeMs: number;
  /** EVENT_STREAM_HEARTBEAT: a comment line this often; a client that has not read the last one is dropped. */
  heartbeatMs: number;
}

export type { SecondFactorConfig } from './mfa/model.js';

export interface Config {
  port: number;
  secondFactors: SecondFactorConfig;
  host: string;
  /** Embedded store directory; used when databaseUrl is not set. */
  dataDir: string;
  databaseUrl: string | undefined;
  accessTokenTtl: number;
  /** Absolute session lifetime, seconds (SESSION_ABSOLUTE_TTL, formerly REFRESH_TOKEN_TTL). */
  sessionTtl: number;
  /** REFRESH_REUSE_GRACE, seconds; 0 = off (docs/security.md). */
  refreshReuseGrace: number;
  /** docs/api.md §7: lifetimes, idle timeout, session limit, fresh proof. */
  sessionPolicy: SessionPolicy;
  /** How often this instance writes the "last used" times it has noted, milliseconds. */
  activityFlushMs: number;
  /** MEMORY_TRIM_IDLE_MS: memory is given back after a quiet interval this long following work; 0 = never (src/jobs/memory-trim.ts). */
  memoryTrimIdleMs: number;
  rateLimits: RateLimitConfig;
  bodyLimit: number;
  connections: ConnectionConfig;
  eventStreams: EventStreamConfig;
  /**
   * TRUST_PROXY: which peers may tell the client's address (X-Forwarded-For) and scheme
   * (X-Forwarded-Proto): false (none), a number of proxy hops, or proxy addresses/CIDRs.
   */
  trustProxy: TrustProxy;
  logLevel: string;
  /** Password hashing in flight (src/domain/hashing-queue.ts): HASH_CONCURRENCY, HASH_QUEUE_MAX, HASH_SHED_DELAY_MS. */
  hashing: { concurrency: number; queueMax: number; shedDelayMs: number };
  /** One info line per request (src/http/access-log.ts). */
  accessLog: boolean;
  /** Bootstrap: make sure this admin exists on start (ADMIN_EMAIL + ADMIN_PASSWORD). */
  admin: { email: string; password: string } | undefined;
  webhooks: WebhookConfig;
  /** How often sessions past their expiry are ended (reason "expired"), milliseconds; 0 = never. */
  sessionSweepMs: number;
  leases: LeaseConfig;
  metrics: MetricsConfig;
  /** PUBLIC_URL: where people reach Gatehouse (default http://localhost:PORT); the links in mails point there, and WebAuthn's origin and RP ID come from it. */
  publicUrl: string;
  /** REQUIRE_VERIFIED_EMAIL: login of an account whose address is not verified is refused (403). */
  requireVerifiedEmail: boolean;
  mail: MailConfig;
  /** OIDC_ISSUER: the OpenID Provider's issuer, this server's public origin; null = the provider is off (docs/oidc.md). */
  oidc: { issuer: string } | null;
}

export type TrustProxy = false | number | string[];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const int = wholeNumbers(env, problems);
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
  const policy = parseSessionPolicy(env, { accessTokenTtl, activityFlushMs });
  problems.push(...policy.problems);
  const sessionPolicy = policy.policy;
  const sessionTtl = sessionPolicy.absoluteTtl;

  const webhooks = webhookConfig(env, int, problems, flag('WEBHOOK_ALLOW_PRIVATE', false));
  const sessionSweepMs = int('SESSION_SWEEP_INTERVAL_MS', 60_000, 0, 86_400_000);
  const memoryTrimIdleMs = int('MEMORY_TRIM_IDLE_MS', 5_000, 0, 3_600_000);
  const leases = leaseConfig(env, int, flag, problems);

  const port = int('PORT', 3000, 0, 65_535);
  const metrics = metricsConfig(env, int, problems, port);
  const publicUrl = publicUrlConfig(env.PUBLIC_URL, port, problems);
  const config: Config = {
    port,
    secondFactors: secondFactorConfig(env, publicUrl, problems),
    host: env.HOST || '0.0.0.0',
    dataDir: env.DATA_DIR || './data',
    databaseUrl,
    accessTokenTtl,
    sessionTtl,
    refreshReuseGrace: int('REFRESH_REUSE_GRACE', 0, 0, 60),
    sessionPolicy,
    activityFlushMs,
    memoryTrimIdleMs,
    rateLimits: {
      enabled: flag('RATE_LIMITS', true),
      windowMs: int('RATE_LIMIT_WINDOW', 60, 1, 86_400) * 1000,
      perIp: int('RATE_LIMIT_PER_IP', 100, 1, 1_000_000),
      perAccount: int('RATE_LIMIT_PER_ACCOUNT', 10, 1, 1_000_000),
      backoffAfter: int('LOGIN_BACKOFF_AFTER', 5, 1, 1000),
      backoffMaxMs: int('LOGIN_BACKOFF_MAX', 300, 1, 3600) * 1000,
      redisUrl,
      redisCommandTimeoutMs: int('REDIS_COMMAND_TIMEOUT_MS', 500, 10, 60_000),
      mailPerAddress: int('RATE_LIMIT_MAIL_PER_ADDRESS', 5, 1, 1_000_000),
      mailWindowMs: int('RATE_LIMIT_MAIL_WINDOW', 3600, 1, 86_400) * 1000,
    },
    bodyLimit: int('BODY_LIMIT', 16_384, 1024, 1_048_576),
    hashing: {
      concurrency: int('HASH_CONCURRENCY', Math.max(1, availableParallelism() - 1), 1, 256),
      queueMax: int('HASH_QUEUE_MAX', 64, 0, 100_000),
      shedDelayMs: int('HASH_SHED_DELAY_MS', 250, 0, 10_000),
    },
    connections: connectionConfig(int, problems),
    eventStreams: {
      perUser: int('EVENT_STREAMS_PER_USER', 20, 1, 10_000),
      max: int('EVENT_STREAMS_MAX', 1000, 1, 1_000_000),
      maxAgeMs: int('EVENT_STREAM_MAX_AGE', 3600, 1, 86_400) * 1000,
      heartbeatMs: int('EVENT_STREAM_HEARTBEAT', 15, 1, 300) * 1000,
    },
    trustProxy: trustProxyConfig(env.TRUST_PROXY, problems),
    logLevel,
    accessLog: flag('ACCESS_LOG', false),
    admin,
    webhooks,
    sessionSweepMs,
    leases,
    metrics,
    publicUrl,
    requireVerifiedEmail: flag('REQUIRE_VERIFIED_EMAIL', false),
    mail: mailConfig(env, int, problems, publicUrl),
    oidc: oidcConfig(env.OIDC_ISSUER, problems),
  };
  // A quiet stream's only traffic is its heartbeat: the idle timeout would otherwise cut it.
  if (config.eventStreams.heartbeatMs >= config.connections.idleTimeoutMs)
    problems.push('EVENT_STREAM_HEARTBEAT must be shorter than IDLE_TIMEOUT_MS (in seconds and ms)');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function connectionConfig(
  int: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
): ConnectionConfig {
  const headersTimeoutMs = int('HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = int('REQUEST_TIMEOUT_MS', 30_000, 100, 600_000);
  // Node refuses a headers timeout longer than the request timeout.
  if (headersTimeoutMs > requestTimeoutMs)
    problems.push('HEADERS_TIMEOUT_MS must not be longer than REQUEST_TIMEOUT_MS');
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: int('KEEP_ALIVE_TIMEOUT_MS', 72_000, 100, 600_000),
    idleTimeoutMs: int('IDLE_TIMEOUT_MS', 60_000, 100, 3_600_000),
    max: int('MAX_CONNECTIONS', 10_000, 1, 1_000_000),
    perAddress: int('MAX_CONNECTIONS_PER_ADDRESS', 100, 0, 1_000_000),
  };
}

type IntReader = (name: string, fallback: number, min: number, max: number) => number;

function webhookConfig(env: Env, int: IntReader, problems: string[], allowPrivate: boolean): WebhookConfig {
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
    retentionMs: int('WEBHOOK_DELIVERY_RETENTION', 7 * 86_400, 60, 366 * 86_400) * 1000,
    pruneMs: int('WEBHOOK_PRUNE_INTERVAL_MS', 3_600_000, 0, 86_400_000),
    allowPrivate,
  };
}

function leaseConfig(
  env: Env,
  int: (name: string, fallback: number, min: number, max: number) => number,
  flag: (name: string, fallback: boolean) => boolean,
  problems: string[],
): LeaseConfig {
  const leaseMs = int('LEASE_MS', 1000, 100, 60_000);
  const renewMs = int('LEASE_RENEW_MS', 250, 10, 60_000);
  // A renewal that comes only as the lease runs out leaves no room for one slow round trip.
  if (renewMs >= leaseMs)
    problems.push(
      `LEASE_RENEW_MS (${renewMs}) must be shorter than LEASE_MS (${leaseMs}); renew well before the lease lapses, e.g. a quarter of it`,
    );
  return {
    leaseMs,
    renewMs,
    marginMs: int('LEASE_MARGIN_MS', 100, 0, 60_000),
    barrier: flag('REVOCATION_BARRIER', true),
    address: env.INSTANCE_ADDRESS || undefined,
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

/** PUBLIC_URL: an absolute http(s) origin, maybe with a path; kept without a trailing slash. */
function publicUrlConfig(raw: string | undefined, port: number, problems: string[]): string {
  if (!raw) return `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`PUBLIC_URL must be an absolute http:// or https:// URL (got "${raw}")`);
    return `http://localhost:${port}`;
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  )
    problems.push(
      `PUBLIC_URL must be an http:// or https:// URL without credentials, query or fragment (got "${raw}")`,
    );
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function mailConfig(env: Env, int: IntReader, problems: string[], publicUrl: string): MailConfig {
  const url = env.MAIL_URL || undefined;
  if (url) {
    let protocol = '';
    try {
      protocol = new URL(url).protocol;
    } catch {}
    if (protocol !== 'smtp:' && protocol !== 'smtps:')
      problems.push(
        'MAIL_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587',
      );
  }
  const from = env.MAIL_FROM || `Gatehouse <no-reply@${new URL(publicUrl).hostname}>`;
  // An address in angle brackets, or a bare one; no line breaks (header injection).
  if (!/^[^\r\n<>]*<[^\s<>@]+@[^\s<>@]+>$|^[^\s<>@]+@[^\s<>@]+$/.test(from))
    problems.push(`MAIL_FROM must be an address, e.g. "Gatehouse <no-reply@example.com>" (got "${from}")`);
  const retryBaseMs = int('MAIL_RETRY_BASE_MS', 30_000, 10, 3_600_000);
  const retryMaxMs = int('MAIL_RETRY_MAX_MS', 3_600_000, 10, 86_400_000);
  if (retryMaxMs < retryBaseMs) problems.push('MAIL_RETRY_MAX_MS must not be less than MAIL_RETRY_BASE_MS');
  return {
    url,
    from,
    maxAttempts: int('MAIL_MAX_ATTEMPTS', 30, 1, 1000),
    retryBaseMs,
    retryMaxMs,
    pollMs: int('MAIL_POLL_MS', 1000, 10, 60_000),
    timeoutMs: int('MAIL_TIMEOUT_MS', 30_000, 100, 600_000),
    retentionMs: int('MAIL_RETENTION', 7 * 86_400, 60, 366 * 86_400) * 1000,
  };
}

/**
 * WebAuthn binds a passkey to an RP ID (a domain) and accepts assertions only
 * from the expected origins, each of which must be the RP ID or a subdomain of it;
 * a mismatch is refused here rather than by every browser later.
 */
function secondFactorConfig(env: Env, publicUrl: string, problems: string[]): SecondFactorConfig {
  const totpIssuer = env.TOTP_ISSUER || 'Gatehouse';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (totpIssuer.length > 100 || /[\u0000-\u001f\u007f:]/.test(totpIssuer))
    problems.push('TOTP_ISSUER must be at most 100 characters, without control characters or ":"');
  const origins: string[] = [];
  const rawOrigins = env.WEBAUTHN_ORIGINS?.trim();
  for (const entry of rawOrigins ? rawOrigins.split(',').map((o) => o.trim()) : [publicUrl]) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {}
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      problems.push(`WEBAUTHN_ORIGINS must be a comma-separated list of http(s) origins (not "${entry}")`);
    else if (rawOrigins && url.origin !== entry.replace(/\/$/, ''))
      problems.push(
        `WEBAUTHN_ORIGINS entries must be origins, without a path (got "${entry}", meaning "${url.origin}")`,
      );
    else origins.push(url.origin);
  }
  const rpId = (env.WEBAUTHN_RP_ID || new URL(publicUrl).hostname).toLowerCase();
  if (!/^[a-z0-9.-]+$/.test(rpId) || rpId.startsWith('.') || rpId.endsWith('.'))
    problems.push(
      `WEBAUTHN_RP_ID must be a domain name such as example.com, without scheme or port (got "${rpId}")`,
    );
  else
    for (const origin of origins) {
      const host = new URL(origin).hostname;
      if (host !== rpId && !host.endsWith(`.${rpId}`))
        problems.push(
          `WEBAUTHN_RP_ID "${rpId}" must be the host of every WebAuthn origin or a parent domain of it; ${origin} is not (set WEBAUTHN_RP_ID, WEBAUTHN_ORIGINS or PUBLIC_URL)`,
        );
    }
  return { totpIssuer, rpId, rpName: env.WEBAUTHN_RP_NAME || totpIssuer, origins };
}

function validRedisUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * TRUST_PROXY. The client address is the right-most X-Forwarded-For entry that
 * is not a trusted proxy; everything left of it was written by the client.
 * "on" used to trust every hop (any client could name any address, and so
 * dodge per-address limits) and is refused, so an upgrade cannot keep that
 * meaning by accident.
 */
function trustProxyConfig(raw: string | undefined, problems: string[]): TrustProxy {
  const value = raw?.trim().toLowerCase() ?? '';
  if (['', 'off', 'false', 'no', '0'].includes(value)) return false;
  if (['on', 'true', 'yes'].includes(value)) {
    problems.push(
      `TRUST_PROXY=${raw} is no longer accepted (it trusted every X-Forwarded-For hop, so clients could choose their address): ` +
        'set the number of proxies in front of Gatehouse (TRUST_PROXY=1 for one reverse proxy) or their addresses (TRUST_PROXY=10.0.0.5,10.1.0.0/16)',
    );
    return false;
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10)
      problems.push(`TRUST_PROXY must be a proxy count from 1 to 10 or a list of addresses (got "${raw}")`);
    return hops;
  }
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !validProxyEntry(e));
  if (bad.length > 0)
    problems.push(
      `TRUST_PROXY must be off, a proxy count (1-10), or a comma-separated list of proxy addresses or CIDRs (not: ${bad.map((b) => `"${b}"`).join(', ')})`,
    );
  return entries;
}

function validProxyEntry(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * OIDC_ISSUER: the origin relying parties reach this server at (the `iss` of every token and
 * the base of every endpoint, so it must be exact). https://, or http:// on a loopback host for
 * development; no path, query or fragment, because discovery is served at the origin's root.
 */
function oidcConfig(raw: string | undefined, problems: string[]): Config['oidc'] {
  if (raw === undefined || raw === '') return null;
  const why = "OIDC_ISSUER must be this server's public origin, e.g. https://id.example.com";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${why} (got "${raw}")`);
    return null;
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    problems.push(`${why}: https://, or http:// only on a loopback host (got "${raw}")`);
  else if (
    url.pathname !== '/' ||
    url.search ||
    url.hash ||
    raw.includes('#') ||
    url.username ||
    url.password
  )
    problems.push(`${why}, with no path, query, fragment or credentials (got "${raw}")`);
  else return { issuer: url.origin };
  return null;
}
