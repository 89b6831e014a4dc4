import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook must not reach unless the operator allows it
 * (WEBHOOK_ALLOW_PRIVATE=on): loopback, link-local (cloud metadata services
 * live at 169.254.169.254), private and shared ranges, and addresses that
 * are not one host (unspecified, multicast, broadcast, reserved). A webhook
 * URL is written by an operator, but a mistaken or malicious one must not
 * turn the dispatcher into a way into the network it runs in (SSRF).
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed by some)
  ['ff00::', 8], // multicast
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv6');

/** True for an address a webhook may not reach without WEBHOOK_ALLOW_PRIVATE; not an address at all counts too. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  // IPv4 carried in IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d): judged as that IPv4 address.
  const embedded = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(
    lower,
  );
  if (embedded) {
    if (embedded[1]) return isPrivateAddress(embedded[1]);
    const hi = Number.parseInt(embedded[2] as string, 16);
    const lo = Number.parseInt(embedded[3] as string, 16);
    return isPrivateAddress(`${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`);
  }
  return BLOCKED.check(address, 'ipv6');
}

/** A URL's host as an address when it is one (brackets of an IPv6 literal removed), else null. */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : null;
}

/** Names that mean this machine whatever DNS says (RFC 6761 §6.3). */
export const isLocalName = (hostname: string): boolean => /^localhost\.?$|\.localhost\.?$/i.test(hostname);
