import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from './errors.js';

// OWASP Password Storage Cheat Sheet, argon2id minimum: m=19 MiB, t=2, p=1.
// @node-rs/argon2 runs on libuv's thread pool, so hashing never blocks the event loop.
// `algorithm: 2` is Algorithm.Argon2id (a const enum, which isolated modules cannot import).
const PARAMS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
/** zxcvbn's scale: 3 is "safely unguessable: moderate protection from an offline slow-hash scenario". */
export const PASSWORD_MIN_SCORE = 3;
// The estimator's cost grows with length (~120 ms for 256 characters, ~2 ms for 64); a password
// whose first 64 characters are strong is strong, so only those are estimated.
const ESTIMATED_LENGTH = 64;

// The estimator with its language-neutral dictionary (~30,000 common passwords, names,
// keyboard layouts): NIST SP 800-63B asks us to refuse passwords from breach lists.
const estimator = new ZxcvbnFactory({
  dictionary,
  graphs: adjacencyGraphs,
  maxLength: ESTIMATED_LENGTH,
});

// The estimator's warnings are translation keys; these are the texts the 422 reports.
const WARNINGS: Record<string, string> = {
  straightRow: 'a straight row of keys on a keyboard',
  keyPattern: 'a short keyboard pattern',
  simpleRepeat: 'a repeated character',
  extendedRepeat: 'a repeated group of characters',
  sequences: 'a common character sequence such as "abc"',
  recentYears: 'a recent year',
  dates: 'a date',
  topTen: 'one of the ten most used passwords',
  topHundred: 'one of the hundred most used passwords',
  common: 'a commonly used password',
  similarToCommon: 'close to a commonly used password',
  wordByItself: 'a single word',
  namesByThemselves: 'a name on its own',
  commonNames: 'a common name',
  userInputs: 'built from the email address',
  pwned: 'a password found in data breaches',
};

/**
 * Passwords are hashed and verified as NFC: the same characters typed on a
 * keyboard that produces decomposed forms (NFD: "e" + U+0301) log in to an
 * account registered with precomposed ones ("é").
 */
const normalized = (password: string): string => password.normalize('NFC');

export function hashPassword(password: string): Promise<string> {
  return hash(normalized(password), PARAMS);
}

async function verifyOnce(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Checks the NFC form; accounts hashed before passwords were normalised may
 * hold another form, so when normalising changed the input the password as
 * typed is tried too (every path, the dummy one included, does the same
 * number of verifications for the same input, so timing tells nothing).
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  const nfc = normalized(password);
  if (await verifyOnce(passwordHash, nfc)) return true;
  return nfc !== password && (await verifyOnce(passwordHash, password));
}

let dummyHash: Promise<string> | undefined;
/**
 * Burns the same time as a real verification, for logins naming an unknown
 * email, so that timing does not tell which emails have accounts.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('gatehouse-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
  return false;
}

// With the u flag a surrogate pair is one code point, so this matches only a surrogate on its own.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Why a password cannot be read as text, or null. A lone surrogate is not a
 * character: hashing encodes every one as U+FFFD, so eight different lone
 * surrogates would count as eight characters and then match any other eight.
 */
export function passwordIllFormed(password: string): string | null {
  return LONE_SURROGATE.test(password)
    ? 'Password must be valid Unicode text (it holds a lone surrogate)'
    : null;
}

/** 422 for a password that is not valid Unicode text (passwords.ts); no account could have it. */
export function refuseIllFormed(password: string, path: string): void {
  const problem = passwordIllFormed(password);
  if (problem) throw new AppError('VALIDATION_ERROR', problem, { details: [{ path, message: problem }] });
}

/** Returns why a password is too weak, or null when it is acceptable. */
export function passwordWeakness(password: string, email?: string): string | null {
  const illFormed = passwordIllFormed(password);
  if (illFormed) return illFormed;
  const nfc = normalized(password);
  const length = [...nfc].length;
  if (length < PASSWORD_MIN) return `Password must be at least ${PASSWORD_MIN} characters long`;
  if (length > PASSWORD_MAX) return `Password must be at most ${PASSWORD_MAX} characters long`;
  const lower = nfc.toLowerCase();
  if (new Set(lower).size < 4) return 'Password must use at least 4 different characters';
  const address = email?.toLowerCase();
  const local = address?.split('@')[0];
  if (address && (lower === address || lower === local)) return 'Password must not be the email address';
  const { score, feedback } = estimator.check(nfc, address && local ? [address, local] : []);
  if (score >= PASSWORD_MIN_SCORE) return null;
  const why = (feedback.warning && WARNINGS[feedback.warning]) || 'too short for what it is made of';
  return `Password is too easy to guess: ${why}`;
}
