import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { loggerOptions } from '../../src/app.js';
import { AccessLog } from '../../src/http/access-log.js';
import { requestLogger } from '../../src/http/request-logger.js';
import { memoryLog } from '../support/memory-log.js';

/** A Fastify app logging as Gatehouse does (options, request logger, access log), into memory. */
async function appWith(level: string, accessLog: boolean) {
  const { stream, lines } = memoryLog();
  const app = Fastify({
    logger: { ...(loggerOptions(level) as object), stream },
    childLoggerFactory: requestLogger,
    logController: new AccessLog(accessLog),
  });
  app.get('/ok', async () => ({ ok: true }));
  app.get('/refused', async (_request, reply) => reply.code(401).send({ message: 'no' }));
  await app.ready();
  return { app, lines };
}

describe('access log', () => {
  it('writes no line per request when off, at info', async () => {
    const { app, lines } = await appWith('info', false);
    for (const url of ['/ok', '/refused', '/ok?x=1']) await app.inject({ url });
    expect(lines).toEqual([]);
    await app.close();
  });

  it('writes one line per request when on: method, URL, status, time and request id', async () => {
    const { app, lines } = await appWith('info', true);
    await app.inject({ url: '/ok' });
    await app.inject({ url: '/refused', headers: { authorization: 'Bearer secret-token-value' } });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        reqId: expect.any(String),
        req: expect.objectContaining({ method: 'GET', url: '/ok' }),
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
      expect.objectContaining({ msg: 'request completed', res: { statusCode: 401 } }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-token-value');
    await app.close();
  });

  it('logs the names of query parameters, never their values', async () => {
    const { app, lines } = await appWith('debug', true);
    await app.inject({ url: '/ok?access_token=secret-token-value&x=1&bare-secret-value' });
    await app.inject({ url: '/refused?token=other-secret-value' });
    const urls = lines.map((l) => (l.req as { url: string }).url);
    expect(urls).toEqual([
      '/ok?access_token=[redacted]&x=[redacted]&[redacted]',
      '/ok?access_token=[redacted]&x=[redacted]&[redacted]',
      '/refused?token=[redacted]',
      '/refused?token=[redacted]',
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/secret-value/);
    await app.close();
  });

  it('shows each request as it arrives at debug, whether or not the access log is on', async () => {
    for (const accessLog of [false, true]) {
      const { app, lines } = await appWith('debug', accessLog);
      await app.inject({ url: '/ok' });
      expect(lines.map((l) => [l.level, l.msg])).toEqual([
        [20, 'incoming request'],
        ...(accessLog ? [[30, 'request completed']] : []),
      ]);
      expect(lines[0]?.req).toEqual(expect.objectContaining({ url: '/ok' }));
      await app.close();
    }
  });

  it('logs a request whose response failed as an error, even when off', () => {
    const error = vi.fn();
    const info = vi.fn();
    const request = { method: 'GET', url: '/ok' } as FastifyRequest;
    const reply = { log: { error, info }, elapsedTime: 3 } as unknown as FastifyReply;
    const failure = new Error('socket hang up');
    new AccessLog(false).requestCompleted(failure, request, reply);
    new AccessLog(false).requestCompleted(null, request, reply);
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0]).toEqual([
      expect.objectContaining({ err: failure, responseTime: 3, req: request }),
      'request errored',
    ]);
    expect(info).not.toHaveBeenCalled();
  });
});
