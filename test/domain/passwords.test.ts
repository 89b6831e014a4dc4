import { describe, expect, it, vi } from 'vitest';
import {
  hashPassword,
  passwordWeakness,
  verifyAgainstDummy,
  verifyPassword,
} from '../../src/domain/passwords.js';

// The real argon2, at the production parameters (the other in-process tests hash cheaply:
// test/support/password-hashing.ts).
vi.unmock('@node-rs/argon2');

describe('passwords', () => {
  it('hashes with argon2id at the OWASP parameters (m=19456 KiB, t=2, p=1)', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapler')).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password here')).not.toBe(await hashPassword('same password here'));
  });

  it('answers false, not an exception, for a corrupt stored hash', async () => {
    expect(await verifyPassword('not-a-hash', 'whatever')).toBe(false);
  });

  it('runs a real verification for unknown accounts and always fails', async () => {
    const start = performance.now();
    expect(await verifyAgainstDummy('anything at all')).toBe(false);
    // Not a timing assertion: only that a hash computation happened at all (argon2id takes milliseconds).
    expect(performance.now() - start).toBeGreaterThan(2);
  });

  it.each([
    ['short', /at least 8/],
    ['x'.repeat(257), /at most 256/],
    ['password123', /too easy to guess: .*(common|most used)/],
    ['qwertyui', /too easy to guess/],
    ['abcdabcd', /too easy to guess: a repeated group/],
    ['letmein2024', /too easy to guess/],
    ['\uD800\uD801\uD802\uD803\uDC00\uDC01\uDC02\uDC03', /valid Unicode/],
    ['aaaaaaaaaaaa', /different characters/],
    ['me@example.test', /email/],
  ])('refuses %s', (pw, reason) => {
    expect(passwordWeakness(pw, 'me@example.test')).toMatch(reason);
  });

  it('refuses a password built from the email address', () => {
    expect(passwordWeakness('meridian2020', 'meridian@example.test')).toMatch(/too easy to guess/);
  });

  it('hashes and verifies the NFC form: a password typed as NFD matches one registered as NFC', async () => {
    const nfc = 'cr\u00e8me br\u00fbl\u00e9e au caf\u00e9';
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(await verifyPassword(await hashPassword(nfc), nfd)).toBe(true);
    expect(await verifyPassword(await hashPassword(nfd), nfc)).toBe(true);
  });

  it('accepts a long passphrase', () => {
    expect(passwordWeakness('correct horse battery staple', 'me@example.test')).toBeNull();
  });
});
