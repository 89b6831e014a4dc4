import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Context } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import type { Caller } from '../domain/tokens.js';
import { cookieNames, readCookie } from './cookies.js';
import { crossSiteRefusal, isUnsafeMethod } from './csrf.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` on routes that require a bearer token (or, where wired, the session cookie). */
    caller: Caller | null;
  }
}

// RFC 6750 §2.1: "Bearer" (any case), one space, a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export interface AuthenticatorOptions {
  /**
   * Also accept the account page's session cookie when there is no
   * Authorization header (src/http/cookies.ts). Unsafe methods then need a
   * same-origin request (src/http/csrf.ts). Bearer requests are unaffected.
   */
  cookie?: boolean;
}

/**
 * onRequest hook turning `Authorization: Bearer <token>` into `request.caller`.
 * The hot path is two Map lookups: the verified-token cache and the set of
 * ended sessions. No database round-trip, no regex, no signature check.
 */
export function authenticator(ctx: Context, opts: AuthenticatorOptions = {}): onRequestHookHandler {
  return function authenticate(request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) {
    const header = request.headers.authorization;
    if (!header) {
      if (!opts.cookie) return done(new AppError('UNAUTHORIZED', 'Missing bearer token'));
      const token = readCookie(request, cookieNames(request).session);
      if (!token) return done(new AppError('UNAUTHORIZED', 'Missing bearer token or session cookie'));
      const refusal = isUnsafeMethod(request.method) ? crossSiteRefusal(request) : null;
      if (refusal) return done(refusal);
      return check(ctx, request, token, 'Invalid or expired session cookie', done);
    }
    // The common case first: "Bearer <a token verified before>". A cached token passed the
    // syntax check below when it was first seen, so it needs neither the regex nor a signature.
    if (header.startsWith('Bearer ')) {
      const cached = ctx.tokens.cached(header.slice(7));
      if (cached) return done(admit(ctx, request, cached));
    }
    const token = BEARER.exec(header)?.[1];
    if (!token)
      return done(new AppError('UNAUTHORIZED', 'Malformed Authorization header; expected "Bearer <token>"'));
    check(ctx, request, token, 'Invalid or expired bearer token', done);
  };
}

function check(
  ctx: Context,
  request: FastifyRequest,
  token: string,
  invalid: string,
  done: (err?: Error) => void,
): void {
  const cached = ctx.tokens.cached(token);
  if (cached && !ctx.revocations.outlivesCover(cached)) {
    done(admit(ctx, request, cached));
    return;
  }
  (cached ? Promise.resolve(cached) : ctx.tokens.verify(token))
    .then(async (caller) => {
      if (!caller) return new AppError('UNAUTHORIZED', invalid);
      // Issued under a longer ACCESS_TOKEN_TTL than the revocation list covers: ask the database once.
      if (ctx.revocations.outlivesCover(caller)) {
        const session = await ctx.store.findSession(caller.sessionId);
        ctx.revocations.confirmOutliving(caller, session ? session.endedAt : new Date());
      }
      return admit(ctx, request, caller);
    })
    .then(done, done);
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
  // A use of the session for its idle timeout: a Map write, written to the database in batches.
  ctx.activity.note(caller.sessionId);
  return undefined;
}

/** The authenticated caller; only for routes behind `authenticate`. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error('route is missing the authenticate hook');
  return request.caller;
}
