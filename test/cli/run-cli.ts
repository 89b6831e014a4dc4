import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/cli.js';
import type { Context } from '../../src/domain/context.js';
import { openContext } from '../../src/setup.js';
import { openDatabase } from '../../src/storage/open.js';
import { testConfig } from '../support/harness.js';

/** The repository root: real processes run the built CLI and server (test/support/global-setup.ts builds them). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment a command runs in: only what the test says, on top of a
 * clean base (no DATABASE_URL or password leaking in from the shell).
 */
export function cliEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'DATA_DIR',
    'GATEHOUSE_PASSWORD',
    'ADMIN_EMAIL',
    'ADMIN_PASSWORD',
    'PORT',
  ])
    delete base[name];
  return { ...base, LOG_LEVEL: 'warn', ...env };
}

/**
 * Runs `gatehouse <args>` in this process, as main.ts would in its own, and
 * collects its output; stdin is not a terminal. Most CLI tests use this: a
 * real process costs a Node start and a module load per command.
 */
export async function gatehouse(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env: cliEnv(env),
    stdin: { isTTY: false },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** Runs `gatehouse <args>` as a real process (bin/gatehouse.js, the built CLI); stdin is a pipe (not a terminal). */
export function gatehouseProcess(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/gatehouse.js', ...args], {
      cwd: ROOT,
      env: cliEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM (a clean stop) or SIGKILL (a crash); resolves to its exit code when it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built server (`node dist/main.js`, what `npm start` runs), or `gatehouse serve` with
 * `via: 'cli'`, and resolves once it listens.
 */
export function startServer(
  env: Record<string, string | undefined>,
  opts: { via?: 'main' | 'cli' } = {},
): Promise<ServerProcess> {
  const entry = opts.via === 'cli' ? ['bin/gatehouse.js', 'serve'] : ['dist/main.js'];
  const child = spawn(process.execPath, entry, {
    cwd: ROOT,
    env: cliEnv({ PORT: '0', HOST: '127.0.0.1', RATE_LIMITS: 'off', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 45_000);
    const onData = (d: Buffer) => {
      output += d;
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1]!,
        child,
        output: () => output,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `gatehouse-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** POSTs JSON (or GETs, without a body) to a running server. */
export async function http(
  url: string,
  opts: { body?: unknown; token?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: opts.body === undefined ? 'GET' : 'POST',
    headers: {
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * Runs fn against the data directory in this process (to log in, look at rows),
 * holding the directory's lock like any other opener, then closes it.
 */
export async function withDomain<T>(dataDir: string, fn: (ctx: Context) => Promise<T>): Promise<T> {
  const db = await openDatabase({ databaseUrl: undefined, dataDir, progress: () => {}, owner: 'test' });
  const { store, ctx } = await openContext(db, testConfig());
  try {
    return await fn(ctx);
  } finally {
    await store.close();
  }
}
