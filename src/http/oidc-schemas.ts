import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../domain/context.js';
import { AppError, ERRORS } from '../domain/errors.js';
import type { BrowserSession } from '../oidc/authorize.js';
import type { OAuthError, OAuthErrorCode } from '../oidc/errors.js';
import { cookieNames, readCookie } from './cookies.js';

/**
 * Schemas and small pieces shared by the OpenID Provider's routes (oidc.ts, oidc-token.ts).
 * The protocol's endpoints answer errors in the protocol's shape, `error` and
 * `error_description` (RFC 6749 §5.2), which relying-party libraries read; the same body also
 * carries Gatehouse's envelope (message, description, code), so either reader understands it.
 */

const OAUTH_ERRORS: OAuthErrorCode[] = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'unsupported_response_type',
  'invalid_scope',
  'login_required',
  'request_not_supported',
  'request_uri_not_supported',
  'invalid_token',
];

const oauthError = (status: 400 | 401, example: { error: OAuthErrorCode; description: string }) => {
  const code = status === 401 ? 'UNAUTHORIZED' : 'INVALID_INPUT';
  return Type.Object(
    {
      // Optional only because a framework refusal before the handler (an unreadable body) is the
      // bare envelope; every protocol refusal sends both.
      error: Type.Optional(
        Type.Enum(OAUTH_ERRORS, { type: 'string', description: 'The OAuth 2.0 error code' }),
      ),
      error_description: Type.Optional(Type.String({ maxLength: 2000 })),
      message: Type.Enum([ERRORS[code].message], { type: 'string' }),
      description: Type.String({ maxLength: 2000 }),
      code: Type.Enum([code], { type: 'string' }),
    },
    {
      description:
        status === 401
          ? 'The client or token did not authenticate (RFC 6749 §5.2 / RFC 6750 §3.1)'
          : 'The request is refused in the protocol’s terms (RFC 6749 §5.2), with the envelope beside it',
      examples: [
        {
          error: example.error,
          error_description: example.description,
          message: ERRORS[code].message,
          description: example.description,
          code,
        },
      ],
    },
  );
};

export const OAuthError400 = (error: OAuthErrorCode, description: string) =>
  oauthError(400, { error, description });
export const OAuthError401 = (error: OAuthErrorCode, description: string) =>
  oauthError(401, { error, description });

/** A 302 to the address in Location. */
export const Redirect = (description: string) =>
  Type.Null({ description, headers: { Location: Type.String({ format: 'uri', maxLength: 8000 }) } });

/** Every protocol parameter is a string; unknown ones are ignored (RFC 6749 §3.1), not refused. */
export const ProtocolParams = (names: Record<string, string>, description: string) =>
  Type.Object(
    Object.fromEntries(
      Object.entries(names).map(([name, about]) => [
        name,
        // RFC 6749 Appendix A: parameter values are printable ASCII (VSCHAR).
        Type.Optional(Type.String({ maxLength: 8192, pattern: '^[\\x20-\\x7E]*$', description: about })),
      ]),
    ),
    { additionalProperties: true, description },
  );

export function sendOAuthError(reply: FastifyReply, err: OAuthError): FastifyReply {
  const code = err.status === 401 ? 'UNAUTHORIZED' : 'INVALID_INPUT';
  return reply.code(err.status).header('Cache-Control', 'no-store').send({
    error: err.error,
    error_description: err.description,
    message: ERRORS[code].message,
    description: err.description,
    code,
  });
}

/** 404 while OIDC_ISSUER is not set: the routes exist (and are documented) either way. */
export const providerOff = () =>
  new AppError('NOT_FOUND', 'The OpenID Provider is not enabled on this server (OIDC_ISSUER is not set)');

/**
 * The browser's Gatehouse session, from the account page's session cookie (cookies.ts):
 * a valid access token whose session has not ended. Null when there is none — including
 * when the browser did not send it (SameSite=Strict on a cross-site arrival).
 */
export async function browserSessionOf(
  ctx: Context,
  request: FastifyRequest,
): Promise<BrowserSession | null> {
  const token = readCookie(request, cookieNames(request).session);
  if (!token) return null;
  const caller = await ctx.tokens.verify(token);
  if (!caller || !ctx.revocations.current || ctx.revocations.isEnded(caller.sessionId)) return null;
  return { sessionId: caller.sessionId, userId: caller.userId };
}

/** preValidation hook of the form routes: no body at all is an empty form, for the protocol to judge. */
export function emptyFormIsEmpty(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  request.body ??= {};
  done();
}
