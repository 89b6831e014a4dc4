import { BlockList, isIP } from 'node:net';
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

// proxy-addr's names for address ranges, which TRUST_PROXY accepts too.
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * Whether a socket peer is a trusted proxy: with a hop count every peer is
 * (the count starts at the socket), with a list those addresses, else none.
 */
export function trustedPeer(trust: TrustProxy): (address: string | undefined) => boolean {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return () => true;
  const list = new BlockList();
  for (const entry of trust.flatMap((e) => NAMED_RANGES[e] ?? [e])) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    if (!address) return false;
    // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d.
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}
