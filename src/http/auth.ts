import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { logout, revoke } from '../domain/logout.js';
import type { RequestOrigin } from '../domain/model.js';
import { login, refresh, type TokenGrant } from '../domain/sessions.js';
import { register } from '../domain/users.js';
import { callerOf } from './authenticate.js';
import { clearSessionCookie, hasSessionCookie } from './cookies.js';
import type { RouteDeps } from './routes.js';
import {
  errorResponses,
  LoginBody,
  LogoutBody,
  MessageResponse,
  RefreshBody,
  RegisterBody,
  RevokeBody,
  SessionRef,
  TokenResponse,
  UserSchema,
} from './schemas.js';

export const originOf = (request: FastifyRequest): RequestOrigin => ({
  ip: request.ip ?? null,
  userAgent: request.headers['user-agent']?.slice(0, 512) ?? null,
});

/** RFC 6749 §5.1: responses carrying tokens must not be cached. */
function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
}

const tokenBody = (g: TokenGrant) => ({ tokenType: 'Bearer' as const, ...g });

export function authRoutes({ app, ctx, authenticate, limits }: RouteDeps): void {
  app.post(
    '/auth/register',
    {
      onRequest: limits.perIp,
      schema: {
        summary: 'Create an account',
        tags: ['auth'],
        body: RegisterBody,
        response: {
          201: Type.Object({ user: UserSchema }, { description: 'Account created' }),
          ...errorResponses(400, 409, 413, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const user = await register(ctx, request.body, originOf(request));
      return reply.code(201).send({ user });
    },
  );

  app.post(
    '/auth/login',
    {
      onRequest: limits.perIp,
      preHandler: limits.perAccount,
      schema: {
        summary: 'Log in: open a session',
        description:
          'Wrong password and unknown email get the same 401, in similar time. Rate limited per address and per account.',
        tags: ['auth'],
        body: LoginBody,
        response: { 200: TokenResponse, ...errorResponses(400, 401, 413, 422, 429) },
      },
    },
    async (request, reply) =>
      noStore(reply).send(tokenBody(await login(ctx, request.body, originOf(request)))),
  );

  app.post(
    '/auth/refresh',
    {
      onRequest: limits.perIp,
      schema: {
        summary: 'Rotate the token pair',
        description:
          'Exchanges a refresh token for a new pair. A refresh token works once: presenting it again ends the whole session (reuse detection).',
        tags: ['auth'],
        body: RefreshBody,
        response: { 200: TokenResponse, ...errorResponses(400, 401, 413, 422, 429) },
      },
    },
    async (request, reply) =>
      noStore(reply).send(tokenBody(await refresh(ctx, request.body.refreshToken, originOf(request)))),
  );

  app.post(
    '/auth/revoke',
    {
      onRequest: limits.perIp,
      schema: {
        summary: 'Revoke a token (RFC 7009)',
        description:
          'Ends the session a refresh token (or access token) belongs to; for clients whose access token has expired. Always 200 for a well-formed request, whether or not the token was valid.',
        tags: ['auth'],
        body: RevokeBody,
        response: {
          200: MessageResponse('Token revoked (or was not valid)', 'Token revoked'),
          ...errorResponses(400, 413, 422, 429),
        },
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
      onRequest: authenticate,
      // No body, an empty body and {} all mean "end the current session".
      // (A JSON null is a body that is not an object: left for validation to refuse with 400.)
      preValidation: (request, _reply, done) => {
        if (request.body === undefined) request.body = {};
        done();
      },
      onSend: (request, reply, payload, done) => {
        if (hasSessionCookie(request)) clearSessionCookie(request, reply);
        done(null, payload);
      },
      schema: {
        summary: 'Logout from the system',
        description:
          'Logout from the system. Ends the session of the bearer token (default), every other session of the caller (scope "others"), every session (scope "all"), one named session of the caller (sessionId), or, for an admin, every session of a user (userId). Once the 200 is sent the ended sessions\' access tokens get 401 everywhere and their refresh tokens stop working.',
        tags: ['auth'],
        security: [{ bearerAuth: [] }],
        body: LogoutBody,
        response: {
          200: MessageResponse('Logout successful', 'Logged out successfully'),
          ...errorResponses(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      await logout(ctx, callerOf(request), request.body, originOf(request));
      return noStore(reply).send({ message: 'Logged out successfully' });
    },
  );

  app.get(
    '/auth/me',
    {
      onRequest: authenticate,
      schema: {
        summary: 'Who am I',
        description:
          'The user and session of the bearer token, as of when the token was issued. No database round-trip.',
        tags: ['auth'],
        security: [{ bearerAuth: [] }],
        response: {
          200: Type.Object({ user: UserSchema, session: SessionRef }, { description: 'The caller' }),
          ...errorResponses(401, 503),
        },
      },
    },
    async (request, reply) => {
      const c = callerOf(request);
      return noStore(reply).send({
        user: { id: c.userId, email: c.email, name: c.name, roles: c.roles },
        session: { id: c.sessionId, createdAt: c.sessionCreatedAt, expiresAt: c.sessionExpiresAt },
      });
    },
  );
}
