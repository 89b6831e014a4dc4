import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The refresh reuse grace (REFRESH_REUSE_GRACE, docs/security.md): two tabs
 * that refresh with the same token at once must not end their own session.
 * The pair a refresh token was exchanged for is kept with the rotated token,
 * sealed (AES-256-GCM) under a key derived from that token, so that only
 * whoever presents the rotated token again can open it. The database holds
 * the token's SHA-256 (its lookup key) and this box: neither yields the key,
 * which comes from the token through HKDF with its own label, so a reader of
 * the database learns no usable token.
 */
export interface SealedPair {
  refreshToken: string;
  accessToken: string;
  /** When the access token expires, epoch ms (its expiresIn is what is left of it). */
  accessExpiresAt: number;
}

const LABEL = 'gatehouse refresh reuse grace v1';

const keyOf = (rotatedToken: string) =>
  Buffer.from(hkdfSync('sha256', rotatedToken, Buffer.alloc(0), LABEL, 32));

export function sealPair(rotatedToken: string, pair: SealedPair): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(rotatedToken), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(pair), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** The sealed pair, or null when the box does not open with this token (or was altered). */
export function openPair(rotatedToken: string, box: Buffer): SealedPair | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(rotatedToken), box.subarray(0, 12));
    decipher.setAuthTag(box.subarray(12, 28));
    const text = Buffer.concat([decipher.update(box.subarray(28)), decipher.final()]).toString('utf8');
    return JSON.parse(text) as SealedPair;
  } catch {
    return null;
  }
}
