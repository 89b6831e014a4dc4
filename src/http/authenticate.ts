import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Context } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import type { Caller } from '../domain/tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` on routes that require a bearer token. */
    caller: Caller | null;
  }
}

// RFC 6750 §2.1: "Bearer" (any case), one space, a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * onRequest hook turning `Authorization: Bearer <token>` into `request.caller`.
 * The hot path is two Map lookups: the verified-token cache and the set of
 * ended sessions. No database round-trip.
 */
export function authenticator(ctx: Context): onRequestHookHandler {
  return function authenticate(request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) {
    const header = request.headers.authorization;
    if (!header) return done(new AppError('UNAUTHORIZED', 'Missing bearer token'));
    const token = BEARER.exec(header)?.[1];
    if (!token)
      return done(new AppError('UNAUTHORIZED', 'Malformed Authorization header; expected "Bearer <token>"'));
    const cached = ctx.tokens.cached(token);
    if (cached) return done(admit(ctx, request, cached));
    ctx.tokens
      .verify(token)
      .then(
        (caller) =>
          done(
            caller
              ? admit(ctx, request, caller)
              : new AppError('UNAUTHORIZED', 'Invalid or expired bearer token'),
          ),
        done,
      );
  };
}

function admit(ctx: Context, request: FastifyRequest, caller: Caller): AppError | undefined {
  // We do not vouch for a token while we may have missed a revocation.
  if (!ctx.revocations.current)
    return new AppError(
      'SERVICE_UNAVAILABLE',
      'Session revocations are being resynchronised; retry shortly',
      {
        retryAfter: 1,
      },
    );
  if (ctx.revocations.isEnded(caller.sessionId)) return new AppError('UNAUTHORIZED', 'Session has ended');
  request.caller = caller;
  return undefined;
}

/** The authenticated caller; only for routes behind `authenticate`. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error('route is missing the authenticate hook');
  return request.caller;
}
