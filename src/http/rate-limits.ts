import rateLimit from '@fastify/rate-limit';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
  onSendHookHandler,
  preHandlerAsyncHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { RateLimitConfig } from '../config.js';
import { AppError } from '../domain/errors.js';
import { normalizeEmail } from '../domain/users.js';
import { redactUrl } from '../startup-errors.js';
import { addressKey } from './address-key.js';
import {
  type FailureCounter,
  FallbackFailureCounter,
  LoginBackoff,
  MemoryFailureCounter,
  RedisFailureCounter,
} from './login-backoff.js';

export interface CredentialLimits {
  /** Per client address, shared by every credential endpoint; runs before the body is read. */
  perIp: onRequestAsyncHookHandler[];
  /**
   * Login (and its second step, reauthentication, password change), after validation: the
   * per-account limit (slows guessing one password or code from many addresses) and the
   * failed-login backoff.
   */
  perAccount: preHandlerAsyncHookHandler[];
  /** Login only: tells the backoff how the attempt ended, before the answer leaves. */
  loginOutcome: onSendHookHandler[];
  /**
   * After validation: mails asked for per address (body `email` or `newEmail`), whoever
   * asks and whether or not an account has it, so nobody can flood one mailbox.
   */
  perMailAddress: preHandlerAsyncHookHandler[];
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Limits on the endpoints that take credentials. Off with RATE_LIMITS=off
 * (load tests); then every list is empty and the routes carry no hook.
 *
 * Counters live in this process, or in Redis (REDIS_URL) so that several
 * instances share them. If Redis cannot be reached, requests are not refused
 * for it: the rate limits let requests through and the login backoff falls
 * back to this process's counts, with a warning in the log (availability of
 * logins over strictness of throttling; argon2 still makes every guess cost).
 */
export const credentialLimits = fp(
  async (app: FastifyInstance, config: RateLimitConfig) => {
    app.decorate('credentialLimits', await createLimits(app, config));
  },
  { name: 'gatehouse-credential-limits', fastify: '5.x', dependencies: ['gatehouse-error-envelope'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** The hooks credential routes put in front of their handlers (credentialLimits). */
    credentialLimits: CredentialLimits;
  }
}

async function createLimits(app: FastifyInstance, config: RateLimitConfig): Promise<CredentialLimits> {
  if (!config.enabled) return { perIp: [], perAccount: [], loginOutcome: [], perMailAddress: [] };
  const outage = redisOutageLog(app, config.redisUrl);
  const warn = outage.failed;
  const redis = config.redisUrl
    ? await connectRedis(app, config.redisUrl, config.redisCommandTimeoutMs, outage)
    : undefined;

  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'gatehouse:rate-limit:' } : {}),
  });
  const perIp = app.createRateLimit({
    max: config.perIp,
    timeWindow: config.windowMs,
    keyGenerator: (request: FastifyRequest) => `ip:${addressKey(request.ip)}`,
  });
  const perAccount = app.createRateLimit({
    max: config.perAccount,
    timeWindow: config.windowMs,
    keyGenerator: (request: FastifyRequest) => {
      const email = emailOf(request);
      return email === undefined ? `ip:${addressKey(request.ip)}` : `account:${normalizeEmail(email)}`;
    },
  });

  const perMailAddress = app.createRateLimit({
    max: config.mailPerAddress,
    timeWindow: config.mailWindowMs,
    keyGenerator: (request: FastifyRequest) => {
      const body = request.body as { email?: unknown; newEmail?: unknown } | undefined;
      const email = body?.email ?? body?.newEmail;
      return typeof email === 'string' ? `mail:${normalizeEmail(email)}` : `ip:${addressKey(request.ip)}`;
    },
  });

  const local = new MemoryFailureCounter();
  const counter: FailureCounter = redis
    ? new FallbackFailureCounter(new RedisFailureCounter(redis), local, warn)
    : local;
  const backoff = new LoginBackoff({ after: config.backoffAfter, maxMs: config.backoffMaxMs }, counter);

  const reserved = new WeakSet<FastifyRequest>();
  return {
    perIp: [limitHook(perIp, warn)],
    perAccount: [limitHook(perAccount, warn), backoffHook(backoff, reserved)],
    loginOutcome: [outcomeHook(backoff, reserved, warn)],
    perMailAddress: [limitHook(perMailAddress, warn)],
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** A login's second step: the account its mfaToken belongs to (second-factor-login.ts sets it). */
    secondStepEmail: string | null;
    /**
     * A right password whose login waits for its second factor: not yet a success, so it
     * does not reset the account's failed-login count (the wrong codes that may follow do count).
     */
    secondFactorPending: boolean;
  }
}

/**
 * The account a request concerns: the email in a login body, else that of a
 * second step's mfaToken, else the caller's (a password change, a reauthentication).
 */
const emailOf = (request: FastifyRequest): string | undefined => {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  if (typeof email === 'string') return email;
  return request.secondStepEmail ?? request.caller?.email;
};

// @fastify/rate-limit's own route hook marks a request as limited after the first
// limiter ran, so a second one (per account after per address) never counted.
// Calling its limiters directly applies both.
function limitHook(limit: Limiter, warn: (err: unknown) => void) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    let result: Awaited<ReturnType<Limiter>>;
    try {
      result = await limit(request);
    } catch (err) {
      warn(err); // the counter store is unreachable: let the request through
      return;
    }
    if (result.isAllowed) return;
    reply.header('x-ratelimit-limit', result.max);
    reply.header('x-ratelimit-remaining', result.remaining);
    reply.header('x-ratelimit-reset', result.ttlInSeconds);
    if (result.isExceeded) {
      const seconds = Math.max(1, result.ttlInSeconds);
      throw new AppError('RATE_LIMITED', `Too many requests; retry in ${seconds} s`, { retryAfter: seconds });
    }
  };
}

/** Login and password change: an attempt is reserved (counted) before the password is checked. */
function backoffHook(backoff: LoginBackoff, reserved: WeakSet<FastifyRequest>) {
  return async (request: FastifyRequest): Promise<void> => {
    const email = emailOf(request);
    if (email === undefined) return;
    const wait = await backoff.attempt(email);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new AppError('RATE_LIMITED', `Too many failed logins for this account; retry in ${seconds} s`, {
        retryAfter: seconds,
      });
    }
    reserved.add(request);
  };
}

/**
 * Settles the reservation before the answer leaves: 200 resets, 401 keeps it as a failure, else
 * it is given back (so is a right password still waiting for its second factor).
 */
function outcomeHook(
  backoff: LoginBackoff,
  reserved: WeakSet<FastifyRequest>,
  warn: (err: unknown) => void,
): onSendHookHandler {
  return (request, reply, payload, done) => {
    const email = emailOf(request);
    if (email === undefined || !reserved.delete(request) || reply.statusCode === 401)
      return done(null, payload);
    const succeeded = reply.statusCode === 200 && !request.secondFactorPending;
    (succeeded ? backoff.succeeded(email) : backoff.abandoned(email)).then(
      () => done(null, payload),
      (err) => {
        warn(err);
        done(null, payload);
      },
    );
  };
}

async function connectRedis(
  app: FastifyInstance,
  url: string,
  commandTimeout: number,
  outage: RedisOutageLog,
): Promise<Redis> {
  // Loaded only when REDIS_URL is set: the client library is ~20 MB of an idle instance's memory.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    // Bounded waits: a slow or absent Redis must not hold a login.
    connectTimeout: 1000,
    commandTimeout,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(2000, 50 * 2 ** attempt),
  });
  redis.on('error', outage.failed);
  redis.on('ready', outage.recovered);
  app.addHook('onClose', async () => {
    redis.disconnect();
  });
  await redis.connect().catch(outage.failed); // keeps retrying in the background
  return redis;
}

interface RedisOutageLog {
  failed(err: unknown): void;
  recovered(): void;
}

/**
 * One line when Redis becomes unreachable (no stack: the cause is a network condition, not a
 * bug) and one when it is back; nothing in between, however long ioredis keeps retrying.
 */
function redisOutageLog(app: FastifyInstance, url: string | undefined): RedisOutageLog {
  let down = false;
  return {
    failed(err) {
      if (down) return;
      down = true;
      app.log.warn(
        { redis: url ? redactUrl(url) : undefined, cause: err instanceof Error ? err.message : String(err) },
        'Redis (REDIS_URL) is unreachable: rate-limit and login-backoff counts are kept by this instance alone until it is back',
      );
    },
    recovered() {
      if (!down) return;
      down = false;
      app.log.info(
        { redis: url ? redactUrl(url) : undefined },
        'Redis (REDIS_URL) is reachable again: counts are shared again',
      );
    },
  };
}
