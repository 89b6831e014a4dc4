import { randomInt } from 'node:crypto';
import { sha256 } from './secrets.js';

export const RECOVERY_CODE_COUNT = 10;

// Crockford-style alphabet without 0/1/i/l/o/u: codes are read off paper and typed by hand.
const ALPHABET = 'abcdefghjkmnpqrstvwxyz23456789';
const GROUP = 5;

/**
 * Ten codes of 10 characters from a 30-letter alphabet (about 49 bits each),
 * shown as "xxxxx-xxxxx". That is far beyond guessing within the rate limits
 * and 5 tries per mfaToken, so a fast hash (SHA-256) stores them safely: a
 * stolen hash cannot be reversed by trying candidates, unlike a password's.
 */
export function newRecoveryCodes(): { codes: string[]; hashes: Buffer[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    let raw = '';
    for (let i = 0; i < GROUP * 2; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
    return `${raw.slice(0, GROUP)}-${raw.slice(GROUP)}`;
  });
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

/** Case, spaces and dashes do not matter: people copy these by hand. */
export function hashRecoveryCode(code: string): Buffer {
  return sha256(code.toLowerCase().replace(/[\s-]/g, ''));
}
