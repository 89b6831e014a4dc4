import { createHash, randomBytes } from 'node:crypto';

/** A bearer secret handed out once (mfaToken, WebAuthn challengeId): 256 random bits, base64url. */
export function newOpaqueToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256(token) };
}

/**
 * Only SHA-256 hashes of these are stored. A fast hash is right for them (unlike
 * passwords): each has at least 50 random bits and is useless after minutes or
 * one use, so nothing can be guessed from a hash; and a lookup by hash compares
 * digests, not secrets, so timing leaks nothing about the secret.
 */
export const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
