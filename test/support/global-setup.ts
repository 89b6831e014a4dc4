import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildIsCurrent } from '../../scripts/source-stamp.mjs';
import { readTemplate, templateIsCurrent } from '../../src/storage/pglite-template.js';
import { unsupportedNode } from '../../src/version.js';
import { CHROMIUM, missingChromium } from './chromium.js';
import { postgresBinaries } from './private-postgres.js';
import { removeFinishedWorkersDirs } from './worker-dirs.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A tar of a freshly migrated embedded database: the build's template, unpacked. */
    pgliteTemplate: string;
  }
}

/**
 * A fresh embedded database takes seconds to initialise; a loaded dump takes
 * well under one. The build makes one, migrated (building first if it has not),
 * and every test file starts from a copy. Each project of vitest.config.ts runs this setup; they
 * share one template (the setups run in the one main process), and the last
 * to finish removes it.
 */
export default async function setup(project: TestProject) {
  // The tests would mostly pass on an older Node, and say nothing of what users of it would meet.
  const oldNode = unsupportedNode();
  if (oldNode) throw new Error(oldNode);
  const shared = globalThis as { gatehouseTestRun?: SharedRun };
  shared.gatehouseTestRun ??= { template: buildTemplate(), users: 0 };
  const run = shared.gatehouseTestRun;
  run.users++;
  const { dir, file } = await run.template;
  project.provide('pgliteTemplate', file);
  return () => {
    if (--run.users > 0) return;
    rmSync(dir, { recursive: true, force: true });
    // The workers' temporary directory is the config's TMPDIR (vitest.config.ts), else this one's.
    removeFinishedWorkersDirs(project.config.env?.TMPDIR ?? tmpdir());
  };
}

interface SharedRun {
  template: Promise<{ dir: string; file: string }>;
  users: number;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

async function buildTemplate(): Promise<{ dir: string; file: string }> {
  announceSkips();
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  // The build's template already holds every migration (ensureBuilt made sure), unpacked here once
  // so that each in-memory test database loads a plain tar.
  const tar = readTemplate([join(root, 'dist', 'storage')]);
  if (!tar) throw new Error('the build made no embedded-database template');
  const file = join(dir, 'template.tar');
  writeFileSync(file, tar);
  return { dir, file };
}

/**
 * One line per service the run has to do without, so that a green run on a
 * laptop is not mistaken for a full one. CI sets both: nothing is skipped; and
 * in CI a missing Chromium stops the run.
 */
function announceSkips(): void {
  if (!process.env.TEST_DATABASE_URL)
    console.warn(
      'TEST_DATABASE_URL is not set: the tests that need PostgreSQL are skipped (set it to a database the tests may create schemas in).',
    );
  if (process.env.TEST_DATABASE_URL && !postgresBinaries())
    console.warn(
      "PostgreSQL's programs (initdb, pg_ctl) are not installed: the barrier test that restarts a PostgreSQL server of its own is skipped.",
    );
  if (!process.env.TEST_REDIS_URL)
    console.warn(
      'TEST_REDIS_URL is not set: the tests that need Redis are skipped (set it, e.g. redis://127.0.0.1:6379/0).',
    );
  const chromium = missingChromium(process.env, existsSync(CHROMIUM));
  // In CI a missing browser fails the run here, before any file, rather than skipping its tests;
  // with no stack frames, vitest prints the one line.
  if (chromium && 'fail' in chromium) throw Object.assign(new Error(chromium.fail), { stack: chromium.fail });
  if (chromium) console.warn(chromium.skip);
}

/**
 * Server and CLI processes started by the tests run the build (`node dist/main.js`, as in
 * production), and unpack its embedded-database template instead of running initdb, which
 * takes seconds. Through tsx each start took 0.3–0.7 s longer, compiling the sources again. A
 * fresh clone has no build yet, and after an edit the build is older than the sources: make
 * one (esbuild, about a second; the template only when it is not current).
 */
function ensureBuilt(): void {
  if (buildIsCurrent(root) && templateIsCurrent([join(root, 'dist', 'storage')])) return;
  console.warn(
    'The build is missing or older than the sources: running `npm run build` once (the test servers run it).',
  );
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
