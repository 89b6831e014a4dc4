import { randomUUID } from 'node:crypto';

/**
 * A new session's id: a UUIDv7 (RFC 9562 §5.7), its first 48 bits the creation time in Unix
 * milliseconds, then the version, 74 random bits and the variant. Ids made close in time sort
 * close together, so the sessions primary key grows at its right edge instead of at random
 * pages, and sessions that end together (the sweeper ends those opened about one lifetime
 * ago) sit on a few neighbouring index pages: at a million users, a sweep batch's random
 * primary-key pages outgrew PostgreSQL's buffer cache (docs/performance.md, "The scale run").
 * The id reveals when the session was opened, which its owner already sees (createdAt) and
 * its access token already carries (`sct`); a session id is not a secret, and 74 random bits
 * still make it unguessable.
 */
export function newSessionId(now: number = Date.now()): string {
  const ms = now.toString(16).padStart(12, '0');
  // A v4 UUID's random bits (Node keeps a pool of them), the first 48 and the version replaced.
  const random = randomUUID();
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15)}`;
}
