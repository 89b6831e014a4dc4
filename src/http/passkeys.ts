import { Type } from 'typebox';
import {
  authenticationOptions,
  deletePasskey,
  registerPasskey,
  registrationOptions,
  renamePasskey,
} from '../mfa/passkeys.js';
import { noStore, originOf } from './auth.js';
import { callerOf } from './authenticate.js';
import {
  ChallengeResponse,
  PasskeyIdParams,
  PasskeyRegisterBody,
  PasskeyRenameBody,
  PasskeySchema,
} from './factor-schemas.js';
import { type RouteDeps, routePlugin } from './routes.js';
import { BROWSER_SECURITY, errorResponses, MessageResponse, PUBLIC, rateLimited, ref } from './schemas.js';

const PasskeyAnswer = (description: string) => Type.Object({ passkey: ref(PasskeySchema) }, { description });

export const passkeyRoutes = routePlugin('passkey', registerPasskeyRoutes);

/**
 * Passkeys (WebAuthn, docs/api.md §10): register, list, rename, delete, and the
 * options of a sign-in. The sign-in itself is POST /auth/login/passkey
 * (second-factor-login.ts). RP ID and origins: WEBAUTHN_RP_ID, WEBAUTHN_ORIGINS, PUBLIC_URL.
 */
function registerPasskeyRoutes({ app, ctx, authenticateBrowser, limits }: RouteDeps): void {
  // Every passkey route takes a share of the client address's budget, as the TOTP routes do
  // (factors.ts): each one reads or writes the account's credentials.
  const guarded = [...limits.perIp, authenticateBrowser];

  app.post(
    '/auth/passkeys/registration-options',
    {
      onRequest: guarded,
      schema: {
        summary: 'Start registering a passkey',
        operationId: 'passkeyRegistrationOptions',
        description:
          'Needs a fresh proof (else 403 REAUTHENTICATION_REQUIRED). Answers options for navigator.credentials.create() (a discoverable credential with user verification required) and a challengeId to send back with the result within 5 minutes. No body.',
        tags: ['passkeys'],
        security: BROWSER_SECURITY,
        response: rateLimited({
          200: ChallengeResponse('Options for @simplewebauthn/browser startRegistration()'),
          ...errorResponses(400, 401, 403, 413, 429),
        }),
      },
    },
    async (request, reply) => noStore(reply).send(await registrationOptions(ctx, callerOf(request))),
  );

  app.post(
    '/auth/passkeys',
    {
      onRequest: guarded,
      schema: {
        summary: 'Register a passkey',
        operationId: 'registerPasskey',
        description:
          "The authenticator's answer to the registration options. 400 INVALID_CREDENTIAL when it does not verify (wrong origin, RP ID or challenge; a challenge unknown, expired or used; no user verification): nothing is stored, and the challenge is spent. 409 when this passkey is already registered.",
        tags: ['passkeys'],
        security: BROWSER_SECURITY,
        body: ref(PasskeyRegisterBody),
        response: rateLimited({
          201: PasskeyAnswer('Registered'),
          ...errorResponses(400, 401, 403, 409, 413, 422, 429),
        }),
      },
    },
    // The schema checked the response's shape; the WebAuthn library checks what it holds.
    async (request, reply) => {
      const passkey = await registerPasskey(
        ctx,
        callerOf(request),
        request.body as Parameters<typeof registerPasskey>[2],
        originOf(request),
      );
      return noStore(reply).code(201).send({ passkey });
    },
  );

  app.get(
    '/auth/passkeys',
    {
      onRequest: guarded,
      schema: {
        summary: 'My passkeys',
        operationId: 'listPasskeys',
        description: 'Oldest first.',
        tags: ['passkeys'],
        security: BROWSER_SECURITY,
        response: rateLimited({
          200: Type.Object(
            { passkeys: Type.Array(ref(PasskeySchema), { maxItems: 1000 }) },
            { description: 'The passkeys' },
          ),
          ...errorResponses(401, 429),
        }),
      },
    },
    async (request, reply) =>
      noStore(reply).send({ passkeys: await ctx.store.listPasskeys(callerOf(request).userId) }),
  );

  app.patch(
    '/auth/passkeys/:id',
    {
      onRequest: guarded,
      schema: {
        summary: 'Rename a passkey',
        operationId: 'renamePasskey',
        description: "404 when you have no passkey with this id (another user's included: it is left alone).",
        tags: ['passkeys'],
        security: BROWSER_SECURITY,
        params: PasskeyIdParams,
        body: ref(PasskeyRenameBody),
        response: rateLimited({
          200: PasskeyAnswer('Renamed'),
          ...errorResponses(400, 401, 403, 404, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      const passkey = await renamePasskey(
        ctx,
        callerOf(request),
        request.params.id,
        request.body.name,
        originOf(request),
      );
      return noStore(reply).send({ passkey });
    },
  );

  app.delete(
    '/auth/passkeys/:id',
    {
      onRequest: guarded,
      schema: {
        summary: 'Delete a passkey',
        operationId: 'deletePasskey',
        description:
          "Needs a fresh proof (else 403 REAUTHENTICATION_REQUIRED). 404 when you have no passkey with this id (another user's included: it is left alone).",
        tags: ['passkeys'],
        security: BROWSER_SECURITY,
        params: PasskeyIdParams,
        response: rateLimited({
          200: MessageResponse('Deleted; it no longer signs in', 'Passkey deleted'),
          ...errorResponses(400, 401, 403, 404, 413, 422, 429),
        }),
      },
    },
    async (request, reply) => {
      await deletePasskey(ctx, callerOf(request), request.params.id, originOf(request));
      return noStore(reply).send({ message: 'Passkey deleted' });
    },
  );

  app.post(
    '/auth/passkeys/authentication-options',
    {
      onRequest: limits.perIp,
      // No body and {} are the same request.
      preValidation: (request, _reply, done) => {
        if (request.body === undefined) request.body = {};
        done();
      },
      schema: {
        summary: 'Start a passkey sign-in',
        operationId: 'passkeyAuthenticationOptions',
        description:
          'Options for navigator.credentials.get() with no allowCredentials (the browser offers the passkeys it has for this site) and user verification required, and a challengeId to send to POST /auth/login/passkey (or POST /auth/reauthenticate) within 5 minutes. Body {} or none.',
        tags: ['passkeys'],
        security: PUBLIC,
        body: Type.Object(
          {},
          { additionalProperties: false, description: 'Empty: the sign-in names no account' },
        ),
        response: rateLimited({
          200: ChallengeResponse('Options for @simplewebauthn/browser startAuthentication()'),
          ...errorResponses(400, 413, 422, 429),
        }),
      },
    },
    async (_request, reply) => noStore(reply).send(await authenticationOptions(ctx)),
  );
}
