import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = join(import.meta.dirname, '..');

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  /** Where the server's stdout and stderr go (a file, as a deployment would log to one). */
  logFile: string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  /** Script and arguments after `node`, relative to the repository root. */
  args: string[];
  env: Record<string, string>;
  /** Directory for the log file. */
  logDir: string;
  startTimeoutMs?: number;
}

const LISTENING = /listening on (http:\/\/[^\s)]+)/i;

/**
 * Starts a server as a child process and resolves with its URL once it has
 * printed "listening on http://…". Its output goes to a file, never through
 * a pipe to this process, so a chatty logger costs the server, not the load
 * generator.
 */
export async function spawnServer(opts: SpawnOptions): Promise<ServerProcess> {
  const logFile = join(opts.logDir, `${opts.name}.log`);
  const fd = openSync(logFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, opts.args, {
      cwd: ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  let exited: number | null | undefined;
  child.on('exit', (code, signal) => {
    exited = code ?? (signal ? -1 : 0);
  });

  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  let url: string | undefined;
  while (!url) {
    if (exited !== undefined || Date.now() > deadline) {
      if (exited === undefined) child.kill('SIGKILL');
      throw new Error(
        `${opts.name} did not start (${exited === undefined ? 'timed out' : `exited with ${exited}`}):\n` +
          tail(logFile),
      );
    }
    await sleep(50);
    url = LISTENING.exec(readFileSync(logFile, 'utf8'))?.[1];
  }

  return {
    name: opts.name,
    url,
    pid: child.pid as number,
    logFile,
    async stop() {
      if (exited !== undefined) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const killed = await Promise.race([gone.then(() => true), sleep(5000).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await gone;
      }
    },
  };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no output)';
  }
}

/** A Gatehouse server as `npm start` runs it, tuned for load tests (no rate limits). */
export function spawnGatehouse(opts: {
  name: string;
  runtime: 'tsx' | 'dist';
  logLevel: string;
  accessLog?: boolean;
  logDir: string;
  databaseUrl?: string;
  dataDir?: string;
  /** More variables for this server (the scale run's sweeper interval; OIDC_ISSUER for the OpenID Provider's rows). */
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  const env: Record<string, string> = {
    ...opts.env,
    PORT: '0',
    HOST: '127.0.0.1',
    RATE_LIMITS: 'off',
    // Every load generator connects from 127.0.0.1: the per-address connection cap (100 by
    // default, for real clients) would close the storm's 200 connections and the probes'.
    MAX_CONNECTIONS_PER_ADDRESS: '0',
    LOG_LEVEL: opts.logLevel,
    ACCESS_LOG: opts.accessLog ? 'on' : 'off',
    DATABASE_URL: opts.databaseUrl ?? '',
  };
  if (opts.dataDir) env.DATA_DIR = opts.dataDir;
  Object.assign(env, opts.env);
  return spawnServer({
    name: opts.name,
    args: opts.runtime === 'dist' ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'],
    env,
    logDir: opts.logDir,
  });
}

/** The ceiling: a bare Fastify hello route, run the same way as Gatehouse. */
export function spawnCeiling(opts: { logDir: string }): Promise<ServerProcess> {
  return spawnServer({
    name: 'ceiling',
    args: ['--import', 'tsx', 'bench/ceiling.ts'],
    env: { PORT: '0', HOST: '127.0.0.1' },
    logDir: opts.logDir,
  });
}
