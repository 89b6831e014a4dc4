import Fastify from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { loggerOptions } from '../../src/app.js';
import { requestLogger } from '../../src/http/request-logger.js';
import { memoryLog } from '../support/memory-log.js';

/** A Fastify app with Gatehouse's logger options and request logger, writing into memory. */
async function appAt(level: string) {
  const { stream, lines } = memoryLog();
  const app = Fastify({
    logger: { ...(loggerOptions(level) as object), stream },
    childLoggerFactory: requestLogger,
  });
  app.get('/quiet', async (request) => {
    request.log.info('routine');
    request.log.debug({ detail: 1 }, 'more routine');
    return { ok: true };
  });
  app.get('/warns', async (request) => {
    request.log.warn({ user: { password: 'hunter2-secret' }, n: 7 }, 'something odd');
    request.log.child({ part: 'inner' }).error('inner trouble');
    return { ok: true };
  });
  app.get('/own-level', { logLevel: 'silent' }, async (request) => {
    request.log.error('never written');
    return { ok: true };
  });
  await app.ready();
  return { app, lines, childCalls: vi.spyOn(app.log, 'child') };
}

describe('request logger (made only when a line is written)', () => {
  it('makes no child logger for requests that write nothing at the level that is on', async () => {
    const { app, lines, childCalls } = await appAt('warn');
    for (let i = 0; i < 20; i++) expect((await app.inject({ url: '/quiet' })).statusCode).toBe(200);
    expect(childCalls).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
    await app.close();
  });

  it('writes warnings with the request id, redacted, through the same child', async () => {
    const { app, lines, childCalls } = await appAt('warn');
    await app.inject({ url: '/warns' });
    // The request's own child, then the one the route made from it (children inherit the spied method).
    expect(childCalls.mock.calls.map((c) => Object.keys(c[0]))).toEqual([['reqId'], ['part']]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        reqId: expect.any(String),
        msg: 'something odd',
        n: 7,
        user: { password: '[redacted]' },
      }),
      expect.objectContaining({ level: 50, msg: 'inner trouble', part: 'inner' }),
    ]);
    expect(lines[0]?.reqId).toBe(lines[1]?.reqId);
    expect(JSON.stringify(lines)).not.toContain('hunter2-secret');
    await app.close();
  });

  it('at info, logs every request with its id, as Fastify does', async () => {
    const { app, lines } = await appAt('info');
    await app.inject({ url: '/quiet' });
    expect(lines.map((l) => l.msg)).toEqual(['incoming request', 'routine', 'request completed']);
    expect(new Set(lines.map((l) => l.reqId)).size).toBe(1);
    expect(lines[0]?.reqId).toEqual(expect.any(String));
    await app.close();
  });

  it("keeps a route's own level", async () => {
    const { app, lines } = await appAt('info');
    expect((await app.inject({ url: '/own-level' })).statusCode).toBe(200);
    expect(lines).toEqual([]);
    await app.close();
  });

  it('reports the level and lets it be changed for one request', async () => {
    const { app } = await appAt('warn');
    const logger = requestLogger(app.log, { reqId: 'r1' }, {});
    expect(logger.level).toBe('warn');
    logger.level = 'debug';
    expect(logger.level).toBe('debug');
    expect(app.log.level).toBe('warn');
    await app.close();
  });
});
