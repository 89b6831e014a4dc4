import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, onRequestHookHandler, RawServerDefault } from 'fastify';
import fp from 'fastify-plugin';
import type { EventStreamConfig, MetricsConfig } from '../config.js';
import type { Context } from '../domain/context.js';
import type { HashingQueue } from '../domain/hashing-queue.js';
import type { OidcTokens } from '../oidc/tokens.js';
import type { CredentialLimits } from './rate-limits.js';

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

/*
 * The whole route table, on one screen (app.ts registers the groups, each file holds one).
 *
 *   POST /auth/register      create an account              rate limited
 *   POST /auth/login         open a session                 rate limited (address + account)
 *   POST /auth/refresh       rotate the token pair          rate limited
 *   POST /auth/revoke        end a session by its token     rate limited, always 200
 *   POST /auth/logout        end session(s)                 bearer or session cookie
 *   POST /auth/password      change password, end others    bearer or session cookie, rate limited (address + account)
 *   POST /auth/reauthenticate  password, TOTP code or passkey  bearer or session cookie, rate limited (address + account)
 *   POST /auth/email/verify  use a verification link        rate limited (recovery.ts)
 *   POST /auth/email/verify/resend  mail a new link        rate limited (address + mailbox), always 202
 *   POST /auth/password/forgot      mail a reset link      rate limited (address + mailbox), always 202
 *   POST /auth/password/reset       new password by link   rate limited; ends every session
 *   POST /auth/email         change my address              bearer or session cookie, fresh proof
 *   POST /auth/login/mfa     a login's second factor         rate limited (second-factor-login.ts)
 *   POST /auth/login/passkey sign in with a passkey         rate limited
 *   GET  /auth/factors       my second factors              bearer or session cookie (factors.ts)
 *   POST /auth/totp/enroll|confirm|disable, /auth/recovery-codes   bearer or cookie, rate limited
 *   POST /auth/passkeys/registration-options, /auth/passkeys; GET /auth/passkeys;
 *   PATCH|DELETE /auth/passkeys/:id   bearer or cookie, rate limited (passkeys.ts)
 *   POST /auth/passkeys/authentication-options   a sign-in's challenge, rate limited
 *   GET  /auth/me            who am I                       bearer or session cookie
 *   GET  /auth/sessions      my active sessions             bearer or session cookie
 *   GET  /auth/events        told when my session ends (SSE) bearer or session cookie (events.ts)
 *   GET  /account            the account page (account.ts)  HTML + its script and stylesheet
 *   POST /account/login      open a browser session         rate limited, same origin; sets the cookies
 *   POST /account/login/mfa|passkey   the same for the second step and passkeys
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

/** What every group of routes is registered after (app.ts registers them first, in this order). */
const ROUTE_PREREQUISITES = [
  'gatehouse-error-envelope',
  'gatehouse-body-parsers',
  'gatehouse-security-headers',
  'gatehouse-request-gate',
  'gatehouse-component-schemas',
  'gatehouse-api-docs',
  'gatehouse-credential-limits',
];

export type RouteOptions = Omit<RouteDeps, 'app'>;

/**
 * A group of routes as a named Fastify plugin that app.ts registers. Fastify
 * checks the prerequisites are registered first; the hooks and decorations a
 * group adds stay within it (encapsulated).
 */
export function routePlugin(name: string, register: (deps: RouteDeps) => void) {
  return fp(async (app: App, deps: RouteOptions) => register({ ...deps, app }), {
    name: `gatehouse-${name}-routes`,
    fastify: '5.x',
    dependencies: ROUTE_PREREQUISITES,
    encapsulate: true,
  });
}
