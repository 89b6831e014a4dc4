import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets, authorization codes and refresh tokens: 256 random bits, stored only as
 * SHA-256. A fast hash is right for a secret with that much entropy (nothing can be guessed
 * from the hash), as for Gatehouse's own refresh tokens (domain/tokens.ts).
 */
export function newSecret(prefix = ''): { value: string; hash: Buffer } {
  const value = prefix + randomBytes(32).toString('base64url');
  return { value, hash: sha256(value) };
}

export const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Whether `presented` is the secret whose hash is stored. The digests are compared in
 * constant time, so how long the comparison takes says nothing about how much matched.
 */
export function secretMatches(presented: string, storedHash: Buffer): boolean {
  const digest = sha256(presented);
  return digest.length === storedHash.length && timingSafeEqual(digest, storedHash);
}
