import { createHash, randomBytes } from 'node:crypto';

/** How long a mailed link works (docs/api.md §8). */
export const VERIFY_TOKEN_TTL_MS = 24 * 3600 * 1000;
export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;

/** The form of every mailed token: 256 random bits, base64url (43 characters). */
export const MAIL_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';

/** A new single-use token for a link; only its hash is stored. */
export function newMailToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashMailToken(token) };
}

/**
 * SHA-256, as for refresh tokens: the token has 256 bits of entropy, so a fast
 * hash reveals nothing, and looking a row up by its hash compares digests, not
 * secrets, so the lookup leaks nothing through timing.
 */
export function hashMailToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * What a reset token remembers of the password it may replace: a digest of the
 * stored hash. Any change of the password (a reset, POST /auth/password, the
 * CLI) changes the hash (a new salt each time), so every reset token issued
 * before it stops matching: one rule, whatever path changed the password.
 */
export function passwordStamp(passwordHash: string): Buffer {
  return createHash('sha256').update(passwordHash).digest();
}
