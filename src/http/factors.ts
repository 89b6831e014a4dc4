import { confirmTotp, disableTotp, enrollTotp, listFactors, regenerateRecoveryCodes } from '../mfa/totp.js';
import { noStore, originOf } from './auth.js';
import { callerOf } from './authenticate.js';
import {
  FactorsResponse,
  RecoveryCodesResponse,
  TotpConfirmBody,
  TotpEnrollResponse,
} from './factor-schemas.js';
import { type RouteDeps, routePlugin } from './routes.js';
import { BROWSER_SECURITY, errorResponses, MessageResponse, rateLimited, ref } from './schemas.js';

export const factorRoutes = routePlugin('factor', registerFactorRoutes);

/**
 * TOTP and recovery codes (docs/api.md §10). Changing a factor needs a fresh
 * proof (§7), except the confirmation, which proves itself with its code.
 * The account page calls these with its cookie session, as it does /auth/sessions.
 */
function registerFactorRoutes({ app, ctx, authenticateBrowser, limits }: RouteDeps): void {
  const guarded = [...limits.perIp, authenticateBrowser];

  app.get(
    '/auth/factors',
    {
      onRequest: authenticateBrowser,
      schema: {
        summary: 'My second factors',
        operationId: 'listFactors',
        description: 'Whether TOTP is enabled, how many recovery codes are left, and the passkeys.',
        tags: ['factors'],
        security: BROWSER_SECURITY,
        response: { 200: FactorsResponse, ...errorResponses(401) },
      },
    },
    async (request, reply) => noStore(reply).send(await listFactors(ctx, callerOf(request))),
  );

  app.post(
    '/auth/totp/enroll',
    {
      onRequest: guarded,
      schema: {
        summary: 'Start enrolling TOTP',
        operationId: 'enrollTotp',
        description:
          'Needs a fresh proof (else 403 REAUTHENTICATION_REQUIRED). Answers a new secret and its otpauth:// URI; nothing is enabled until POST /auth/totp/confirm. A new enrolment replaces a pending one; 409 when TOTP is already enabled. No body.',
        tags: ['factors'],
        security: BROWSER_SECURITY,
        response: rateLimited({ 200: TotpEnrollResponse, ...errorResponses(400, 401, 403, 409, 413, 429) }),
      },
    },
    async (request, reply) =>
      noStore(reply).send(await enrollTotp(ctx, callerOf(request), originOf(request))),
  );

  app.post(
    '/auth/totp/confirm',
    {
      onRequest: guarded,
      schema: {
        summary: 'Enable TOTP with its first code',
        operationId: 'confirmTotp',
        description:
          'The code from the app proves the secret was stored: TOTP is enabled and 10 recovery codes are answered, shown this once and stored hashed. 400 INVALID_CODE for a wrong code (nothing is enabled; the enrolment stays pending); 409 when no enrolment is pending or TOTP is already enabled.',
        tags: ['factors'],
        security: BROWSER_SECURITY,
        body: ref(TotpConfirmBody),
        response: rateLimited({
          200: RecoveryCodesResponse,
          ...errorResponses(400, 401, 403, 409, 413, 422, 429),
        }),
      },
    },
    async (request, reply) =>
      noStore(reply).send(await confirmTotp(ctx, callerOf(request), request.body.code, originOf(request))),
  );

  app.post(
    '/auth/totp/disable',
    {
      onRequest: guarded,
      schema: {
        summary: 'Disable TOTP',
        operationId: 'disableTotp',
        description:
          'Needs a fresh proof (else 403 REAUTHENTICATION_REQUIRED). Removes TOTP, pending or enabled, and every recovery code; 409 when there is none. No body.',
        tags: ['factors'],
        security: BROWSER_SECURITY,
        response: rateLimited({
          200: MessageResponse('TOTP and its recovery codes removed', 'TOTP disabled'),
          ...errorResponses(400, 401, 403, 409, 413, 429),
        }),
      },
    },
    async (request, reply) => {
      await disableTotp(ctx, callerOf(request), originOf(request));
      return noStore(reply).send({ message: 'TOTP disabled' });
    },
  );

  app.post(
    '/auth/recovery-codes',
    {
      onRequest: guarded,
      schema: {
        summary: 'Replace my recovery codes',
        operationId: 'regenerateRecoveryCodes',
        description:
          'Needs a fresh proof (else 403 REAUTHENTICATION_REQUIRED) and TOTP enabled (else 409). Answers 10 new codes, shown this once; the old ones stop working. No body.',
        tags: ['factors'],
        security: BROWSER_SECURITY,
        response: rateLimited({
          200: RecoveryCodesResponse,
          ...errorResponses(400, 401, 403, 409, 413, 429),
        }),
      },
    },
    async (request, reply) =>
      noStore(reply).send(await regenerateRecoveryCodes(ctx, callerOf(request), originOf(request))),
  );
}
