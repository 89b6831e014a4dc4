/** Environment → typed, validated configuration. The only place that reads process.env. */

export interface RateLimitConfig {
  enabled: boolean;
  /** Window for every limit below, milliseconds. */
  windowMs: number;
  /** Requests per window per client address on credential endpoints (login, register, refresh, password). */
  perIp: number;
  /** Login attempts per window per account (email), from any address. */
  perAccount: number;
}

export interface Config {
  port: number;
  host: string;
  /** Embedded store directory; used when databaseUrl is not set. */
  dataDir: string;
  databaseUrl: string | undefined;
  accessTokenTtl: number;
  sessionTtl: number;
  rateLimits: RateLimitConfig;
  bodyLimit: number;
  trustProxy: boolean;
  logLevel: string;
  /** Bootstrap: make sure this admin exists on start (ADMIN_EMAIL + ADMIN_PASSWORD). */
  admin: { email: string; password: string } | undefined;
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

  const config: Config = {
    port: int('PORT', 3000, 0, 65_535),
    host: env.HOST || '0.0.0.0',
    dataDir: env.DATA_DIR || './data',
    databaseUrl,
    accessTokenTtl,
    sessionTtl,
    rateLimits: {
      enabled: flag('RATE_LIMITS', true),
      windowMs: int('RATE_LIMIT_WINDOW', 60, 1, 86_400) * 1000,
      perIp: int('RATE_LIMIT_PER_IP', 100, 1, 1_000_000),
      perAccount: int('RATE_LIMIT_PER_ACCOUNT', 10, 1, 1_000_000),
    },
    bodyLimit: int('BODY_LIMIT', 16_384, 1024, 1_048_576),
    trustProxy: flag('TRUST_PROXY', false),
    logLevel,
    admin,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
