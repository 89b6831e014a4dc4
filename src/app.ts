import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import type { Context } from './domain/context.js';
import { AppError } from './domain/errors.js';
import { HashingQueue } from './domain/hashing-queue.js';
import { AccessLog } from './http/access-log.js';
import { authenticator } from './http/authenticate.js';
import { installBodyParsers } from './http/body.js';
import { httpTimeouts, limitConnections } from './http/connections.js';
import { installDocs } from './http/docs.js';
import { clientErrorHandler, frameworkErrors, installErrorHandling } from './http/errors.js';
import { addFactorSchemas } from './http/factor-schemas.js';
import { credentialLimits } from './http/rate-limits.js';
import { requestLogger } from './http/request-logger.js';
import { type App, registerRoutes } from './http/routes.js';
import { addComponentSchemas } from './http/schemas.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { trustedPeer, trustProxyOption } from './http/trust-proxy.js';
import { loggerOptions } from './log.js';
import { VERSION } from './version.js';

export { loggerOptions } from './log.js';

export interface BuildOptions {
  /** Logger options (tests pass their own stream); ignored when loggerInstance is given. */
  logger?: FastifyServerOptions['logger'];
  /** The process's logger (src/log.ts), so the server's lines and start-up's are one stream. */
  loggerInstance?: FastifyBaseLogger;
}

/** Builds the Fastify instance without listening (tests use `inject`). */
export async function buildApp(ctx: Context, config: Config, opts: BuildOptions = {}): Promise<App> {
  const timeouts = httpTimeouts(config.connections);
  const app = Fastify({
    ...timeouts.fastify,
    ...(opts.loggerInstance
      ? { loggerInstance: opts.loggerInstance }
      : { logger: opts.logger ?? loggerOptions(config.logLevel) }),
    bodyLimit: config.bodyLimit,
    trustProxy: trustProxyOption(config.trustProxy),
    genReqId: () => randomUUID(),
    childLoggerFactory: requestLogger,
    logController: new AccessLog(config.accessLog),
    // Requests Node's parser refuses (oversized headers, malformed HTTP) get the envelope too.
    clientErrorHandler,
    // Errors raised before routing (a malformed URL) too.
    frameworkErrors,
    // Requests that arrive while shutting down get 503 in the envelope (below), not Fastify's own body.
    return503OnClosing: false,
    // Node would answer an HTTP/1.1 request without Host with a bare 400 of its own; refused below instead.
    http: { requireHostHeader: false, ...timeouts.http },
    // Bodies are validated strictly: unknown fields are refused (422), not stripped; types are not coerced.
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  limitConnections(app.server, config.connections, trustedPeer(config.trustProxy));
  installErrorHandling(app);
  installBodyParsers(app);
  installSecurityHeaders(app);
  addComponentSchemas(app);
  addFactorSchemas(app);
  await installDocs(app, VERSION, config.accessTokenTtl);
  const limits = await credentialLimits(app, config.rateLimits);
  let closing = false;
  // Work a request left to do after its answer (src/mail/deferred.ts) finishes before the store closes.
  app.addHook('onClose', () => ctx.mail.afterResponse.settled());
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // Declared once (Fastify's advice) rather than added to each request object as it arrives.
  app.decorateRequest('caller', null);
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
  registerRoutes({
    app,
    ctx,
    authenticate: authenticator(ctx),
    authenticateBrowser: authenticator(ctx, { cookie: true }),
    limits,
    streams: config.eventStreams,
    metricsConfig: config.metrics,
    hashing: new HashingQueue(config.hashing.concurrency, config.hashing.queueMax),
  });
  return app;
}
