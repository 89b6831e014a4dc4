import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import type { Context } from './domain/context.js';
import { HashingQueue } from './domain/hashing-queue.js';
import { AccessLog } from './http/access-log.js';
import { accountRoutes } from './http/account.js';
import { authRoutes } from './http/auth.js';
import { authenticator } from './http/authenticate.js';
import { bodyParsers } from './http/body.js';
import { cachedSerializers, cachedValidators } from './http/compiler-cache.js';
import { httpTimeouts, limitConnections } from './http/connections.js';
import { apiDocs } from './http/docs.js';
import { clientErrorHandler, errorEnvelope, frameworkErrors } from './http/errors.js';
import { eventRoutes } from './http/events.js';
import { factorSchemas } from './http/factor-schemas.js';
import { factorRoutes } from './http/factors.js';
import { healthRoutes } from './http/health.js';
import { metricsRoutes, requestTiming } from './http/metrics.js';
import { oidcRoutes } from './http/oidc.js';
import { oidcTokenRoutes } from './http/oidc-token.js';
import { passkeyRoutes } from './http/passkeys.js';
import { credentialLimits } from './http/rate-limits.js';
import { recoveryRoutes } from './http/recovery.js';
import { requestGate } from './http/request-gate.js';
import { requestLogger } from './http/request-logger.js';
import type { App, RouteOptions } from './http/routes.js';
import { componentSchemas } from './http/schemas.js';
import { secondFactorLoginRoutes } from './http/second-factor-login.js';
import { securityHeaders } from './http/security-headers.js';
import { sessionRoutes } from './http/sessions.js';
import { trustedPeer, trustProxyOption } from './http/trust-proxy.js';
import { loggerOptions } from './log.js';
import { OidcTokens } from './oidc/tokens.js';
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
    // Each validator and serializer compiled once per process, however many apps it builds.
    schemaController: {
      compilersFactory: { buildSerializer: cachedSerializers, buildValidator: cachedValidators },
    },
    // Bodies are validated strictly: unknown fields are refused (422), not stripped; types are not coerced.
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  limitConnections(app.server, config.connections, trustedPeer(config.trustProxy));
  // What applies to every request, in the order it applies. Each plugin names
  // the ones it needs before it, and Fastify refuses to start otherwise.
  await app.register(errorEnvelope); // every failure answered in the envelope (docs/api.md §1)
  await app.register(bodyParsers); // JSON, and forms where a route reads one
  await app.register(securityHeaders);
  await app.register(requestGate); // X-Request-Id; Host required; 503 while draining
  await app.register(requestTiming, { metrics: ctx.metrics }); // before any route: it times each one
  await app.register(componentSchemas); // named schemas; 500 and 503 documented on every operation
  await app.register(factorSchemas); // the second factors' named schemas
  await app.register(apiDocs, { version: VERSION, accessTokenTtl: config.accessTokenTtl }); // collects the routes below
  await app.register(credentialLimits, config.rateLimits); // app.credentialLimits, for the credential routes
  // Work a request left to do after its answer (src/mail/deferred.ts) finishes before the store closes.
  app.addHook('onClose', () => ctx.mail.afterResponse.settled());
  // Declared once (Fastify's advice) rather than added to each request object as it arrives.
  app.decorateRequest('caller', null);

  const deps: RouteOptions = {
    ctx,
    authenticate: authenticator(ctx),
    authenticateBrowser: authenticator(ctx, { cookie: true }),
    limits: app.credentialLimits,
    streams: config.eventStreams,
    metricsConfig: config.metrics,
    hashing: new HashingQueue(
      config.hashing.concurrency,
      config.hashing.queueMax,
      config.hashing.shedDelayMs,
    ),
    oidc: config.oidc ? new OidcTokens(config.oidc.issuer, ctx.keys, config.accessTokenTtl) : null,
  };
  // The routes, one plugin per group (src/http/routes.ts has the table).
  await app.register(metricsRoutes, deps);
  await app.register(authRoutes, deps);
  await app.register(recoveryRoutes, deps);
  await app.register(secondFactorLoginRoutes, deps);
  await app.register(factorRoutes, deps);
  await app.register(passkeyRoutes, deps);
  await app.register(sessionRoutes, deps);
  await app.register(eventRoutes, deps);
  await app.register(accountRoutes, deps);
  await app.register(oidcRoutes, deps); // answers 404 while OIDC_ISSUER is unset (docs/oidc.md)
  await app.register(oidcTokenRoutes, deps);
  await app.register(healthRoutes, deps);
  return app;
}
