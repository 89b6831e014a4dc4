import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openPostgresSchema, seededDataDir, TEST_DATABASE_URL } from './backends.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** Sends a signal and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built server (`node dist/main.js`; test/support/global-setup.ts builds it when the
 * sources changed) as a separate process (a real second instance, not a second app in this
 * process) and resolves once it says it is listening.
 */
export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', RATE_LIMITS: 'off', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // A server that missed its start must not linger behind the failed test.
      child.kill('SIGKILL');
      reject(new Error(`server did not start in time:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Gatehouse listening on (http:\/\/\S+?) /.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** fetch with a JSON body; returns status and parsed body. */
export async function call(
  base: string,
  path: string,
  opts: { method?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(base + path, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

/** Where a server process keeps its data: a fresh embedded DATA_DIR, or a PostgreSQL schema of its own. */
export interface ServerStore {
  name: string;
  env(): Promise<{ env: Record<string, string>; dispose(): Promise<void> }>;
}

/**
 * The stores a multi-process test runs on: the embedded store always, and
 * PostgreSQL when TEST_DATABASE_URL is set. On PostgreSQL the server's
 * connections carry an application_name starting with `label`, so a test can
 * find (or cut) them.
 */
export function serverStores(label: string): ServerStore[] {
  const embedded: ServerStore = {
    name: 'the embedded store (DATA_DIR)',
    env: async () => {
      const dir = await seededDataDir(label);
      return {
        env: { DATA_DIR: dir, DATABASE_URL: '' },
        dispose: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  };
  const postgres: ServerStore = {
    name: 'PostgreSQL',
    env: async () => {
      const db = await openPostgresSchema(TEST_DATABASE_URL as string);
      const url = new URL(db.databaseUrl as string);
      url.searchParams.set('application_name', `gatehouse-${label}-${randomUUID().slice(0, 8)}`);
      return { env: { DATABASE_URL: url.toString() }, dispose: () => db.dispose() };
    },
  };
  return TEST_DATABASE_URL ? [embedded, postgres] : [embedded];
}
