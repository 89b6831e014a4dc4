import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../domain/errors.js';

/**
 * What every request meets before its route: its id in `X-Request-Id`, a
 * refusal when HTTP/1.1 names no host, and 503 while the instance drains.
 */
export const requestGate = fp(
  async (app: FastifyInstance) => {
    let closing = false;
    app.addHook('preClose', (done) => {
      closing = true;
      done();
    });
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('X-Request-Id', request.id);
      // RFC 9112 §3.2: an HTTP/1.1 request must name its host.
      if (request.raw.httpVersion === '1.1' && request.headers.host === undefined)
        return done(new AppError('INVALID_INPUT', 'The request has no Host header'));
      // Draining: requests in flight finish; one arriving on a kept-alive connection goes elsewhere.
      if (closing)
        return done(
          new AppError('SERVICE_UNAVAILABLE', 'This instance is shutting down; retry', { retryAfter: 1 }),
        );
      done();
    });
  },
  { name: 'gatehouse-request-gate', fastify: '5.x', dependencies: ['gatehouse-error-envelope'] },
);
