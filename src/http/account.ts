import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../domain/errors.js';
import { login, refresh, type TokenGrant } from '../domain/sessions.js';
import { completeSecondFactor } from '../mfa/login.js';
import { loginWithPasskey, passkeyLogin } from '../mfa/passkey-login.js';
import { type AccountAssets, accountAssets } from './account-assets.js';
import { noStoreTokens, originOf } from './auth.js';
import { clearSessionCookie, cookieNames, readCookie, setSessionCookies } from './cookies.js';
import { requireSameOrigin } from './csrf.js';
import { MfaLoginBody, PasskeyLoginBody, SecondFactorRequired } from './factor-schemas.js';
import { ICON } from './icon.js';
import { shedWhenHashingFull } from './load-shedding.js';
import { type RouteDeps, routePlugin } from './routes.js';
import { BrowserSession, errorResponses, LoginBody, PUBLIC, rateLimited, ref } from './schemas.js';
import { identifySecondStep } from './second-factor-login.js';
import { DOCUMENT_HEADERS } from './security-headers.js';

/**
 * The account page (/account) and the two endpoints only a browser needs:
 * sign-in and refresh with the tokens kept in HttpOnly cookies
 * (docs/account-page.md). Everything else the page does — who am I, the
 * session list, every kind of sign-out — goes through the same routes as a
 * bearer client (/auth/me, /auth/sessions, /auth/logout), which accept the
 * session cookie in place of the Authorization header.
 */

const browserSession = (g: TokenGrant) => ({
  user: g.user,
  session: g.session,
  expiresIn: g.expiresIn,
  refreshExpiresIn: g.refreshExpiresIn,
});

// The page loads nothing from anywhere else and may not be framed (the rest of
// SECURITY_HEADERS, X-Frame-Options included, is on every response already).
const PAGE_HEADERS = {
  ...DOCUMENT_HEADERS,
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'cache-control': 'no-cache',
};

export const accountRoutes = routePlugin('account', registerAccountRoutes);

function registerAccountRoutes({ app, ctx, limits, hashing }: RouteDeps): void {
  const serve = (file: keyof AccountAssets, type: string) => async (_request: unknown, reply: FastifyReply) =>
    reply
      .headers(PAGE_HEADERS)
      .type(type)
      .send((await accountAssets())[file]);

  app.get('/account', { schema: { hide: true } }, serve('html', 'text/html; charset=utf-8'));
  // A person who opens the server's address, or types the page's address with a slash, lands
  // on the page (which links the API document); API clients never call either.
  const toAccountPage = (_request: unknown, reply: FastifyReply) => reply.redirect('/account', 302);
  app.get('/', { schema: { hide: true } }, toAccountPage);
  app.get('/account/', { schema: { hide: true } }, toAccountPage);
  app.get(
    '/account/account.js',
    { schema: { hide: true } },
    serve('script', 'text/javascript; charset=utf-8'),
  );
  app.get('/account/account.css', { schema: { hide: true } }, serve('css', 'text/css; charset=utf-8'));
  // Declared by the page (<link rel="icon">), so browsers do not ask for /favicon.ico and log a 404.
  app.get('/account/favicon.svg', { schema: { hide: true } }, (_request, reply) =>
    reply
      .headers(PAGE_HEADERS)
      .header('cache-control', 'public, max-age=86400')
      .type('image/svg+xml')
      .send(ICON),
  );

  app.post(
    '/account/login',
    {
      onRequest: [shedWhenHashingFull(hashing), ...limits.perIp, requireSameOrigin],
      preHandler: limits.perAccount,
      onSend: limits.loginOutcome,
      schema: {
        summary: 'Sign in a browser (the account page)',
        operationId: 'accountLogin',
        description:
          'POST /auth/login for a browser: the same credentials, the same session, but the token pair is set as two HttpOnly, SameSite=Strict cookies instead of being returned: gatehouse_session (the access token, Path=/) and gatehouse_refresh (the refresh token, Path=/account/refresh); over HTTPS they are Secure and named __Host-gatehouse_session and __Host-gatehouse_refresh (both Path=/, as the prefix requires). Routes that list cookieAuth accept the first when no Authorization header is sent. Must come from this origin (Sec-Fetch-Site: same-origin, or a matching Origin), else 403. With "remember": false both are browser-session cookies (no Max-Age). Rate limited like /auth/login.',
        tags: ['account'],
        security: PUBLIC,
        body: ref(LoginBody),
        response: rateLimited({
          200: Type.Union([ref(BrowserSession), ref(SecondFactorRequired)], {
            description:
              'Signed in (the tokens are in the cookies); or, for an account with TOTP enabled, no session yet: continue at POST /account/login/mfa',
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
      setSessionCookies(request, reply, answer);
      return noStoreTokens(reply).send(browserSession(answer));
    },
  );

  app.post(
    '/account/login/mfa',
    {
      onRequest: [...limits.perIp, requireSameOrigin],
      preHandler: [identifySecondStep(ctx), ...limits.perAccount],
      onSend: limits.loginOutcome,
      schema: {
        summary: 'Sign in a browser: the second factor',
        operationId: 'accountLoginMfa',
        description:
          'POST /auth/login/mfa for a browser: the same body and answers, but the token pair is set as the cookies of POST /account/login. Must come from this origin, else 403.',
        tags: ['account'],
        security: PUBLIC,
        body: ref(MfaLoginBody),
        response: rateLimited({
          200: ref(BrowserSession),
          ...errorResponses(400, 401, 403, 409, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      const grant = await completeSecondFactor(ctx, request.body, originOf(request));
      setSessionCookies(request, reply, grant);
      return noStoreTokens(reply).send(browserSession(grant));
    },
  );

  app.post(
    '/account/login/passkey',
    {
      onRequest: [...limits.perIp, requireSameOrigin],
      schema: {
        summary: 'Sign in a browser with a passkey',
        operationId: 'accountLoginPasskey',
        description:
          'POST /auth/login/passkey for a browser: the same body and answers, but the token pair is set as the cookies of POST /account/login. Must come from this origin, else 403.',
        tags: ['account'],
        security: PUBLIC,
        body: ref(PasskeyLoginBody),
        response: rateLimited({
          200: ref(BrowserSession),
          ...errorResponses(400, 401, 403, 409, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      const grant = await loginWithPasskey(ctx, passkeyLogin(request.body), originOf(request));
      setSessionCookies(request, reply, grant);
      return noStoreTokens(reply).send(browserSession(grant));
    },
  );

  app.post(
    '/account/refresh',
    {
      onRequest: [...limits.perIp, requireSameOrigin],
      // A refresh cookie that no longer works is cleared, so the browser stops sending it.
      onSend: (request, reply, payload, done) => {
        if (reply.statusCode === 401) clearSessionCookie(request, reply);
        done(null, payload);
      },
      schema: {
        summary: 'Rotate a browser session',
        operationId: 'accountRefresh',
        description:
          'POST /auth/refresh for a browser: exchanges the gatehouse_refresh cookie (sent by the browser to this path only) for a new pair of cookies. No body. 401 (and both cookies cleared) when the cookie is missing, expired, already used (which ends the session: reuse detection) or its session has ended. Must come from this origin, else 403.',
        tags: ['account'],
        // Authenticated by the gatehouse_refresh cookie, which only this path receives (not a scheme a client sets).
        security: PUBLIC,
        response: rateLimited({ 200: ref(BrowserSession), ...errorResponses(400, 401, 403, 413, 429) }),
      },
    },
    async (request, reply) => {
      const token = readCookie(request, cookieNames(request).refresh);
      if (!token) throw new AppError('UNAUTHORIZED', 'No refresh cookie; sign in again');
      const grant = await refresh(ctx, token, originOf(request));
      setSessionCookies(request, reply, grant);
      return noStoreTokens(reply).send(browserSession(grant));
    },
  );
}
