import type { FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';

/**
 * Cross-site request forgery guard for requests a browser authenticates with
 * its session cookie. SameSite=Strict already keeps the cookie off cross-site
 * requests; this is the second lock, for browsers or setups where that fails
 * (a same-site but cross-origin page, an old browser). A request passes only
 * when the browser itself says it came from this origin:
 *
 *   - Sec-Fetch-Site, when sent (every current browser), must be "same-origin";
 *   - otherwise Origin must be this server's own origin;
 *   - a request with neither is refused: browsers send one of them on every
 *     unsafe request, and non-browser clients use bearer tokens instead.
 */
export function crossSiteRefusal(request: FastifyRequest): AppError | null {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined)
    return site === 'same-origin' ? null : refuse(`the request came from another site (${String(site)})`);
  const origin = request.headers.origin;
  if (origin === undefined) return refuse('the request has neither an Origin nor a Sec-Fetch-Site header');
  if (origin === `${request.protocol}://${request.host}`) return null;
  return refuse('the request came from another origin');
}

const refuse = (why: string) =>
  new AppError('FORBIDDEN', `Cookie-authenticated requests must come from this origin: ${why}`);

/** Unsafe methods are the ones a forged request could use to change something. */
export const isUnsafeMethod = (method: string): boolean =>
  method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';

/** onRequest hook for the account page's own endpoints (sign-in, refresh): same origin only. */
export async function requireSameOrigin(request: FastifyRequest): Promise<void> {
  const refusal = crossSiteRefusal(request);
  if (refusal) throw refusal;
}
