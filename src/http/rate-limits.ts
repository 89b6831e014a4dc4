import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler, preHandlerHookHandler } from 'fastify';
import type { RateLimitConfig } from '../config.js';
import { AppError } from '../domain/errors.js';
import { normalizeEmail } from '../domain/users.js';

export interface CredentialLimits {
  /** Per client address, shared by every credential endpoint; runs before the body is read. */
  perIp: onRequestHookHandler[];
  /** Per account (the email in the body); runs after validation. Slows guessing one password from many addresses. */
  perAccount: preHandlerHookHandler[];
}

/**
 * Limits on the endpoints that take credentials. Off with RATE_LIMITS=off
 * (load tests); then both lists are empty and the routes carry no hook.
 */
export async function credentialLimits(
  app: FastifyInstance,
  config: RateLimitConfig,
): Promise<CredentialLimits> {
  if (!config.enabled) return { perIp: [], perAccount: [] };
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many requests; retry in ${context.after}`, {
        retryAfter: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  });
  const perIp = app.rateLimit({ max: config.perIp, timeWindow: config.windowMs });
  const perAccount = app.rateLimit({
    max: config.perAccount,
    timeWindow: config.windowMs,
    keyGenerator: (request: FastifyRequest) => {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      return typeof email === 'string' ? `account:${normalizeEmail(email)}` : `ip:${request.ip}`;
    },
  });
  return {
    perIp: [perIp as unknown as onRequestHookHandler],
    perAccount: [perAccount as unknown as preHandlerHookHandler],
  };
}
