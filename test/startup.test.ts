/**
 * Starting Gatehouse: every failure names the variable and the cause, and everything the
 * process writes is one stream of JSON lines, "listening" once.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loggerOptions } from '../src/log.js';
import { startServer } from '../src/server.js';
import { openContext } from '../src/setup.js';
import { StartupError } from '../src/startup-errors.js';
import { backends } from './support/backends.js';
import { PASSWORD, testConfig, uniqueEmail } from './support/harness.js';
import { startServerProcess } from './support/server-process.js';

/** A logger writing JSON lines into memory. */
function memoryLogger(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino(loggerOptions(level), stream), lines };
}

/** A PostgreSQL URL on a port where nothing listens (a closed local port). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('a start that cannot succeed says which variable and why', () => {
  it('refuses a HOST that is not an address, before opening the database', async () => {
    const { logger } = memoryLogger();
    const config = testConfig({ HOST: 'no-such-host.invalid', DATA_DIR: '/nonexistent/never-created' });
    const err = await startServer(config, logger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toMatch(
      /^HOST "no-such-host\.invalid" is not an address this machine can listen on/,
    );
  });

  it('names DATABASE_URL, without its password, when PostgreSQL cannot be reached', async () => {
    const { logger } = memoryLogger();
    const url = `postgres://gatehouse:s3cret-pw@127.0.0.1:${await closedPort()}/gatehouse`;
    const err = await startServer(testConfig({ HOST: '127.0.0.1', DATABASE_URL: url }), logger).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StartupError);
    const message = (err as Error).message;
    expect(message).toMatch(
      /^DATABASE_URL: could not reach PostgreSQL at postgres:\/\/gatehouse:\*\*\*@127\.0\.0\.1:\d+\/gatehouse \(.*ECONNREFUSED/,
    );
    expect(message).not.toContain('s3cret-pw');
  });

  describe('a PORT already taken', () => {
    let taken: Server;
    let port: number;
    beforeAll(async () => {
      taken = createServer();
      await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
      port = (taken.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((r) => taken.close(() => r())));

    it('is named with its port and host, and what to do', async () => {
      const { logger } = memoryLogger();
      const dir = `${process.env.TMPDIR ?? '/tmp'}/gatehouse-port-${process.pid}-${Date.now()}`;
      const err = await startServer(
        testConfig({ HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dir }),
        logger,
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StartupError);
      expect((err as Error).message).toBe(
        `PORT ${port} on HOST 127.0.0.1 is already in use by another process. Stop it, or set PORT to a free port.`,
      );
    });
  });
});

describe('an unreachable REDIS_URL', () => {
  it('is logged once, in one line with no stack, however many requests and retries follow', async () => {
    const backend = backends[0]!;
    const database = await backend.open();
    const config = testConfig({ RATE_LIMITS: 'on', REDIS_URL: 'redis://:hunter2@127.0.0.1:1' });
    const ctx = (await openContext(database.db, config)).ctx;
    const { logger, lines } = memoryLogger('warn');
    const app = await buildApp(ctx, config, { loggerInstance: logger });
    try {
      await app.ready();
      for (let i = 0; i < 5; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/auth/login',
          payload: { email: uniqueEmail('redis'), password: PASSWORD },
        });
        expect(res.statusCode).toBe(401);
      }
      // ioredis retries in the background meanwhile (every 50 ms, doubling to 2 s).
      await new Promise((r) => setTimeout(r, 1500));
      const redisLines = lines.filter((l) => String(l.msg).includes('Redis'));
      expect(redisLines).toHaveLength(1);
      expect(redisLines[0]).toMatchObject({
        level: 40,
        redis: 'redis://:***@127.0.0.1:1',
        msg: expect.stringMatching(/^Redis \(REDIS_URL\) is unreachable/),
      });
      expect(JSON.stringify(redisLines[0])).not.toMatch(/stack|hunter2/);
    } finally {
      await app.close();
      await database.dispose();
    }
  });
});

describe('what a started server writes', () => {
  it('is JSON lines only, and says "listening" once, with the address and the API document', async () => {
    const dir = `${process.env.TMPDIR ?? '/tmp'}/gatehouse-startup-${process.pid}-${Date.now()}`;
    const server = await startServerProcess({
      DATA_DIR: dir,
      DATABASE_URL: '',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
    });
    try {
      await fetch(`${server.url}/health`);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.trim() !== '');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    const messages = lines.map((l) => JSON.parse(l).msg as string);
    // A first start: it unpacks the build's template, which already holds every migration.
    expect(messages).toContainEqual(expect.stringMatching(/^Initialising the embedded database in /));
    expect(messages.filter((m) => m.startsWith('Applied migrations'))).toEqual([]);
    const listening = messages.filter((m) => /listening/i.test(m));
    expect(listening).toEqual([
      expect.stringMatching(
        /^Gatehouse listening on http:\/\/127\.0\.0\.1:\d+ \(API document: http:\/\/127\.0\.0\.1:\d+\/docs\)$/,
      ),
    ]);
  });
});
