import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, onRequestHookHandler, RawServerDefault } from 'fastify';
import type { EventStreamConfig, MetricsConfig } from '../config.js';
import type { Context } from '../domain/context.js';
import type { HashingQueue } from '../domain/hashing-queue.js';
import type { OidcTokens } from '../oidc/tokens.js';
import { accountRoutes } from './account.js';
import { authRoutes } from './auth.js';
import { eventRoutes } from './events.js';
import { healthRoutes } from './health.js';
import { metricsRoutes } from './metrics.js';
import { oidcRoutes } from './oidc.js';
import { oidcTokenRoutes } from './oidc-token.js';
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
  /** The same, also accepting the account page's session cookie (CSRF-checked); for the routes the page uses. */
  authenticateBrowser: onRequestHookHandler;
  limits: CredentialLimits;
  /** Caps and timeouts of GET /auth/events. */
  streams: EventStreamConfig;
  /** Logins, registrations and password changes wait here for a slot, or get 503 (HASH_QUEUE_MAX). */
  hashing: HashingQueue;
  /** Who may read GET /metrics (metrics.ts). */
  metricsConfig: MetricsConfig;
  /** The OpenID Provider's tokens (src/oidc/); null when OIDC_ISSUER is not set (its routes answer 404). */
  oidc: OidcTokens | null;
}

/**
 * The whole route table, on one screen.
 *
 *   POST /auth/register      create an account              rate limited
 *   POST /auth/login         open a session                 rate limited (address + account)
 *   POST /auth/refresh       rotate the token pair          rate limited
 *   POST /auth/revoke        end a session by its token     rate limited, always 200
 *   POST /auth/logout        end session(s)                 bearer or session cookie
 *   POST /auth/password      change password, end others    bearer, rate limited (address + account)
 *   GET  /auth/me            who am I                       bearer or session cookie
 *   GET  /auth/sessions      my active sessions             bearer or session cookie
 *   GET  /auth/events        told when my session ends (SSE) bearer or session cookie (events.ts)
 *   GET  /account            the account page (account.ts)  HTML + its script and stylesheet
 *   POST /account/login      open a browser session         rate limited, same origin; sets the cookies
 *   POST /account/refresh    rotate the browser's cookies   rate limited, same origin
 *   GET  /health  /ready     liveness, readiness
 *   GET  /.well-known/jwks.json   public signing keys
 *   GET  /openapi.json  /docs     the API document (docs.ts)
 *   GET  /metrics            Prometheus metrics (METRICS_TOKEN, or its own port); times every request
 *
 *   OpenID Provider (docs/oidc.md; 404 unless OIDC_ISSUER is set):
 *   GET  /.well-known/openid-configuration   discovery (oidc.ts)
 *   GET  /oidc/authorize     authorization code + PKCE    session cookie, else via the account page
 *   GET  /oidc/authorize/resume   back from the account page's sign-in
 *   GET|POST /oidc/logout    RP-Initiated Logout: ends the id_token_hint's session
 *   POST /oidc/token         code / refresh token → tokens rate limited; client secret or PKCE (oidc-token.ts)
 *   GET|POST /oidc/userinfo  claims                       the client's access token
 */
export function registerRoutes(deps: RouteDeps): void {
  metricsRoutes(deps); // first: its timing hook must see every route
  authRoutes(deps);
  sessionRoutes(deps);
  eventRoutes(deps);
  accountRoutes(deps);
  oidcRoutes(deps);
  oidcTokenRoutes(deps);
  healthRoutes(deps);
}
