import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { OIDC_PATHS } from '../oidc/discovery.js';
import { OAuthError } from '../oidc/errors.js';
import {
  authenticateClient,
  type ClientCredentials,
  exchangeCode,
  refreshGrant,
  type TokenResponse,
  userinfo,
} from '../oidc/token-endpoint.js';
import { noStore, noStoreTokens } from './auth.js';
import {
  emptyFormIsEmpty,
  OAuthError400,
  OAuthError401,
  ProtocolParams,
  providerOff,
  sendOAuthError,
} from './oidc-schemas.js';
import { type RouteDeps, routePlugin } from './routes.js';
import { errorResponses, PUBLIC, rateLimited } from './schemas.js';

/**
 * The OpenID Provider's back-end endpoints: the token endpoint (clients exchange a code or
 * a refresh token) and userinfo. See oidc.ts for the browser-facing ones.
 */

const TOKEN_PARAMS = {
  grant_type: 'authorization_code or refresh_token',
  code: 'The authorization code (authorization_code)',
  redirect_uri: 'The redirect_uri of the authorization request (authorization_code)',
  code_verifier: 'The PKCE verifier (authorization_code)',
  refresh_token: 'The refresh token (refresh_token); single use, rotated',
  scope: 'A subset of the granted scope (refresh_token)',
  client_id: 'The client (public clients, or client_secret_post)',
  client_secret: 'The client secret (client_secret_post; or send it with HTTP Basic)',
};

const OidcTokenResponse = Type.Object(
  {
    access_token: Type.String({ maxLength: 4096, description: 'EdDSA JWT for the userinfo endpoint' }),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer({ minimum: 0, maximum: 86_400, format: 'int32' }),
    id_token: Type.String({ maxLength: 8192, description: 'The ID token: sub, sid, auth_time, nonce, amr' }),
    refresh_token: Type.String({ maxLength: 64, description: 'Single use: each refresh returns a new one' }),
    scope: Type.String({ maxLength: 200 }),
  },
  {
    description: 'Tokens for the client (RFC 6749 §5.1, OIDC Core §3.1.3.3)',
    examples: [
      {
        access_token: 'eyJhbGciOiJFZERTQSIsImtpZCI6IjEiLCJ0eXAiOiJhdCtqd3QifQ.e30.c2ln',
        token_type: 'Bearer',
        expires_in: 900,
        id_token: 'eyJhbGciOiJFZERTQSIsImtpZCI6IjEiLCJ0eXAiOiJKV1QifQ.e30.c2ln',
        refresh_token: 'Q2hhbmdlIG1lOiBhIDI1Ni1iaXQgcmFuZG9tIHZhbHVlIGhlcmU',
        scope: 'openid profile email',
      },
    ],
  },
);

const UserinfoResponse = Type.Object(
  {
    sub: Type.String({ maxLength: 64, description: 'The user id, as in the ID token' }),
    name: Type.Optional(Type.String({ maxLength: 200, description: 'With the profile scope' })),
    email: Type.Optional(Type.String({ maxLength: 254, description: 'With the email scope' })),
  },
  {
    description: 'Claims about the signed-in user (OIDC Core §5.3)',
    examples: [{ sub: '0b5f5c1e-2a64-4c1e-9a53-0b8f0f6e3c1c', name: 'Ada', email: 'ada@example.com' }],
  },
);

/** RFC 6749 §2.3.1: HTTP Basic, each half form-urlencoded; or client_id (and client_secret) in the body. */
function credentialsOf(request: FastifyRequest, body: Record<string, unknown>): ClientCredentials {
  const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : null);
  const header = request.headers.authorization;
  if (header === undefined) return { clientId: field('client_id'), secret: field('client_secret') };
  const basic = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header)?.[1];
  const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_client', 'Malformed HTTP Basic client credentials', 401);
  if (field('client_secret') !== null)
    throw new OAuthError('invalid_request', 'Client credentials sent in two ways (HTTP Basic and the body)');
  try {
    const clientId = decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' '));
    const secret = decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' '));
    if (field('client_id') !== null && field('client_id') !== clientId)
      throw new OAuthError('invalid_request', 'client_id differs from the HTTP Basic user name');
    return { clientId, secret };
  } catch (err) {
    if (err instanceof OAuthError) throw err;
    throw new OAuthError('invalid_client', 'Malformed HTTP Basic client credentials', 401);
  }
}

export const oidcTokenRoutes = routePlugin('oidc-token', registerOidcTokenRoutes);

function registerOidcTokenRoutes({ app, ctx, oidc, limits }: RouteDeps): void {
  const provider = () => {
    if (!oidc) throw providerOff();
    return oidc;
  };

  app.post(
    OIDC_PATHS.token,
    {
      onRequest: limits.perIp,
      preValidation: emptyFormIsEmpty,
      config: { formBody: true },
      schema: {
        summary: 'Token endpoint',
        operationId: 'oidcToken',
        description:
          'RFC 6749 §3.2 with an application/x-www-form-urlencoded body. grant_type=authorization_code exchanges a code once (with the same redirect_uri and, when the request had a code_challenge, the PKCE code_verifier); a code presented a second time revokes every token it issued. grant_type=refresh_token rotates the refresh token; a rotated one presented again revokes the grant. Confidential clients authenticate with HTTP Basic (client_secret_basic) or client_secret_post; public clients send client_id only. Tokens end with the Gatehouse session they came from. Errors are RFC 6749 §5.2 (error, error_description) with the envelope beside them: 400 invalid_request, invalid_grant, unsupported_grant_type, invalid_scope; 401 invalid_client. Rate limited per address.',
        tags: ['openid'],
        security: PUBLIC,
        consumes: ['application/x-www-form-urlencoded'],
        body: ProtocolParams(TOKEN_PARAMS, 'The token request, as a form'),
        response: rateLimited({
          200: OidcTokenResponse,
          400: OAuthError400(
            'invalid_grant',
            'PKCE verification failed: code_verifier does not match code_challenge',
          ),
          401: OAuthError401(
            'invalid_client',
            'Client authentication failed: wrong or missing client secret',
          ),
          ...errorResponses(404, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      const tokens = provider();
      try {
        if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? ''))
          throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded');
        const body = (request.body ?? {}) as Record<string, unknown>;
        const field = (name: string) =>
          typeof body[name] === 'string' && body[name] !== '' ? (body[name] as string) : null;
        const client = await authenticateClient(ctx, credentialsOf(request, body));
        const grantType = field('grant_type');
        let response: TokenResponse;
        if (grantType === 'authorization_code')
          response = await exchangeCode(ctx, tokens, client, {
            code: field('code'),
            redirectUri: field('redirect_uri'),
            codeVerifier: field('code_verifier'),
          });
        else if (grantType === 'refresh_token')
          response = await refreshGrant(ctx, tokens, client, {
            refreshToken: field('refresh_token'),
            scope: field('scope'),
          });
        else if (grantType === null) throw new OAuthError('invalid_request', 'grant_type is missing');
        else
          throw new OAuthError(
            'unsupported_grant_type',
            'Only authorization_code and refresh_token are supported',
          );
        return noStoreTokens(reply).send(response);
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        if (err.error === 'invalid_client') reply.header('WWW-Authenticate', 'Basic realm="gatehouse"');
        return sendOAuthError(reply, err);
      }
    },
  );

  const userinfoHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const tokens = provider();
    const header = request.headers.authorization;
    const token = header ? (/^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header)?.[1] ?? null) : null;
    try {
      return noStore(reply).send(await userinfo(ctx, tokens, token));
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      // RFC 6750 §3.1: no error code when the request carried no token at all.
      reply.header(
        'WWW-Authenticate',
        token === null
          ? 'Bearer realm="gatehouse", error="invalid_token"'
          : `Bearer realm="gatehouse", error="invalid_token", error_description="${err.description}"`,
      );
      return sendOAuthError(reply, err);
    }
  };
  const userinfoSchema = (method: 'GET' | 'POST') => ({
    summary: `UserInfo endpoint (${method})`,
    operationId: method === 'GET' ? 'oidcUserinfo' : 'oidcUserinfoPost',
    description:
      'OIDC Core §5.3: with an access token from the token endpoint (Authorization: Bearer), the user’s claims for the granted scope. 401 invalid_token once the token has expired, its grant was revoked, or its Gatehouse session has ended. Gatehouse’s own API refuses these tokens (their issuer is OIDC_ISSUER), and these endpoints refuse Gatehouse’s.',
    tags: ['openid'],
    security: [{ bearerAuth: [] }],
    response: {
      200: UserinfoResponse,
      401: OAuthError401('invalid_token', 'The Gatehouse session has ended'),
      // A body is never read: one that is sent anyway is refused as unreadable.
      ...errorResponses(400, 404, 413),
    },
  });
  app.get(OIDC_PATHS.userinfo, { schema: userinfoSchema('GET') }, userinfoHandler);
  app.post(OIDC_PATHS.userinfo, { schema: userinfoSchema('POST') }, userinfoHandler);
}
