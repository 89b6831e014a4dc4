import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnGatehouse } from './server-process.js';

/** How the embedded store starts: the time to a first GET /health 200, and the memory it takes. */
export interface Startup {
  /** Fresh DATA_DIR: spawn to /health 200, seconds. */
  firstStartSeconds: number;
  /** The server's peak resident memory (VmHWM) by then, MB; undefined where /proc is missing. */
  firstStartPeakMb?: number;
  /** The same directory again. */
  restartSeconds: number;
  restartPeakMb?: number;
  /**
   * Making the template a first start unpacks (once per build: a fresh clone's first `npm start`),
   * seconds and peak MB as the build script reports them; undefined without a build.
   */
  template?: { seconds: number; peakMb: number };
}

/** Resident memory of a process from /proc (Linux), MB: its peak (VmHWM) or now (VmRSS). */
export function residentMb(pid: number, which: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const kb = new RegExp(`${which}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

/**
 * Resident memory once the server has fallen idle: it gives memory back after a whole quiet
 * interval that follows work (MEMORY_TRIM_IDLE_MS, 5 s; src/jobs/memory-trim.ts), and that
 * interval can start late, as the work's tail (a flush, a sweep, deliveries) keeps the one after
 * the load busy. So this watches, every 250 ms for up to `maxMs`, and stops a second after the
 * resident size fell by a sixth or more (the trim); it reports the least it saw. A fixed wait
 * of 12 s once read 314 MB where the trim, come a few seconds later, left ~200 MB.
 */
export async function idleResidentMb(pid: number, maxMs = 30_000): Promise<number | undefined> {
  const first = residentMb(pid, 'VmRSS');
  if (first === undefined) return undefined;
  let least = first;
  let fellAt: number | undefined;
  const started = performance.now();
  while (performance.now() - started < maxMs) {
    await sleep(250);
    const now = residentMb(pid, 'VmRSS');
    if (now === undefined) break;
    least = Math.min(least, now);
    if (fellAt === undefined && least <= first * (5 / 6)) fellAt = performance.now();
    if (fellAt !== undefined && performance.now() - fellAt >= 1000) break;
  }
  return least;
}

async function startOnce(opts: { runtime: 'tsx' | 'dist'; logDir: string; dataDir: string; name: string }) {
  const started = performance.now();
  const server = await spawnGatehouse({ ...opts, logLevel: 'warn' });
  try {
    while ((await fetch(`${server.url}/health`).catch(() => null))?.status !== 200) await sleep(20);
    return { seconds: (performance.now() - started) / 1000, peakMb: residentMb(server.pid, 'VmHWM') };
  } finally {
    await server.stop();
  }
}

/** Runs the build's template script into a directory of its own, as `npm run build` runs it. */
function makeTemplate(tmp: string): Startup['template'] {
  const root = join(import.meta.dirname, '..');
  if (!existsSync(join(root, 'dist', 'storage', 'pglite.js'))) return undefined;
  const out = join(tmp, 'template');
  mkdirSync(out, { recursive: true });
  const script = join(root, 'scripts', 'build-pglite-template.mjs');
  const made = spawnSync(process.execPath, [script, out], { encoding: 'utf8' });
  const figures = /in ([\d.]+) s, peak (\d+) MB/.exec(made.stdout);
  if (made.status !== 0 || !figures)
    throw new Error(`making the template failed: ${made.stderr || made.stdout}`);
  return { seconds: Number(figures[1]), peakMb: Number(figures[2]) };
}

/**
 * Makes the template, starts a server on a fresh directory, stops it, and starts it again on
 * the same one.
 */
export async function measureStartup(opts: {
  runtime: 'tsx' | 'dist';
  logDir: string;
  tmp: string;
}): Promise<Startup> {
  const template = makeTemplate(opts.tmp);
  const dataDir = join(opts.tmp, 'pglite-startup');
  const first = await startOnce({ ...opts, dataDir, name: 'pglite-first-start' });
  const again = await startOnce({ ...opts, dataDir, name: 'pglite-restart' });
  return {
    firstStartSeconds: first.seconds,
    firstStartPeakMb: first.peakMb,
    restartSeconds: again.seconds,
    restartPeakMb: again.peakMb,
    ...(template ? { template } : {}),
  };
}
