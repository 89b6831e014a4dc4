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
    ['password123', /common/],
    ['aaaaaaaaaaaa', /different characters/],
    ['me@example.test', /email/],
  ])('refuses %s', (pw, reason) => {
    expect(passwordWeakness(pw, 'me@example.test')).toMatch(reason);
  });

  it('accepts a long passphrase', () => {
    expect(passwordWeakness('correct horse battery staple', 'me@example.test')).toBeNull();
  });
});
