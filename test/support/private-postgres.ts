import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A PostgreSQL server of the test's own, in a temporary directory, for the one fault the
 * shared server cannot give: a real restart (every backend killed, the postmaster down, a
 * crash-safe start again). Made with the machine's own PostgreSQL programs (initdb, pg_ctl);
 * where there are none, `postgresBinaries()` is undefined and the test says it is skipped.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` account.
 */
export interface PrivatePostgres {
  /** Connection URL of its `postgres` database, user `postgres`, trust auth on 127.0.0.1. */
  url: string;
  /**
   * Stops it the way a restart does (`-m fast`: open connections are cut), keeps it down for
   * `downForMs` more, and starts it again.
   */
  restart(downForMs?: number): Promise<{ downMs: number }>;
  stop(): Promise<void>;
}

export function postgresBinaries(): string | undefined {
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates = [
    fromConfig.status === 0 ? fromConfig.stdout.trim() : '',
    ...(existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .sort()
          .reverse()
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : []),
  ];
  return candidates.find((dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

const asRoot = process.getuid?.() === 0;

/** Runs one of PostgreSQL's programs without blocking this process: its requests go on meanwhile. */
async function run(bin: string, program: string, args: string[]): Promise<void> {
  const [cmd, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]]
    : [join(bin, program), args];
  await promisify(execFile)(cmd, argv, { timeout: 60_000 });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPrivatePostgres(bin: string): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-pg-'));
  if (asRoot) await promisify(execFile)('chown', ['-R', 'postgres:postgres', dir]);
  const data = join(dir, 'data');
  await run(bin, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  // Its socket in its own directory: it touches nothing of the machine's server.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const start = () => run(bin, 'pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart(downForMs = 0) {
      const at = performance.now();
      await run(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      await new Promise((resolve) => setTimeout(resolve, downForMs));
      await start();
      return { downMs: performance.now() - at };
    },
    async stop() {
      try {
        await run(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
