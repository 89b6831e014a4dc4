import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Builds one migrated embedded database and one PostgreSQL schema prefix per run.
    globalSetup: ['test/support/global-setup.ts'],
    // Cheap password hashing in this process (why, and why it tests the same path: the file).
    setupFiles: ['test/support/password-hashing.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores: more workers only fight over them.
    maxWorkers: 2,
  },
});
