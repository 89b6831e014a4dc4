import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, onRequestHookHandler, RawServerDefault } from 'fastify';
import type { EventStreamConfig, MetricsConfig } from '../config.js';
import type { Context } from '../domain/context.js';
import type { HashingQueue } from '../domain/hashing-queue.js';
import { accountRoutes } from './account.js';
import { authRoutes } from './auth.js';
import { eventRoutes } from './events.js';
import { factorRoutes } from './factors.js';
import { healthRoutes } from './health.js';
import { metricsRoutes } from './metrics.js';
import { passkeyRoutes } from './passkeys.js';
import type { CredentialLimits } from './rate-limits.js';
import { recoveryRoutes } from './recovery.js';
import { secondFactorLoginRoutes } from './second-factor-login.js';
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
}

/**
 * The whole route table, on one screen.
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
 *   PATCH|DELETE /auth/passkeys/:id   bearer or cookie (passkeys.ts)
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
 */
export function registerRoutes(deps: RouteDeps): void {
  metricsRoutes(deps); // first: its timing hook must see every route
  authRoutes(deps);
  recoveryRoutes(deps);
  secondFactorLoginRoutes(deps);
  factorRoutes(deps);
  passkeyRoutes(deps);
  sessionRoutes(deps);
  eventRoutes(deps);
  accountRoutes(deps);
  healthRoutes(deps);
}
