import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import type { Context } from './domain/context.js';
import { authenticator } from './http/authenticate.js';
import { installBodyParsers } from './http/body.js';
import { installDocs } from './http/docs.js';
import { installErrorHandling } from './http/errors.js';
import { credentialLimits } from './http/rate-limits.js';
import { type App, registerRoutes } from './http/routes.js';
import { VERSION } from './version.js';

/** Secrets never reach the log, whatever a future log line includes. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
];

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
}

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
}

/** Builds the Fastify instance without listening (tests use `inject`). */
export async function buildApp(ctx: Context, config: Config, opts: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? loggerOptions(config.logLevel),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    // Bodies are validated strictly: unknown fields are refused (422), not stripped; types are not coerced.
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app);
  installBodyParsers(app);
  await installDocs(app, VERSION);
  const limits = await credentialLimits(app, config.rateLimits);
  app.addHook('onRequest', (request, reply, done) => {
    request.caller = null;
    reply.header('X-Request-Id', request.id);
    done();
  });
  registerRoutes({ app, ctx, authenticate: authenticator(ctx), limits });
  return app;
}
