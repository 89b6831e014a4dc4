import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, onRequestHookHandler, RawServerDefault } from 'fastify';
import type { Context } from '../domain/context.js';
import { authRoutes } from './auth.js';
import { healthRoutes } from './health.js';
import { metricsRoutes } from './metrics.js';
import type { CredentialLimits } from './rate-limits.js';
import { sessionRoutes } from './sessions.js';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface RouteDeps {
  app: App;
  ctx: Context;
  /** onRequest hook: bearer token → request.caller, or 401. */
  authenticate: onRequestHookHandler;
  limits: CredentialLimits;
}

/**
 * The whole route table, on one screen.
 *
 *   POST /auth/register      create an account              rate limited
 *   POST /auth/login         open a session                 rate limited (address + account)
 *   POST /auth/refresh       rotate the token pair          rate limited
 *   POST /auth/revoke        end a session by its token     rate limited, always 200
 *   POST /auth/logout        end session(s)                 bearer
 *   GET  /auth/me            who am I                       bearer
 *   GET  /auth/sessions      my active sessions             bearer
 *   GET  /health  /ready     liveness, readiness
 *   GET  /.well-known/jwks.json   public signing keys
 *   GET  /openapi.json  /docs     the API document (docs.ts)
 *   GET  /metrics            Prometheus metrics; times every request
 */
export function registerRoutes(deps: RouteDeps): void {
  metricsRoutes(deps); // first: its timing hook must see every route
  authRoutes(deps);
  sessionRoutes(deps);
  healthRoutes(deps);
}
