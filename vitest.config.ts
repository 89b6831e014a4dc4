import { defineConfig } from 'vitest/config';

/**
 * Files that need a module graph of their own: they replace a module
 * (login.test.ts counts argon2 verifications; passwords.test.ts needs the
 * real one, not test/support/password-hashing.ts) or build apps whose
 * settings must not meet another file's. Every other file shares its worker's
 * modules with the files before it (isolate: false), which spares re-importing
 * Fastify, PGlite and the app for each of them: about 45% of the CPU time of
 * test/http. A file that starts to keep state between files, or to mock a
 * module, belongs in this list.
 */
const ISOLATED = [
  'test/http/login.test.ts',
  'test/http/account.test.ts',
  'test/domain/passwords.test.ts',
  // Replaces node:dns/promises to answer lookups as a rebinding name would.
  'test/events/webhook-targets.test.ts',
];

export default defineConfig({
  test: {
    // Builds one migrated embedded database per run (shared by both projects below).
    globalSetup: ['test/support/global-setup.ts'],
    // Cheap password hashing in this process (why, and why it tests the same path: the file).
    setupFiles: ['test/support/password-hashing.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Three on two cores: much of a run waits (servers starting, timers, the browser), and a
    // third file fills those waits. npm test on the embedded store, 2-core machine: 174 s with
    // 2 workers, 155-162 s with 3, 163 s with 4 (docs/performance.md).
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
          exclude: ISOLATED,
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
    ],
  },
});
