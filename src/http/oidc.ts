import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  type AuthorizeOutcome,
  authorizationResponse,
  authorize,
  checkAuthorizationRequest,
  type Query,
} from '../oidc/authorize.js';
import { discoveryDocument, OIDC_PATHS } from '../oidc/discovery.js';
import { endSession } from '../oidc/end-session.js';
import { OAuthError } from '../oidc/errors.js';
import type { AuthorizationRequest, OidcTokens } from '../oidc/tokens.js';
import { noStore, originOf } from './auth.js';
import { clearSessionCookie } from './cookies.js';
import {
  browserSessionOf,
  emptyFormIsEmpty,
  OAuthError400,
  ProtocolParams,
  providerOff,
  Redirect,
  sendOAuthError,
} from './oidc-schemas.js';
import { type RouteDeps, routePlugin } from './routes.js';
import { errorResponses, PUBLIC } from './schemas.js';

/**
 * The OpenID Provider's browser-facing endpoints (docs/api.md §9, docs/oidc.md): discovery,
 * the authorization endpoint (and its return from the account page's sign-in), and
 * RP-Initiated Logout. The token and userinfo endpoints are in oidc-token.ts. Every route
 * exists whether or not OIDC_ISSUER is set; without it they answer 404.
 */

const AUTHORIZE_PARAMS = {
  client_id: 'The registered client',
  redirect_uri: 'Exactly one of the client’s registered redirect URIs',
  response_type: 'code',
  scope: 'Must include openid; also profile, email, offline_access',
  state: 'Returned unchanged',
  nonce: 'Copied into the ID token',
  code_challenge: 'PKCE: BASE64URL(SHA-256(code_verifier)); required for public clients',
  code_challenge_method: 'S256 (plain is refused)',
  prompt: 'none or login (consent and select_account are accepted)',
  max_age: 'Seconds since the last sign-in beyond which the user signs in again',
  response_mode: 'query (the only one)',
};

const LOGOUT_PARAMS = {
  id_token_hint: 'An ID token this provider issued (expired is fine): its session ends',
  client_id: 'The client, when there is no id_token_hint',
  post_logout_redirect_uri: 'Exactly one of the client’s registered post-logout redirect URIs',
  state: 'Returned on the redirect',
};

export const oidcRoutes = routePlugin('oidc', registerOidcRoutes);

function registerOidcRoutes({ app, ctx, oidc }: RouteDeps): void {
  const provider = (): OidcTokens => {
    if (!oidc) throw providerOff();
    return oidc;
  };

  app.get(
    '/.well-known/openid-configuration',
    {
      schema: {
        summary: 'OpenID Provider metadata',
        operationId: 'oidcDiscovery',
        description:
          'OpenID Connect Discovery 1.0: the issuer (OIDC_ISSUER), endpoints, and what this provider supports: the authorization code flow with PKCE (S256), refresh tokens, ID tokens signed EdDSA with the keys at /.well-known/jwks.json, RP-Initiated Logout and Back-Channel Logout with sid. 404 when OIDC_ISSUER is not set.',
        tags: ['openid'],
        security: PUBLIC,
        response: {
          200: Type.Object(
            {},
            {
              additionalProperties: true,
              description: 'The provider metadata (OpenID Connect Discovery 1.0 §3)',
              examples: [discoveryDocument('https://id.example.com')],
            },
          ),
          ...errorResponses(404),
        },
      },
    },
    async (_request, reply) =>
      reply.header('Cache-Control', 'public, max-age=300').send(discoveryDocument(provider().issuer)),
  );

  /** A valid request's outcome: the client's redirect URI (a code or an error), or the sign-in page. */
  const answer = async (
    reply: FastifyReply,
    tokens: OidcTokens,
    outcome: AuthorizeOutcome,
    request: AuthorizationRequest,
  ) => {
    if (outcome.kind === 'redirect') return noStore(reply).redirect(outcome.location, 302);
    // The account page signs the person in, then comes back to the resume endpoint.
    const interaction = await tokens.interaction(request);
    const flags = `${outcome.fresh ? '&login=1' : ''}${outcome.silent ? '&silent=1' : ''}`;
    return noStore(reply).redirect(`/account?oidc=${interaction}${flags}`, 302);
  };

  app.get(
    OIDC_PATHS.authorization,
    {
      schema: {
        summary: 'Authorization endpoint',
        operationId: 'oidcAuthorize',
        description:
          'OpenID Connect Core §3.1.2, authorization code flow only. An unknown client or a redirect_uri not registered for it (exact match) is answered here, 400, and never redirected. Any other error goes to the registered redirect_uri as error, error_description, state and iss. With a Gatehouse session in the browser (the account page’s cookie) the code is sent at once (single sign-on); otherwise, or for prompt=login or an exceeded max_age, the browser goes to the account page (/account?oidc=…) to sign in and comes back through /oidc/authorize/resume. prompt=none never shows a page: login_required when there is no session.',
        tags: ['openid'],
        security: PUBLIC,
        querystring: ProtocolParams(AUTHORIZE_PARAMS, 'The authorization request (OIDC Core §3.1.2.1)'),
        response: {
          302: Redirect(
            'To the client’s registered redirect_uri (code or error), or to the account page to sign in',
          ),
          400: OAuthError400('invalid_request', 'redirect_uri is not registered for this client'),
          ...errorResponses(404, 422),
        },
      },
    },
    (request, reply) => authorizeRequest(request.query as Query, request, reply),
  );
  app.post(
    OIDC_PATHS.authorization,
    {
      preValidation: emptyFormIsEmpty,
      // OIDC Core §3.1.2.1: the same request as a form; it has more fields than other forms here.
      config: { formBody: true, formFields: 24 },
      schema: {
        summary: 'Authorization endpoint (POST)',
        operationId: 'oidcAuthorizePost',
        description:
          'The authorization request of GET /oidc/authorize sent as an application/x-www-form-urlencoded form (OIDC Core §3.1.2.1), answered exactly as the GET is.',
        tags: ['openid'],
        security: PUBLIC,
        consumes: ['application/x-www-form-urlencoded'],
        body: ProtocolParams(AUTHORIZE_PARAMS, 'The authorization request, as a form'),
        response: {
          302: Redirect(
            'To the client’s registered redirect_uri (code or error), or to the account page to sign in',
          ),
          400: OAuthError400('invalid_request', 'redirect_uri is not registered for this client'),
          ...errorResponses(404, 413, 422),
        },
      },
    },
    (request, reply) => authorizeRequest((request.body ?? {}) as Query, request, reply),
  );

  /** GET and POST /oidc/authorize: the request checked, then answered (a redirect or the error shown). */
  async function authorizeRequest(query: Query, request: FastifyRequest, reply: FastifyReply) {
    const tokens = provider();
    const checked = await checkAuthorizationRequest(ctx, query);
    if (!checked.ok) {
      if (checked.redirectUri === null) return sendOAuthError(reply, checked.error);
      return noStore(reply).redirect(
        authorizationResponse(tokens.issuer, checked.redirectUri, {
          error: checked.error.error,
          error_description: checked.error.description,
          state: checked.state,
        }),
        302,
      );
    }
    const browser = await browserSessionOf(ctx, request);
    const outcome = await authorize(ctx, tokens, checked.request, browser, null);
    return answer(reply, tokens, outcome, checked.request);
  }

  app.get(
    OIDC_PATHS.resume,
    {
      schema: {
        summary: 'Continue an authorization request after signing in',
        operationId: 'oidcAuthorizeResume',
        description:
          'Where the account page sends the browser once the person has signed in (or found to be signed in already): the authorization request, carried signed for ten minutes in `interaction`, is answered as /oidc/authorize would, with a sign-in made after the request counting for prompt=login and max_age. 400 when the interaction is not valid or has expired, or its client or redirect URI is no longer registered.',
        tags: ['openid'],
        security: PUBLIC,
        querystring: ProtocolParams(
          { interaction: 'The signed authorization request from /oidc/authorize' },
          'The interaction to continue',
        ),
        response: {
          302: Redirect('To the client’s registered redirect_uri, or back to the account page'),
          400: OAuthError400('invalid_request', 'The sign-in link is not valid or has expired'),
          ...errorResponses(404, 422),
        },
      },
    },
    async (request, reply) => {
      const tokens = provider();
      const raw = (request.query as Query).interaction;
      const interaction = typeof raw === 'string' ? await tokens.readInteraction(raw) : null;
      if (!interaction)
        return sendOAuthError(
          reply,
          new OAuthError(
            'invalid_request',
            'The sign-in link is not valid or has expired; start again from the application',
          ),
        );
      // The client may have been removed, or its URI unregistered, while the person signed in.
      const client = await ctx.store.findOidcClient(interaction.request.clientId);
      if (!client || client.removedAt || !client.redirectUris.includes(interaction.request.redirectUri))
        return sendOAuthError(
          reply,
          new OAuthError('invalid_request', 'The client or its redirect_uri is no longer registered'),
        );
      const browser = await browserSessionOf(ctx, request);
      const outcome = await authorize(ctx, tokens, interaction.request, browser, interaction.startedAt);
      return answer(reply, tokens, outcome, interaction.request);
    },
  );

  const logoutSchema = (method: 'GET' | 'POST') => ({
    summary: `RP-Initiated Logout (${method})`,
    operationId: method === 'GET' ? 'oidcLogout' : 'oidcLogoutPost',
    description:
      'OpenID Connect RP-Initiated Logout 1.0. With an id_token_hint this provider issued (expired is fine; another issuer’s is refused, 400), the Gatehouse session it names (its sid) ends through the one ending path — audit event, webhooks, the revocation barrier, and a back-channel logout_token to every other client that session signed in to — then the browser goes to post_logout_redirect_uri with state, if that URI is registered for the client exactly (else 400, never a redirect). Without an id_token_hint nothing ends here and the browser goes to the account page, where signing out is one button.',
    tags: ['openid'],
    security: PUBLIC,
    response: {
      302: Redirect('To the registered post-logout URI (with state), or to the account page'),
      400: OAuthError400('invalid_request', 'post_logout_redirect_uri is not registered for this client'),
      ...errorResponses(404, 413, 422),
    },
  });

  const logout = async (query: Query, request: Parameters<typeof originOf>[0], reply: FastifyReply) => {
    const tokens = provider();
    let outcome: Awaited<ReturnType<typeof endSession>>;
    try {
      outcome = await endSession(ctx, tokens, query, originOf(request));
    } catch (err) {
      if (err instanceof OAuthError) return sendOAuthError(reply, err);
      throw err;
    }
    // The browser's own cookies go too when it was this browser's session that ended.
    const browser = await browserSessionOf(ctx, request);
    if (outcome.endedSessionId !== null && (browser === null || browser.sessionId === outcome.endedSessionId))
      clearSessionCookie(request, reply);
    return noStore(reply).redirect(outcome.kind === 'redirect' ? outcome.location : '/account', 302);
  };

  app.get(
    OIDC_PATHS.endSession,
    {
      schema: { ...logoutSchema('GET'), querystring: ProtocolParams(LOGOUT_PARAMS, 'The logout request') },
    },
    (request, reply) => logout(request.query as Query, request, reply),
  );
  app.post(
    OIDC_PATHS.endSession,
    {
      preValidation: emptyFormIsEmpty,
      config: { formBody: true },
      schema: {
        ...logoutSchema('POST'),
        consumes: ['application/x-www-form-urlencoded'],
        body: ProtocolParams(LOGOUT_PARAMS, 'The logout request, as a form'),
      },
    },
    (request, reply) => logout((request.body ?? {}) as Query, request, reply),
  );
}
