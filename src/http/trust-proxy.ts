import type { FastifyServerOptions } from 'fastify';
import type { TrustProxy } from '../config.js';

/**
 * TRUST_PROXY as Fastify takes it. Fastify walks X-Forwarded-For from the
 * right (proxy-addr), starting at the socket peer, and stops at the first
 * address it does not trust: that one is request.ip. A hop count trusts the
 * socket peer and the next `n - 1` addresses; a list trusts those addresses.
 * Fastify's types omit the count, which its runtime takes as this function.
 */
export function trustProxyOption(trust: TrustProxy): FastifyServerOptions['trustProxy'] {
  if (typeof trust !== 'number') return trust;
  return (_address: string, hop: number) => hop < trust;
}
