import type { FastifyRequest } from 'fastify';
import type { Context } from '../domain/context.js';
import { completeSecondFactor, mfaTokenAccount } from '../mfa/login.js';
import { loginWithPasskey, passkeyLogin } from '../mfa/passkey-login.js';
import { noStoreTokens, originOf, tokenBody } from './auth.js';
import { MfaLoginBody, PasskeyLoginBody } from './factor-schemas.js';
import { type RouteDeps, routePlugin } from './routes.js';
import { errorResponses, PUBLIC, rateLimited, ref, TokenResponse } from './schemas.js';

export const secondFactorLoginRoutes = routePlugin('second-factor-login', registerSecondFactorLoginRoutes);

/**
 * The second step of a login (POST /auth/login/mfa) and the passwordless
 * passkey sign-in (POST /auth/login/passkey): each answers the token response
 * of POST /auth/login, through the same session opening (domain/sessions.ts#openSession).
 * The account page has their cookie twins in account.ts.
 */
function registerSecondFactorLoginRoutes({ app, ctx, limits }: RouteDeps): void {
  app.decorateRequest('secondStepEmail', null);
  app.post(
    '/auth/login/mfa',
    {
      onRequest: limits.perIp,
      // Wrong codes count against the account like wrong passwords: its limit and its backoff.
      preHandler: [identifySecondStep(ctx), ...limits.perAccount],
      onSend: limits.loginOutcome,
      schema: {
        summary: 'Log in: the second factor',
        operationId: 'loginMfa',
        description:
          'Completes a login whose password step answered mfaRequired: the mfaToken with a TOTP code or a recovery code (exactly one, else 422). 401 for a wrong, reused or expired code, or an mfaToken that is unknown, used, older than 5 minutes or has taken 5 wrong codes (the fifth ends it). A recovery code works once. remember and deviceName default to those of the password step. Rate limited per address and per account, with the backoff of failed logins (wrong codes count as failures).',
        tags: ['auth'],
        security: PUBLIC,
        body: ref(MfaLoginBody),
        response: rateLimited({ 200: ref(TokenResponse), ...errorResponses(400, 401, 409, 413, 422, 429) }),
      },
    },
    async (request, reply) => {
      const grant = await completeSecondFactor(ctx, request.body, originOf(request));
      return noStoreTokens(reply).send(tokenBody(grant));
    },
  );

  app.post(
    '/auth/login/passkey',
    {
      onRequest: limits.perIp,
      schema: {
        summary: 'Log in with a passkey',
        operationId: 'loginPasskey',
        description:
          'A discoverable passkey signs in with no email and no password: the assertion for a challenge of POST /auth/passkeys/authentication-options. 401 when it does not verify (unknown passkey, wrong origin or challenge, a challenge already used or expired, no user verification). With REQUIRE_VERIFIED_EMAIL=on, 403 EMAIL_NOT_VERIFIED for an account whose address is not verified (only once the passkey has verified). Rate limited per address.',
        tags: ['auth'],
        security: PUBLIC,
        body: ref(PasskeyLoginBody),
        response: rateLimited({
          200: ref(TokenResponse),
          ...errorResponses(400, 401, 403, 409, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      const grant = await loginWithPasskey(ctx, passkeyLogin(request.body), originOf(request));
      return noStoreTokens(reply).send(tokenBody(grant));
    },
  );
}

/** Names the account of the mfaToken for the per-account limit and backoff (rate-limits.ts#emailOf). */
export function identifySecondStep(ctx: Context) {
  return async (request: FastifyRequest): Promise<void> => {
    // After validation: the body is MfaLoginRequest.
    request.secondStepEmail = await mfaTokenAccount(ctx, (request.body as { mfaToken: string }).mfaToken);
  };
}
