import { vi } from 'vitest';

/**
 * In-process tests hash with argon2id at its lowest cost (1 MiB, one pass)
 * instead of the production 19 MiB × 2 passes: several hundred registrations
 * and logins per run otherwise spend their time in key stretching, which no
 * test measures. The code path is unchanged: src/domain/passwords.ts calls
 * the same `hash` with its own parameters, and `verify` reads them from the
 * stored hash, as in production. What the parameters are is tested against
 * the real module (test/domain/passwords.test.ts unmocks it), and servers
 * started as processes hash at full cost.
 */
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const argon2 = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...argon2,
    hash: (password: string | Uint8Array, options?: import('@node-rs/argon2').Options) =>
      argon2.hash(password, { ...options, memoryCost: 1024, timeCost: 1 }),
  };
});
