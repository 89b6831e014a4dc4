import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { endPlanned, type LogoutPlan, planLogout, revoke } from '../domain/logout.js';
import type { RequestOrigin } from '../domain/model.js';
import { changePassword } from '../domain/password-change.js';
import { login, refresh, type TokenGrant } from '../domain/sessions.js';
import type { Caller } from '../domain/tokens.js';
import { register } from '../domain/users.js';
import { type Proof, reauthenticate } from '../mfa/reauthentication.js';
import { callerOf } from './authenticate.js';
import { clearSessionCookie, hasSessionCookie, logoutEndsBrowserSession } from './cookies.js';
import { ReauthenticateBody, SecondFactorRequired } from './factor-schemas.js';
import { shedWhenHashingFull } from './load-shedding.js';
import { type RouteDeps, routePlugin } from './routes.js';
import {
  BROWSER_SECURITY,
  errorResponses,
  LoginBody,
  LogoutBody,
  MessageResponse,
  PasswordChangeBody,
  PUBLIC,
  ReauthenticateResponse,
  RefreshBody,
  RegisterBody,
  RevokeBody,
  rateLimited,
  ref,
  SessionRef,
  TokenResponse,
  UserSchema,
} from './schemas.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

export const originOf = (request: FastifyRequest): RequestOrigin => ({
  ip: request.ip ?? null,
  // Control characters never reach the database (PostgreSQL text cannot hold NUL).
  userAgent: request.headers['user-agent']?.replace(CONTROL_CHARS, '').slice(0, 512) ?? null,
});

/** Responses carrying account or session details must not be cached (RFC 9111 §5.2.2.5). */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-store');
}

/**
 * Responses carrying tokens: also `Pragma: no-cache`, as RFC 6749 §5.1 (and OpenID Connect
 * Core §3.1.3.3) ask of token responses. Elsewhere Pragma is left out: RFC 9111 §5.4
 * deprecates it, and every header costs each response (GET /auth/me, docs/performance.md).
 */
export function noStoreTokens(reply: FastifyReply): FastifyReply {
  return noStore(reply).header('Pragma', 'no-cache');
}

export const tokenBody = (g: TokenGrant) => ({ tokenType: 'Bearer' as const, ...g });

const JSON_UTF8 = 'application/json; charset=utf-8';

declare module 'fastify' {
  interface FastifyRequest {
    /** POST /auth/logout's one decision (domain/logout.ts#planLogout), once made; its hooks read it. */
    logoutPlan: LogoutPlan | null;
  }
}

export const authRoutes = routePlugin('auth', registerAuthRoutes);

function registerAuthRoutes({ app, ctx, authenticateBrowser, limits, hashing }: RouteDeps): void {
  app.decorateRequest('logoutPlan', null);
  app.decorateRequest('secondFactorPending', false);
  const shedWhenFull = shedWhenHashingFull(hashing);
  /** GET /auth/me's serialized body per verified token (a Caller lives as long as its cache entry). */
  const meBodies = new WeakMap<Caller, string>();

  app.post(
    '/auth/register',
    {
      onRequest: [shedWhenFull, ...limits.perIp],
      schema: {
        summary: 'Create an account',
        operationId: 'register',
        description:
          'Creates an account with the user role. 422 for an invalid email or a password that is not valid Unicode text or is weak (under 8 characters, easy to guess for a strength estimator, or the email itself; the reason is in details), 409 when the email is taken. Rate limited per address.',
        tags: ['auth'],
        security: PUBLIC,
        body: ref(RegisterBody),
        response: rateLimited({
          201: Type.Object({ user: ref(UserSchema) }, { description: 'Account created' }),
          ...errorResponses(400, 409, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      const user = await hashing.run(() => register(ctx, request.body, originOf(request)));
      return reply.code(201).send({ user });
    },
  );

  app.post(
    '/auth/login',
    {
      onRequest: [shedWhenFull, ...limits.perIp],
      preHandler: limits.perAccount,
      onSend: limits.loginOutcome,
      schema: {
        summary: 'Log in: open a session',
        operationId: 'login',
        description:
          'Wrong password and unknown email get the same 401, in similar time. For an account with TOTP enabled a right password opens no session: the answer is {mfaRequired, mfaToken, methods} and the login continues at POST /auth/login/mfa. "remember": false opens a session of SESSION_SHORT_TTL instead of SESSION_ABSOLUTE_TTL; deviceName names the device in the sessions list. Over MAX_SESSIONS_PER_USER the least recently used session ends (reason "session_limit"), or, with SESSION_LIMIT_POLICY=deny, the answer is 409. With REQUIRE_VERIFIED_EMAIL=on, the right password of an account whose address is not verified gets 403 EMAIL_NOT_VERIFIED. Rate limited per address and per account.',
        tags: ['auth'],
        security: PUBLIC,
        body: ref(LoginBody),
        response: rateLimited({
          200: Type.Union([ref(TokenResponse), ref(SecondFactorRequired)], {
            description:
              'A new token pair; or, for an account with TOTP enabled, no session yet: mfaRequired with an mfaToken for POST /auth/login/mfa',
          }),
          ...errorResponses(400, 401, 403, 409, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      const answer = await hashing.run(() => login(ctx, request.body, originOf(request)));
      if ('mfaRequired' in answer) {
        request.secondFactorPending = true;
        return noStoreTokens(reply).send(answer);
      }
      return noStoreTokens(reply).send(tokenBody(answer));
    },
  );

  app.post(
    '/auth/refresh',
    {
      onRequest: limits.perIp,
      schema: {
        summary: 'Rotate the token pair',
        operationId: 'refresh',
        description:
          'Exchanges a refresh token for a new pair. A refresh token works once: presenting it again ends the whole session (reuse detection). An operator may allow a short reuse grace (REFRESH_REUSE_GRACE, off by default) for tabs racing each other: within it, the first repeat of a just-rotated token gets the same new pair again.',
        tags: ['auth'],
        security: PUBLIC,
        body: ref(RefreshBody),
        response: rateLimited({ 200: ref(TokenResponse), ...errorResponses(400, 401, 413, 422, 429) }),
      },
    },
    async (request, reply) =>
      noStoreTokens(reply).send(tokenBody(await refresh(ctx, request.body.refreshToken, originOf(request)))),
  );

  app.post(
    '/auth/revoke',
    {
      onRequest: limits.perIp,
      // RFC 7009 §2.1: clients send the token as an HTML form; JSON is accepted too.
      config: { formBody: true },
      schema: {
        summary: 'Revoke a token (RFC 7009)',
        operationId: 'revoke',
        description:
          'Ends the session a refresh token (or access token) belongs to; for clients whose access token has expired. Always 200 for a well-formed request, whether or not the token was valid. The body is JSON or, as RFC 7009 clients send it, a form (application/x-www-form-urlencoded, UTF-8, each field once).',
        tags: ['auth'],
        security: PUBLIC,
        consumes: ['application/json', 'application/x-www-form-urlencoded'],
        body: ref(RevokeBody),
        response: rateLimited({
          200: MessageResponse('Token revoked (or was not valid)', 'Token revoked'),
          ...errorResponses(400, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      await revoke(ctx, request.body.token, originOf(request));
      return noStore(reply).send({ message: 'Token revoked' });
    },
  );

  app.post(
    '/auth/logout',
    {
      onRequest: authenticateBrowser,
      // No body, an empty body and {} all mean "end the current session".
      // (A JSON null is a body that is not an object: left for validation to refuse with 400.)
      preValidation: (request, _reply, done) => {
        if (request.body === undefined) request.body = {};
        done();
      },
      onSend: (request, reply, payload, done) => {
        if (hasSessionCookie(request) && logoutEndsBrowserSession(request.logoutPlan, reply.statusCode))
          clearSessionCookie(request, reply);
        done(null, payload);
      },
      schema: {
        summary: 'Logout from the system',
        operationId: 'logout',
        description:
          'Logout from the system. Ends the session of the bearer token (default), every other session of the caller (scope "others"), every session (scope "all"), one named session of the caller (sessionId), or, for an admin, every session of a user (userId). Once the 200 is sent the ended sessions\' access tokens get 401 everywhere and their refresh tokens stop working.',
        tags: ['auth'],
        security: BROWSER_SECURITY,
        body: ref(LogoutBody),
        response: {
          200: MessageResponse('Logout successful', 'Logged out successfully'),
          ...errorResponses(400, 401, 403, 404, 409, 413, 422),
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const plan = await planLogout(ctx, caller, request.body);
      request.logoutPlan = plan; // the decision the cookie hook reads, whatever happens next
      await endPlanned(ctx, plan, { actorUserId: caller.userId, origin: originOf(request) });
      if (plan.endsCallerSession) ctx.tokens.forget(caller);
      ctx.metrics.logouts.inc({ scope: plan.scope });
      return noStore(reply).send({ message: 'Logged out successfully' });
    },
  );

  app.post(
    '/auth/password',
    {
      // The account page changes the password with its session cookie (CSRF-checked).
      onRequest: [shedWhenFull, ...limits.perIp, authenticateBrowser],
      // The same per-account budget and failure backoff as login: a wrong current password is a guess.
      preHandler: limits.perAccount,
      onSend: limits.loginOutcome,
      schema: {
        summary: 'Change my password',
        operationId: 'changePassword',
        description:
          'Needs the current password as well as the bearer token (or the account page\'s session cookie), and a fresh proof on this session: a login or POST /auth/reauthenticate within FRESH_AUTH_MAX_AGE seconds, else 403 REAUTHENTICATION_REQUIRED. Stores the new password and ends every other session of the caller (reason "password_changed"); this session stays signed in. Rate limited per address and per account, like login.',
        tags: ['auth'],
        security: BROWSER_SECURITY,
        body: ref(PasswordChangeBody),
        response: rateLimited({
          200: MessageResponse('Password changed; every other session has ended', 'Password changed'),
          // 403 REAUTHENTICATION_REQUIRED: no fresh proof of the password (POST /auth/reauthenticate).
          ...errorResponses(400, 401, 403, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      await hashing.run(() => changePassword(ctx, callerOf(request), request.body, originOf(request)));
      return noStore(reply).send({ message: 'Password changed' });
    },
  );

  app.post(
    '/auth/reauthenticate',
    {
      onRequest: [...limits.perIp, authenticateBrowser],
      // A wrong password here is a guess like a wrong login: the same budget and backoff.
      preHandler: limits.perAccount,
      onSend: limits.loginOutcome,
      schema: {
        summary: 'Prove it is me again',
        operationId: 'reauthenticate',
        description:
          "Renews this session's authTime, the time of its last proof, so that sensitive operations (POST /auth/password, second-factor changes) are allowed for FRESH_AUTH_MAX_AGE seconds. The proof is one of: the password, a TOTP code (not one used before), or a passkey assertion of the caller's (a challenge of POST /auth/passkeys/authentication-options). 401 for a wrong one (audited; changes nothing). Access tokens issued from now on carry the new auth_time. Rate limited per address and per account, like login.",
        tags: ['auth'],
        security: BROWSER_SECURITY,
        body: ref(ReauthenticateBody),
        response: rateLimited({
          200: ReauthenticateResponse,
          // 403: a cookie-authenticated request from another origin.
          ...errorResponses(400, 401, 403, 413, 422, 429, 503),
        }),
      },
    },
    async (request, reply) => {
      const { authTime } = await reauthenticate(
        ctx,
        callerOf(request),
        request.body as Proof,
        originOf(request),
      );
      return noStore(reply).send({ message: 'Reauthenticated', authTime });
    },
  );

  app.get(
    '/auth/me',
    {
      onRequest: authenticateBrowser,
      schema: {
        summary: 'Who am I',
        operationId: 'me',
        description:
          'The user and session of the bearer token, as of when the token was issued. No database round-trip.',
        tags: ['auth'],
        security: BROWSER_SECURITY,
        response: {
          200: Type.Object(
            { user: ref(UserSchema), session: ref(SessionRef) },
            { description: 'The caller' },
          ),
          ...errorResponses(401),
        },
      },
    },
    // The hottest route. Its body depends only on the token, so the route's own serializer
    // runs once per token, not per request; and it is synchronous (no promise to settle).
    (request, reply) => {
      const c = callerOf(request);
      let body = meBodies.get(c);
      if (body === undefined) {
        body = reply.serialize({
          user: {
            id: c.userId,
            email: c.email,
            name: c.name,
            roles: c.roles,
            emailVerified: c.emailVerified,
          },
          session: { id: c.sessionId, createdAt: c.sessionCreatedAt, expiresAt: c.sessionExpiresAt },
        }) as string;
        meBodies.set(c, body);
      }
      noStore(reply).type(JSON_UTF8).send(body);
    },
  );
}
