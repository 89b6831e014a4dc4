import { statfsSync } from 'node:fs';
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

/**
 * Where the tests' temporary files go: a memory-backed filesystem when there is a roomy one and
 * TMPDIR does not name another place. Every server and CLI test writes an embedded data
 * directory (the migrated template: 1,111 files, 41 MB), and PostgreSQL keeps writing to it;
 * on the 2-core ext4 machine of docs/performance.md unpacking one took ~700 ms of CPU (creating
 * the files), against ~35 ms on /dev/shm. The tests' directories, servers, CLI commands and
 * Chromium's profiles all follow os.tmpdir(). A small /dev/shm (a container's 64 MB default)
 * could not hold a few data directories at once: then the disk, as before.
 */
function scratchDir(): string | undefined {
  if (process.env.TMPDIR || process.platform !== 'linux') return undefined;
  try {
    const { bavail, bsize } = statfsSync('/dev/shm');
    return bavail * bsize >= 2 * 1024 ** 3 ? '/dev/shm' : undefined;
  } catch {
    return undefined;
  }
}
const TMPDIR = scratchDir();

export default defineConfig({
  test: {
    // Builds one migrated embedded database per run (shared by both projects below).
    globalSetup: ['test/support/global-setup.ts'],
    // Cheap password hashing in this process (why, and why it tests the same path: the file).
    setupFiles: ['test/support/password-hashing.ts'],
    ...(TMPDIR ? { env: { TMPDIR } } : {}),
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Three on two cores: much of a run waits (servers starting, timers, the browser), and a
    // third file fills those waits. npm test on the embedded store, 2-core machine, with the
    // data directories on /dev/shm: 125 s with 2 workers, 106-118 s with 3, 116 s with 4
    // (docs/performance.md).
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
